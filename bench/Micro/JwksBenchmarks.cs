using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Issuer.Endpoints;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Options;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AspireJwks.Bench.Micro;

/// <summary>
/// Both ends of the JWKS: Auth answering <c>GET /.well-known/jwks.json</c> (full body, and 304 for
/// a current ETag), and the API fetching and loading it into its key cache.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1852 // BenchmarkDotNet derives from benchmark classes: they cannot be sealed.
public class JwksBenchmarks
#pragma warning restore CA1852
{
    private IHost _auth = null!;
    private IHost _api = null!;
    private SigningKeyRing _keyRing = null!;
    private IOptions<AuthOptions> _options = null!;
    private JwksRefreshService _refresher = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _auth = await AuthHost.StartAsync();
        _keyRing = _auth.Services.GetRequiredService<SigningKeyRing>();
        _options = _auth.Services.GetRequiredService<IOptions<AuthOptions>>();
        _api = await ApiHost.StartAsync(_keyRing.Current.JwksJson, validationCacheLifetime: "00:00:00");
        _refresher = _api.Services.GetServices<IHostedService>().OfType<JwksRefreshService>().Single();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await HostLifetime.StopAsync(_api);
        await HostLifetime.StopAsync(_auth);
    }

    [Benchmark]
    public Task ServeJwks() => Serve(ifNoneMatch: null);

    [Benchmark]
    public Task ServeJwksNotModified() => Serve(_keyRing.Current.JwksETag);

    /// <summary>What the API's refresher does each interval: fetch (here from memory), check, publish.</summary>
    [Benchmark]
    public Task LoadJwksIntoApi() => _refresher.RefreshOnceAsync(CancellationToken.None);

    private async Task Serve(string? ifNoneMatch)
    {
        await using var scope = _auth.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.Body = Stream.Null;
        if (ifNoneMatch is not null)
        {
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        }
        await JwksApi.GetJwks(context, _keyRing, _options).Result.ExecuteAsync(context);
    }
}
