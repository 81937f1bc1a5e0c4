using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.KeyStore;

/// <summary>The JWS algorithms a store may hold keys for, and the key sizes they accept.</summary>
public static class SigningAlgorithms
{
    public const string Default = SecurityAlgorithms.RsaSha256;

    public const int MinimumRsaKeySize = 2048;

    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal) { SecurityAlgorithms.RsaSha256 };
}
