using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AspireJwks.Protocol.Jose;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Protocol.Replay;
using Microsoft.Extensions.Caching.Memory;
using R = AspireJwks.Protocol.DPoP.DPoPProofReasons;

namespace AspireJwks.Protocol.DPoP;

/// <summary>What a proof is checked against: the request it came with, and at an API the token it presents.</summary>
/// <param name="Method">The request's method, compared with the proof's <c>htm</c>.</param>
/// <param name="RequestUri">The request as the client addressed it (scheme, host, port, path); its query is ignored.</param>
/// <param name="AccessToken">The access token the request presents (an API), or null (the token endpoint).</param>
/// <param name="BoundTo">The token's <c>cnf.jkt</c>, which the proof's key must have.</param>
internal sealed record DPoPProofContext(string Method, Uri RequestUri, string? AccessToken = null, string? BoundTo = null);

/// <summary>A proof's outcome: the thumbprint of its key, or why it is refused.</summary>
/// <param name="Store">Which replay store answered (<see cref="ReplayStores"/>); null when a check before the replay check refused the proof.</param>
/// <param name="Nonce">With <see cref="DPoPProofReasons.NonceRequired"/>, the nonce the client must put in its next proof (RFC 9449 section 8).</param>
internal sealed record DPoPProofResult(string? Thumbprint, string? Reason, string? Message, string? Store = null, string? Nonce = null)
{
    public bool IsValid => Thumbprint is not null;

    /// <summary>The replay store could not answer: the request is refused as temporarily unavailable (503), not as invalid.</summary>
    public bool IsUnavailable => Reason == DPoPProofReasons.StoreUnavailable;

    public static DPoPProofResult Valid(string thumbprint, string store) => new(thumbprint, null, null, store);

    public static DPoPProofResult Refused(string reason, string message, string? store = null, string? nonce = null) =>
        new(null, reason, message, store, nonce);
}

/// <summary>
/// Checks DPoP proofs (RFC 9449 section 4.3), for Auth's token endpoint and for every API: one
/// validator, so both apply the same rules. In order, each with its own reason: read (the strict
/// compact JWS reader), header (<c>typ</c> <c>dpop+jwt</c>, an asymmetric <c>alg</c>, a public
/// <c>jwk</c> and nothing else), key, signature, claims (<c>htm</c>, <c>htu</c>, <c>ath</c>, the
/// key's thumbprint against the token's <c>cnf.jkt</c>), freshness (<c>iat</c>), and last the
/// <c>jti</c> replay check in the replay store every replica shares (or this process's memory), so
/// that a refused proof never takes a place there.
/// </summary>
internal sealed class DPoPProofValidator : IDisposable
{
    private static readonly HashSet<string> AllowedHeaderMembers = new(StringComparer.Ordinal) { "typ", "alg", "jwk" };

    // Imported keys by thumbprint and algorithm: a client signs every proof with one key, and
    // importing it again per request would cost more than verifying. Bounded, so a flood of keys
    // only evicts; a thumbprint names exactly one key, so a hit is the key that was checked.
    private const int KeyCacheEntries = 1024;
    private readonly MemoryCache _keys = new(new MemoryCacheOptions { SizeLimit = KeyCacheEntries });
    private readonly IReplayStore _replays;
    private readonly TimeProvider _timeProvider;

    public DPoPProofValidator(IReplayStore replays, TimeProvider timeProvider)
    {
        _replays = replays;
        _timeProvider = timeProvider;
    }

