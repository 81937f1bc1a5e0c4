using System.Diagnostics;
using AspireJwks.Issuer.Options;
using AspireJwks.Issuer.Registry;
using AspireJwks.Protocol;
using AspireJwks.Protocol.Jose;
using AspireJwks.Protocol.Replay;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.Tokens;

/// <summary>
/// Checks a JWT client assertion for <c>private_key_jwt</c> (RFC 7523 sections 2.2 and 3, OpenID
/// Connect Core section 9), in a fixed order, each failure with its own reason for the log:
/// read (the strict compact JWS reader), header (<c>alg</c> RS256/PS256/ES256, never <c>none</c>
/// or HMAC; only <c>alg</c>, <c>kid</c>, <c>typ</c>), the client named by <c>iss</c> and its
/// registered key (by <c>kid</c>, or each key of the algorithm when there is none), signature,
/// claims (<c>sub</c> = <c>iss</c>, <c>aud</c> = the issuer or the token endpoint URL, a
/// <c>jti</c>), freshness (<c>exp</c> present and at most <see cref="MaxLifetime"/> ahead,
/// <c>nbf</c> and <c>iat</c> not in the future), and last the <c>jti</c> replay check in the replay
/// store every replica shares (or this process's memory), so a refused assertion never takes a
/// place there. Every failure is <c>invalid_client</c> to the caller; a replay store that cannot
/// answer makes the request temporarily unavailable (503) instead, never a let-through.
/// </summary>
internal sealed class ClientAssertionValidator
{
    /// <summary>An assertion lives about a minute (oauth4webapi: 60 s, Duende: 60 s); five minutes is the most accepted.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Assertion jtis held at most per process (about 32 bytes each): two retentions of about 1,400 assertions a second.</summary>
    public const int ReplayCapacity = 1_000_000;

    /// <summary>
    /// Assertions as the replay store keeps them: accepted until <c>exp</c> + skew, and <c>exp</c>
    /// may be <see cref="MaxLifetime"/> + skew ahead. Assertions have no server nonce, so after a
    /// store restart one whose <c>iat</c> is not after the restart is refused.
    /// </summary>
    public static readonly OneTimeJwtKind AssertionKind =
        new("assertion", MaxLifetime + (2 * AccessTokenProtocol.ClockSkew), ReplayCapacity, NonceWindow: null);

    // An assertion is a few hundred bytes; the form is at most 8 KB anyway.
    private const int MaxAssertionLength = 4096;

    // typ is optional (RFC 7523); when sent, it must not name another kind of JWT, so an access
    // token or a DPoP proof can never pass for an assertion.
    private static readonly HashSet<string> AllowedHeaderMembers = new(StringComparer.Ordinal) { "alg", "kid", "typ" };
    private static readonly HashSet<string> AllowedTypes = new(StringComparer.OrdinalIgnoreCase) { "JWT", "client-authentication+jwt" };

    private readonly IssuerRegistry _registry;
    private readonly TimeProvider _timeProvider;
    private readonly HashSet<string> _audiences;
    private readonly IReplayStore _replays;

    public ClientAssertionValidator(IssuerRegistry registry, IReplayStore replays, IOptions<AuthOptions> options, TimeProvider timeProvider)
    {
        _registry = registry;
        _replays = replays;
        _timeProvider = timeProvider;
        var issuer = options.Value.Issuer;
        _audiences = new(StringComparer.Ordinal) { issuer, issuer.TrimEnd('/') + "/token" };
    }

