using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.ServiceDefaults.Jose;

/// <summary>Verifies a JWS signature with IdentityModel's crypto providers, for the one algorithm the key is trusted for (RFC 8725 section 3.1).</summary>
public static class JwsSignature
{
    public static bool Verify(SecurityKey key, string algorithm, byte[] signingInput, byte[] signature)
    {
        var factory = key.CryptoProviderFactory;
        // Cached per key and algorithm by IdentityModel, so a key object that lives on stays fast.
        var provider = factory.CreateForVerifying(key, algorithm);
        try
        {
            return provider.Verify(signingInput, signature);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // A signature of the wrong length or encoding for the key: not a valid signature.
            return false;
        }
        finally
        {
            factory.ReleaseSignatureProvider(provider);
        }
    }
}
