using System.Collections.Frozen;

namespace AspireJwks.ServiceDefaults;

/// <summary>
/// The access token format every AspireJwks service agrees on (RFC 9068, with RFC 8725's rules),
/// defined once: Auth writes it, token validation reads it, the bootstrapper makes keys for its
/// algorithms and the AppHost checks its parameters against them.
/// </summary>
public static class AccessTokenProtocol
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

    /// <summary>Claims of an RFC 9068 access token beyond the registered JWT claims.</summary>
    public static class Claims
    {
        public const string ClientId = "client_id";
        public const string Scope = "scope";
    }
}
