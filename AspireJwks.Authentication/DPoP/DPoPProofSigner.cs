using System.Security.Cryptography;
using AspireJwks.Protocol.DPoP;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Authentication.DPoP;

/// <summary>
/// The client's DPoP key and its proofs (RFC 9449 section 4.2). One EC P-256 key per process,
/// made at start and never written anywhere: the tokens bound to it die with the process, which
/// is the point. Each proof names the request's method and URL (without query), a fresh
/// <c>jti</c>, the time, the token's hash (<c>ath</c>) for a resource request, and the server's
/// nonce when it asked for one.
/// </summary>
internal sealed class DPoPProofSigner : IDisposable
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly SigningCredentials _credentials;
    private readonly Dictionary<string, object> _publicJwk;
    private readonly TimeProvider _timeProvider;

    public DPoPProofSigner(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        // No KeyId: a proof's header carries the key itself, and only typ, alg and jwk.
        _credentials = new SigningCredentials(new ECDsaSecurityKey(_key), SecurityAlgorithms.EcdsaSha256);
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(_key.ExportParameters(false))));
        _publicJwk = new Dictionary<string, object> { ["kty"] = jwk.Kty, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y };
        Thumbprint = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
    }

    /// <summary>The key's RFC 7638 thumbprint: the <c>cnf.jkt</c> of the tokens bound to it.</summary>
    public string Thumbprint { get; }

    public string Create(string method, Uri target, string? accessToken = null, string? nonce = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["jti"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            ["htm"] = method,
            ["htu"] = target.GetLeftPart(UriPartial.Path),
            ["iat"] = _timeProvider.GetUtcNow().ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims["ath"] = DPoPProofValidator.AccessTokenHash(accessToken);
        }
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = DPoPProtocol.ProofType,
            SigningCredentials = _credentials,
            AdditionalHeaderClaims = new Dictionary<string, object> { ["jwk"] = _publicJwk },
            Claims = claims,
        });
    }

    public void Dispose() => _key.Dispose();
}