    public async ValueTask<DPoPProofResult> ValidateAsync(string proof, DPoPProofContext context, CancellationToken cancellationToken)
    {
        var (parsed, error) = CompactJws.Parse(proof, DPoPProtocol.MaxProofLength, "proof");
        if (parsed is null)
        {
            return DPoPProofResult.Refused(R.Malformed, error!);
        }
        using var jws = parsed;
        var header = jws.Header;
        if (jws.UnexpectedHeaderMember(AllowedHeaderMembers) is { } unexpected)
        {
            return DPoPProofResult.Refused(R.Malformed, $"header member '{unexpected}' is not accepted");
        }
        if (JwtMembers.Text(header, "typ") != DPoPProtocol.ProofType)
        {
            return DPoPProofResult.Refused(R.Malformed, "header typ is not dpop+jwt");
        }
        var alg = JwtMembers.Text(header, "alg");
        if (alg is null || !AccessTokenProtocol.SigningAlgorithms.Contains(alg))
        {
            return DPoPProofResult.Refused(R.AlgNotAllowed, "header alg is missing or not an allowed asymmetric algorithm");
        }
        if (!header.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
        {
            return DPoPProofResult.Refused(R.Malformed, "header jwk is missing or not an object");
        }
        if (jws.BodyError is { } bodyError)
        {
            return DPoPProofResult.Refused(R.Malformed, bodyError);
        }

        var (key, thumbprint, keyProblem) = ReadKey(jwk, alg);
        if (key is null)
        {
            return DPoPProofResult.Refused(R.BadKey, $"header jwk {keyProblem}");
        }
        if (!JwsSignature.Verify(key.SecurityKey, alg, jws.SigningInput(), jws.Signature()))
        {
            return DPoPProofResult.Refused(R.BadSignature, "the signature does not verify with the proof's jwk");
        }

        var claims = jws.Payload!.Value;
        var jti = JwtMembers.Text(claims, "jti");
        if (jti is null || jti.Length > ReplayCache.MaxJtiLength)
        {
            return DPoPProofResult.Refused(R.Malformed, "claim jti is missing or too long");
        }
        if (!JwtMembers.TryReadDate(claims, "iat", out var issuedAt) || issuedAt is null)
        {
            return DPoPProofResult.Refused(R.Malformed, "claim iat is missing or not an integer NumericDate");
        }
        // RFC 9110: methods are case-sensitive; a proof for GET is not one for POST.
        if (JwtMembers.Text(claims, "htm") != context.Method)
        {
            return DPoPProofResult.Refused(R.WrongMethod, "claim htm is not this request's method");
        }
        if (JwtMembers.Text(claims, "htu") is not { } htu || !SameTarget(htu, context.RequestUri))
        {
            return DPoPProofResult.Refused(R.WrongUrl, "claim htu is not this request's URL");
        }
        if (context.AccessToken is { } accessToken && JwtMembers.Text(claims, "ath") != AccessTokenHash(accessToken))
        {
            return DPoPProofResult.Refused(R.WrongToken, "claim ath is not the hash of the presented access token");
        }
        if (context.BoundTo is { } boundTo && !string.Equals(thumbprint, boundTo, StringComparison.Ordinal))
        {
            return DPoPProofResult.Refused(R.WrongKey, "the proof's key is not the one the access token is bound to");
        }

        var now = _timeProvider.GetUtcNow();
        if (issuedAt < now - DPoPProtocol.MaxProofAge || issuedAt > now + DPoPProtocol.MaxClockAhead)
        {
            return DPoPProofResult.Refused(R.Stale, "claim iat is outside the accepted window");
        }

        var nonce = JwtMembers.Text(claims, "nonce");
        var replay = await _replays.EnterAsync(new OneTimeJwt(DPoPProtocol.ProofKind, thumbprint!, jti, issuedAt.Value, nonce), cancellationToken);
        return replay.Verdict switch
        {
            ReplayVerdict.Fresh => DPoPProofResult.Valid(thumbprint!, replay.Store),
            ReplayVerdict.Replayed => DPoPProofResult.Refused(R.Replayed, "the proof's jti was already used", replay.Store),
            ReplayVerdict.NonceRequired => DPoPProofResult.Refused(R.NonceRequired,
                "the replay store restarted shortly before this proof was made: it must carry the server's nonce", replay.Store, replay.Nonce),
            ReplayVerdict.Unavailable => DPoPProofResult.Refused(R.StoreUnavailable, "the replay store did not answer in time", replay.Store),
            ReplayVerdict.PredatesStore => DPoPProofResult.Refused(R.Replayed, "the proof predates the replay store's restart", replay.Store),
            _ => DPoPProofResult.Refused(R.ReplayCacheFull, "the replay cache is full; no proof is accepted until it ages", replay.Store),
        };
    }

    /// <summary>base64url(SHA-256(ASCII(token))): the <c>ath</c> of a proof for that token (RFC 9449 section 4.2).</summary>
    public static string AccessTokenHash(string accessToken) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    /// <summary>
    /// RFC 9449 section 4.3 step 9: htu against the request's URI without query and fragment, after
    /// RFC 3986 scheme-based normalisation: scheme and host case-insensitive, the default port
    /// implied, the path exact.
    /// </summary>
    public static bool SameTarget(string htu, Uri request) =>
        Uri.TryCreate(htu, UriKind.Absolute, out var claimed)
        && claimed.Scheme is "http" or "https"
        && string.Equals(Target(claimed), Target(request), StringComparison.Ordinal);

    private static string Target(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}{uri.AbsolutePath}";

    private (VerificationKey? Key, string? Thumbprint, string? Problem) ReadKey(JsonElement jwk, string alg)
    {
        if (JwkThumbprint.Of(jwk) is not { } thumbprint)
        {
            return (null, null, "is not an EC or RSA public key with all its members");
        }
        var cacheKey = (thumbprint, alg);
        if (_keys.TryGetValue(cacheKey, out VerificationKey? known) && known is not null)
        {
            // Secret members are not part of the thumbprint: check them on every proof.
            return JwksDocumentReader.HoldsSecretMembers(jwk) ? (null, null, "holds private or symmetric key material") : (known, thumbprint, null);
        }
        var (key, problem) = JwksDocumentReader.ReadPublicKey(jwk, thumbprint, alg);
        if (key is null)
        {
            return (null, null, problem);
        }
        using (var entry = _keys.CreateEntry(cacheKey))
        {
            entry.Value = key;
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromMinutes(10);
        }
        return (key, thumbprint, null);
    }

    public void Dispose() => _keys.Dispose();
}
