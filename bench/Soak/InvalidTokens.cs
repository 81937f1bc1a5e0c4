using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AspireJwks.Bench.Soak;

/// <summary>
/// Tokens the API must refuse with 401, in turn: not a JWT; a real token with its signature
/// changed; a well-formed token signed with a key nobody published, under a new kid each time (the
/// flood of unknown kids that the API's JWKS refresh must throttle); and no token at all.
/// </summary>
internal sealed class InvalidTokens(string issuer, string audience, string clientId) : IDisposable
{
    public const int Variants = 4;

    private readonly RSA _foreignKey = RSA.Create(2048);

    /// <summary>The Authorization header's value for the variant, or null for a request without one.</summary>
    public string? Authorization(int variant, string realToken, TimeProvider time) => (variant % Variants) switch
    {
        0 => "Bearer not-a-token",
        1 => "Bearer " + WithChangedSignature(realToken),
        2 => "Bearer " + SignedByUnknownKey(time.GetUtcNow()),
        _ => null,
    };

    public static string VariantName(int variant) => (variant % Variants) switch
    {
        0 => "garbage",
        1 => "changed_signature",
        2 => "unknown_kid",
        _ => "no_token",
    };

    // A character well inside the signature, so the change is never only in its spare bits.
    private static string WithChangedSignature(string token)
    {
        var position = token.Length - 10;
        var replacement = token[position] == 'A' ? 'B' : 'A';
        return string.Concat(token.AsSpan(0, position), new ReadOnlySpan<char>(in replacement), token.AsSpan(position + 1));
    }

    private string SignedByUnknownKey(DateTimeOffset now)
    {
        var kid = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["kid"] = kid, ["typ"] = "at+jwt" });
        var seconds = now.ToUnixTimeSeconds();
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["sub"] = clientId,
            ["aud"] = audience,
            ["client_id"] = clientId,
            ["scope"] = "api.read",
            ["iat"] = seconds,
            ["nbf"] = seconds,
            ["exp"] = seconds + 60,
            ["jti"] = Guid.NewGuid().ToString("N"),
        });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claims);
        var signature = _foreignKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose() => _foreignKey.Dispose();
}
