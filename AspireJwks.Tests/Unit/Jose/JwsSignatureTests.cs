using System.Security.Cryptography;
using System.Text;
using AspireJwks.Protocol;
using AspireJwks.Protocol.Jose;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Tests.Unit.Jose;

/// <summary>
/// The signature check every JWT here passes through (access tokens, DPoP proofs, client
/// assertions): each accepted algorithm verifies its own signatures on the platform's one-shot
/// path, and refuses, without throwing, a changed input, a changed or truncated signature, another
/// algorithm's signature with the same key, and another encoding of an ECDSA signature.
/// </summary>
public sealed class JwsSignatureTests
{
    private static readonly byte[] Input = Encoding.ASCII.GetBytes("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0");

    public static TheoryData<string> Algorithms => [AccessTokenProtocol.Rs256, AccessTokenProtocol.Ps256, AccessTokenProtocol.Es256];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_signature_made_with_the_key_for_its_algorithm_verifies(string alg)
    {
        var (key, signature) = Signed(alg, Input);

        Assert.True(JwsSignature.Verify(key, alg, Input, signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_changed_input_or_signature_does_not_verify(string alg)
    {
        var (key, signature) = Signed(alg, Input);
        var changedInput = (byte[])Input.Clone();
        changedInput[^1] ^= 1;
        var changedSignature = (byte[])signature.Clone();
        changedSignature[signature.Length / 2] ^= 0x40;

        Assert.False(JwsSignature.Verify(key, alg, changedInput, signature));
        Assert.False(JwsSignature.Verify(key, alg, Input, changedSignature));
        Assert.False(JwsSignature.Verify(key, alg, Input, signature.AsSpan(0, signature.Length - 1)));
        Assert.False(JwsSignature.Verify(key, alg, Input, []));
    }

    [Fact]
    public void An_rsa_signature_verifies_only_for_the_padding_it_was_made_with()
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa);
        var pkcs1 = rsa.SignData(Input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var pss = rsa.SignData(Input, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

        Assert.False(JwsSignature.Verify(key, AccessTokenProtocol.Ps256, Input, pkcs1));
        Assert.False(JwsSignature.Verify(key, AccessTokenProtocol.Rs256, Input, pss));
    }

    [Fact]
    public void An_ecdsa_signature_in_der_form_does_not_verify()
    {
        // JWS (RFC 7518 section 3.4) signs with R||S; a DER sequence is another spelling it must refuse.
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = ecdsa.SignData(Input, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.False(JwsSignature.Verify(new ECDsaSecurityKey(ecdsa), AccessTokenProtocol.Es256, Input, der));
    }

    [Fact]
    public void A_signature_by_another_key_does_not_verify()
    {
        var (_, signature) = Signed(AccessTokenProtocol.Es256, Input);
        var (otherKey, _) = Signed(AccessTokenProtocol.Es256, Input);

        Assert.False(JwsSignature.Verify(otherKey, AccessTokenProtocol.Es256, Input, signature));
    }

    private static (AsymmetricSecurityKey Key, byte[] Signature) Signed(string alg, byte[] input)
    {
        if (alg == AccessTokenProtocol.Es256)
        {
            var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return (new ECDsaSecurityKey(ecdsa), ecdsa.SignData(input, HashAlgorithmName.SHA256));
        }
        var rsa = RSA.Create(2048);
        var padding = alg == AccessTokenProtocol.Ps256 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return (new RsaSecurityKey(rsa), rsa.SignData(input, HashAlgorithmName.SHA256, padding));
    }
}