    /// <summary>The authenticated client, or the reason the assertion is refused.</summary>
    /// <param name="formClientId">The request's <c>client_id</c> parameter, when sent: it must name the same client.</param>
    public async ValueTask<(RegisteredClient? Client, string? Reason)> ValidateAsync(
        string assertion, string? formClientId, CancellationToken cancellationToken)
    {
        var (parsed, _) = CompactJws.Parse(assertion, MaxAssertionLength, "assertion");
        if (parsed is null)
        {
            return Refused(ClientAssertionReasons.Malformed);
        }
        using var jws = parsed;
        var header = jws.Header;
        var alg = JwtMembers.Text(header, "alg");
        if (alg is null || !AccessTokenProtocol.SigningAlgorithms.Contains(alg))
        {
            return Refused(ClientAssertionReasons.AlgNotAllowed);
        }
        var kid = JwtMembers.Text(header, "kid");
        if (jws.UnexpectedHeaderMember(AllowedHeaderMembers) is not null
            || (header.TryGetProperty("kid", out _) && !AccessTokenProtocol.IsKid(kid))
            || (header.TryGetProperty("typ", out _) && (JwtMembers.Text(header, "typ") is not { } typ || !AllowedTypes.Contains(typ)))
            || jws.BodyError is not null)
        {
            return Refused(ClientAssertionReasons.Malformed);
        }

        var claims = jws.Payload!.Value;
        var clientId = JwtMembers.Text(claims, "iss");
        if (clientId is null || _registry.FindClient(clientId) is not { Keys: { } keys } client
            || (formClientId is not null && formClientId != clientId))
        {
            return Refused(ClientAssertionReasons.UnknownClient);
        }
        var candidates = kid is null
            ? keys.Kids.Select(id => keys.TryGet(id, out var key) ? key : null).Where(key => key?.Algorithm == alg).ToList()
            : keys.TryGet(kid, out var named) && named.Algorithm == alg ? [named] : [];
        if (candidates.Count == 0)
        {
            return Refused(ClientAssertionReasons.UnknownKey);
        }
        var signingInput = jws.SigningInput();
        var signature = jws.Signature();
        if (!candidates.Any(key => JwsSignature.Verify(key!.SecurityKey, alg, signingInput, signature)))
        {
            return Refused(ClientAssertionReasons.BadSignature);
        }

        if (JwtMembers.Text(claims, "sub") != clientId)
        {
            return Refused(ClientAssertionReasons.WrongSubject);
        }
        if (JwtMembers.Audiences(claims) is not { } audiences || !audiences.Any(_audiences.Contains))
        {
            return Refused(ClientAssertionReasons.WrongAudience);
        }
        var jti = JwtMembers.Text(claims, "jti");
        if (jti is not { Length: <= ReplayCache.MaxJtiLength }
            || !JwtMembers.TryReadDate(claims, "exp", out var exp) || exp is null
            || !JwtMembers.TryReadDate(claims, "nbf", out var nbf) || !JwtMembers.TryReadDate(claims, "iat", out var iat))
        {
            return Refused(ClientAssertionReasons.Malformed);
        }

        var now = _timeProvider.GetUtcNow();
        if (exp < now - AccessTokenProtocol.ClockSkew)
        {
            return Refused(ClientAssertionReasons.Expired);
        }
        if (exp > now + MaxLifetime + AccessTokenProtocol.ClockSkew)
        {
            // A long-lived assertion is a reusable password by another name (RFC 7523 section 3, item 4).
            return Refused(ClientAssertionReasons.TooLongLived);
        }
        if (nbf > now + AccessTokenProtocol.ClockSkew || iat > now + AccessTokenProtocol.ClockSkew)
        {
            return Refused(ClientAssertionReasons.NotYetValid);
        }

        // The earliest the assertion can have been made, when it does not say (iat is optional).
        var madeAt = iat ?? nbf ?? exp.Value - MaxLifetime - AccessTokenProtocol.ClockSkew;
        var replay = await _replays.EnterAsync(new OneTimeJwt(AssertionKind, clientId, jti, madeAt), cancellationToken);
        Activity.Current?.SetTag(TelemetryAttributes.ReplayStore, replay.Store);
        return replay.Verdict switch
        {
            ReplayVerdict.Fresh => (client, null),
            ReplayVerdict.Replayed => Refused(ClientAssertionReasons.Replayed),
            ReplayVerdict.PredatesStore => Refused(ClientAssertionReasons.PredatesStore),
            ReplayVerdict.Unavailable => Refused(ClientAssertionReasons.StoreUnavailable),
            _ => Refused(ClientAssertionReasons.ReplayCacheFull),
        };
    }

    private static (RegisteredClient?, string?) Refused(string reason) => (null, reason);
}

/// <summary>Why a client assertion was refused: one fixed word for the log, while the caller only ever hears invalid_client.</summary>
internal static class ClientAssertionReasons
{
    public const string Malformed = "assertion_malformed";
    public const string AlgNotAllowed = "assertion_alg_not_allowed";
    public const string UnknownClient = "assertion_unknown_client";
    public const string UnknownKey = "assertion_unknown_key";
    public const string BadSignature = "assertion_bad_signature";
    public const string WrongSubject = "assertion_wrong_subject";
    public const string WrongAudience = "assertion_wrong_audience";
    public const string Expired = "assertion_expired";
    public const string TooLongLived = "assertion_too_long_lived";
    public const string NotYetValid = "assertion_not_yet_valid";
    public const string Replayed = "assertion_replayed";
    public const string ReplayCacheFull = "assertion_replay_cache_full";

    /// <summary>The replay store restarted empty after the assertion was made: it may have been used before.</summary>
    public const string PredatesStore = "assertion_predates_store";

    /// <summary>The replay store did not answer in time: 503, never a let-through.</summary>
    public const string StoreUnavailable = "assertion_store_unavailable";
}
