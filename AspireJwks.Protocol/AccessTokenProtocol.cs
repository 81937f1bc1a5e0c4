using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using AspireJwks.Protocol.Jose;

namespace AspireJwks.Protocol;

/// <summary>
/// The access token format every AspireJwks part agrees on (RFC 9068, with RFC 8725's rules),
/// defined once: Auth writes it, token validation reads it, the bootstrapper makes keys for its
/// algorithms, and the AppHost checks its parameters and registrations against the same rules.
/// </summary>
internal static class AccessTokenProtocol
{
    /// <summary>The <c>typ</c> header of an access token (RFC 9068 section 2.1).</summary>
    public const string TokenType = "at+jwt";

    /// <summary>The media type form of <see cref="TokenType"/>, which RFC 9068 section 4 also accepts.</summary>
    public const string TokenMediaType = "application/at+jwt";

    public const string Rs256 = "RS256";
    public const string Ps256 = "PS256";
    public const string Es256 = "ES256";

    /// <summary>
    /// The only signing algorithms: asymmetric ones. Never <c>none</c>, never HMAC, whose shared
    /// secret would be the public key that everyone holds.
    /// </summary>
    public static readonly FrozenSet<string> SigningAlgorithms = FrozenSet.Create(StringComparer.Ordinal, Rs256, Ps256, Es256);

    /// <summary>The HTTP authentication scheme and token type access tokens travel with (RFC 6750).</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>The HTTP authentication scheme and token type of DPoP-bound access tokens (RFC 9449 section 7.1).</summary>
    public const string DPoPScheme = "DPoP";

    /// <summary>The HTTP authentication scheme of <c>client_secret_basic</c> (RFC 6749 section 2.3.1, RFC 7617).</summary>
    public const string BasicScheme = "Basic";


    /// <summary>
    /// The allowance for clock differences between the issuer, its clients and its APIs, wherever
    /// a time is checked: seconds, not the 5 minutes JwtBearer would allow by default.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>A kid as a token may carry it: base64url, 1 to 86 characters (a thumbprint, with room for other base64url ids).</summary>
    public static bool IsKid([NotNullWhen(true)] string? kid) => kid is { Length: >= 1 and <= 86 } && kid.AsSpan().IndexOfAnyExcept(CompactJws.Base64UrlAlphabet) < 0;

    /// <summary>A kid as this system makes them: an RFC 7638 JWK thumbprint, base64url of SHA-256, 43 characters.</summary>
    public static bool IsThumbprint([NotNullWhen(true)] string? kid) => kid is { Length: 43 } && IsKid(kid);

    /// <summary>An RFC 6749 section 3.3 scope-token (printable ASCII but space, <c>"</c> and <c>\</c>), at most 128 characters.</summary>
    public static bool IsScopeToken([NotNullWhen(true)] string? scope) =>
        scope is { Length: >= 1 and <= 128 } && scope.All(c => c is '\x21' or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E'));

    /// <summary>A client id: letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, 1 to 64 characters, so it is safe in a log line or a header.</summary>
    public static bool IsClientId([NotNullWhen(true)] string? clientId) =>
        clientId is { Length: >= 1 and <= 64 } && clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>An audience: 1 to 256 printable ASCII characters without spaces (a name or a URI).</summary>
    public static bool IsAudience([NotNullWhen(true)] string? audience) => audience is { Length: >= 1 and <= 256 } && audience.All(c => c is >= '\x21' and <= '\x7E');
}

/// <summary>The claims of an AspireJwks access token beyond the registered JWT claims (RFC 9068 section 2.2).</summary>
public static class AccessTokenClaimNames
{
    /// <summary>The id of the client the token was issued to.</summary>
    public const string ClientId = "client_id";

    /// <summary>The granted scopes, separated by spaces.</summary>
    public const string Scope = "scope";

    /// <summary>The confirmation claim of a bound token (RFC 7800).</summary>
    public const string Confirmation = "cnf";

    /// <summary>The member of <see cref="Confirmation"/> that holds a DPoP key's RFC 7638 thumbprint (RFC 9449 section 6.1).</summary>
    public const string JwkThumbprint = "jkt";
}
