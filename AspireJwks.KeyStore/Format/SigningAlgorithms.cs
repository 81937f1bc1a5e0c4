using System.Security.Cryptography;
using AspireJwks.Protocol;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.KeyStore;

/// <summary>The JWS algorithms a store may hold keys for, and how to make and use their keys.</summary>
internal static class SigningAlgorithms
{
    public const string Default = SecurityAlgorithms.RsaSha256;

    public const int DefaultRsaKeySize = 2048;

    public const int MinimumRsaKeySize = 2048;

    /// <summary>The OID of P-256, the only curve ES256 allows (RFC 7518 3.4).</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>The algorithms every part of the system agrees on (<see cref="AccessTokenProtocol.SigningAlgorithms"/>).</summary>
    public static IReadOnlySet<string> Supported => AccessTokenProtocol.SigningAlgorithms;


    public static bool IsRsa(string alg) => alg is SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.RsaSsaPssSha256;

    /// <summary>A new private key for <paramref name="alg"/>; the RSA size is ignored for ES256, whose curve fixes it.</summary>
    public static AsymmetricAlgorithm Generate(string alg, int rsaKeySize) =>
        IsRsa(alg) ? RSA.Create(rsaKeySize) : ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>An empty key object of the family <paramref name="alg"/> needs, ready for an import.</summary>
    public static AsymmetricAlgorithm CreateEmpty(string alg) => IsRsa(alg) ? RSA.Create() : ECDsa.Create();

    /// <summary>The IdentityModel key that signs with <paramref name="key"/> under <paramref name="kid"/>.</summary>
    public static AsymmetricSecurityKey ToSecurityKey(AsymmetricAlgorithm key, string kid) => key switch
    {
        RSA rsa => new RsaSecurityKey(rsa) { KeyId = kid },
        ECDsa ecdsa => new ECDsaSecurityKey(ecdsa) { KeyId = kid },
        _ => throw new ArgumentException($"Unsupported key type {key.GetType().Name}.", nameof(key)),
    };

    /// <summary>Why <paramref name="key"/> cannot serve <paramref name="alg"/>, or null when it can.</summary>
    public static string? Unsuitability(AsymmetricAlgorithm key, string alg) => key switch
    {
        RSA rsa when IsRsa(alg) && rsa.KeySize < MinimumRsaKeySize =>
            $"holds a {rsa.KeySize}-bit RSA key; at least {MinimumRsaKeySize} bits are required",
        RSA when IsRsa(alg) => null,
        ECDsa ecdsa when !IsRsa(alg) && ecdsa.ExportParameters(false).Curve.Oid.Value != P256Oid =>
            "holds an EC key that is not on P-256, which ES256 requires",
        ECDsa when !IsRsa(alg) => null,
        _ => $"holds a {key.GetType().Name} key, which cannot sign {alg}",
    };
}
