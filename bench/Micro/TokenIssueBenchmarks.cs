using AspireJwks.Auth.Registry;
using AspireJwks.Auth.Tokens;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AspireJwks.Bench.Micro;

/// <summary>The work of one <c>POST /token</c> besides HTTP: authenticate the client, create and sign the token.</summary>
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

    public TokenIssueBenchmarks() => _credentials = PresentedCredentials.Read("Basic " + Convert.ToBase64String(
        System.Text.Encoding.UTF8.GetBytes($"{BenchKeyStore.ClientId}:{BenchKeyStore.ClientSecret}")), null, null);

    [GlobalSetup]
    public async Task Setup()
    {
        _auth = await AuthHost.StartAsync();
        _issuer = _auth.Services.GetRequiredService<AccessTokenIssuer>();
        _authenticator = _auth.Services.GetRequiredService<ClientAuthenticator>();
    }

    [GlobalCleanup]
    public Task Cleanup() => HostLifetime.StopAsync(_auth);

    [Benchmark]
    public string CreateAndSign() => _issuer.Issue(BenchKeyStore.ClientId, _grant).Token;

    [Benchmark]
    public RegisteredClient? AuthenticateClient() => _authenticator.Authenticate(_credentials).Client;
}
