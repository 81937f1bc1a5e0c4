using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Protocol.Jose;

/// <summary>Verifies a JWS signature for the one algorithm the key is trusted for (RFC 8725 section 3.1).</summary>
internal static class JwsSignature
{
    /// <summary>
    /// The platform's one-shot verify on the key object itself for the three algorithms this
    /// system accepts (RFC 7518 sections 3.3 to 3.5: PKCS#1 v1.5 or PSS with SHA-256, ECDSA P-256
    /// with SHA-256 and the R||S signature that .NET's default format already is). It skips
    /// IdentityModel's provider layer (a cache lookup by a composed string key and a pooled hash
    /// object per call), which is a measurable part of a cold validation next to the RSA verify
    /// itself; the key objects come from <see cref="Jwks.JwksDocumentReader"/>,
    /// which has already checked their type, size and curve for the algorithm. Any other key goes
    /// through IdentityModel's crypto providers as before.
    /// </summary>
    public static bool Verify(SecurityKey key, string algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        try
        {
            return (key, algorithm) switch
            {
                (RsaSecurityKey { Rsa: { } rsa }, AccessTokenProtocol.Rs256) =>
                    rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                (RsaSecurityKey { Rsa: { } rsa }, AccessTokenProtocol.Ps256) =>
                    rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
                (ECDsaSecurityKey { ECDsa: { } ecdsa }, AccessTokenProtocol.Es256) =>
                    ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256),
                _ => VerifyWithProvider(key, algorithm, signingInput.ToArray(), signature.ToArray()),
            };
        }
        catch (CryptographicException)
        {
            // A signature of the wrong length or encoding for the key: not a valid signature.
            return false;
        }
    }

    private static bool VerifyWithProvider(SecurityKey key, string algorithm, byte[] signingInput, byte[] signature)
    {
        var factory = key.CryptoProviderFactory;
        // Cached per key and algorithm by IdentityModel, so a key object that lives on stays fast.
        var provider = factory.CreateForVerifying(key, algorithm);
        try
        {
            return provider.Verify(signingInput, signature);
        }
        catch (ArgumentException)
        {
            return false;
        }
        finally
        {
            factory.ReleaseSignatureProvider(provider);
        }
    }
}
