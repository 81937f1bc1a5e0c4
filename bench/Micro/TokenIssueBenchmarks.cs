using System.Security.Cryptography;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol.Jose;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Bench.Micro;

/// <summary>
/// The work of one <c>POST /token</c> besides HTTP: authenticate the client, create and sign the
/// token; and, as the baseline, the bare signature of a token-sized input with the same key object
/// (what no issuer can avoid), so CreateAndSign's ratio to it is the cost of everything around the signature.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1852 // BenchmarkDotNet derives from benchmark classes: they cannot be sealed.
public class TokenIssueBenchmarks
#pragma warning restore CA1852
{
    private IHost _auth = null!;
    private AccessTokenIssuer _issuer = null!;
    private ClientAuthenticator _authenticator = null!;
    private readonly ScopeGrant _grant = new(BenchKeyStore.Audience, BenchKeyStore.Scope);
    private readonly PresentedCredentials _credentials;
    private AsymmetricSecurityKey _signingKey = null!;
    private byte[] _signingInput = [];

    public TokenIssueBenchmarks() => _credentials = PresentedCredentials.Read("Basic " + Convert.ToBase64String(
        System.Text.Encoding.UTF8.GetBytes($"{BenchKeyStore.ClientId}:{BenchKeyStore.ClientSecret}")), null, null);

    [GlobalSetup]
    public async Task Setup()
    {
        _auth = await AuthHost.StartAsync();
        _issuer = _auth.Services.GetRequiredService<AccessTokenIssuer>();
        _authenticator = _auth.Services.GetRequiredService<ClientAuthenticator>();
        _signingKey = (AsymmetricSecurityKey)_auth.Services.GetRequiredService<SigningKeyRing>().Current.SigningCredentials.Key;
        var token = CreateAndSign();
        using var jws = CompactJws.Parse(token, token.Length, "token").Jws!;
        _signingInput = jws.SigningInput();
    }

    [Benchmark(Baseline = true)]
    public byte[] SignatureOnly() => _signingKey switch
    {
        RsaSecurityKey { Rsa: { } rsa } => rsa.SignData(_signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsaSecurityKey { ECDsa: { } ecdsa } => ecdsa.SignData(_signingInput, HashAlgorithmName.SHA256),
        _ => throw new InvalidOperationException("Unexpected key type."),
    };

    [GlobalCleanup]
    public Task Cleanup() => HostLifetime.StopAsync(_auth);

    [Benchmark]
    public string CreateAndSign() => _issuer.Issue(BenchKeyStore.ClientId, _grant).Token;

    [Benchmark]
    public async Task<object?> AuthenticateClient() => (await _authenticator.AuthenticateAsync(_credentials, CancellationToken.None)).Client;
}
