using AspireJwks.Auth.Options;
using AspireJwks.Auth.Tokens;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
    private ClientRegistration _client = null!;
    private readonly string _basic = "Basic " + Convert.ToBase64String(
        System.Text.Encoding.UTF8.GetBytes($"{BenchKeyStore.ClientId}:{BenchKeyStore.ClientSecret}"));

    [GlobalSetup]
    public async Task Setup()
    {
        _auth = await AuthHost.StartAsync();
        _issuer = _auth.Services.GetRequiredService<AccessTokenIssuer>();
        _authenticator = _auth.Services.GetRequiredService<ClientAuthenticator>();
        _client = _auth.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Clients[0];
    }

    [GlobalCleanup]
    public Task Cleanup() => HostLifetime.StopAsync(_auth);

    [Benchmark]
    public string CreateAndSign() => _issuer.Issue(_client, BenchKeyStore.Scope).Token;

    [Benchmark]
    public ClientRegistration? AuthenticateClient() => _authenticator.Authenticate(_basic, null, null).Client;
}
