using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AspireJwks.Tests.Support;

/// <summary>A client secret as Auth is configured with it: base64url (unpadded) SHA-256 of its UTF-8 bytes.</summary>
internal static class SecretDigest
{
    public static string Of(string secret) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
