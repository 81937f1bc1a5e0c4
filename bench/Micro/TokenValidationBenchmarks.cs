using System.Security.Claims;
using AspireJwks.Api.Endpoints;
using AspireJwks.Authentication.TokenValidation;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Tokens;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AspireJwks.Bench.Micro;

/// <summary>
/// What the API does for each <c>GET /protected</c> before the endpoint runs: JwtBearer validates
/// the token against the cached JWKS (warm: keys fetched, signature providers built), then the
/// scope policy authorizes it. Each operation gets its own request scope, as a request does. With
/// the validated-token cache off (every request a full validation) and on (the same token reused,
/// as a client sends it).
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1852 // BenchmarkDotNet derives from benchmark classes: they cannot be sealed.
public class TokenValidationBenchmarks
#pragma warning restore CA1852
{
    private IHost _auth = null!;
    private IHost _api = null!;
    private IAuthorizationService _authorization = null!;
    private AuthorizationPolicy _policy = null!;
    private const int Concurrency = 16;
    private string _bearer = "";

    [Params("00:00:00", "00:00:30")]
    public string ValidationCacheLifetime { get; set; } = "00:00:00";
    private ClaimsPrincipal _principal = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _auth = await AuthHost.StartAsync();
        _bearer = "Bearer " + _auth.Services.GetRequiredService<AccessTokenIssuer>()
            .Issue(BenchKeyStore.ClientId, new ScopeGrant(BenchKeyStore.Audience, BenchKeyStore.Scope)).Token;
        _api = await ApiHost.StartAsync(_auth.Services.GetRequiredService<SigningKeyRing>().Current.JwksJson, ValidationCacheLifetime);
        _authorization = _api.Services.GetRequiredService<IAuthorizationService>();
        // The policy RequireScope(ProtectedApi.ReadScope) puts on the endpoint.
        _policy = new RequiredScopes([ProtectedApi.ReadScope]).Policy();
        // One validation outside the measurement, so the first iteration pays no cache fill.
        await ValidateAndAuthorize();
        await using var scope = _api.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = _bearer;
        _principal = (await context.AuthenticateAsync()).Principal!;
    }

    /// <summary>
    /// Sixteen validations at once, as sixteen connections send them: shows whether anything on
    /// the path serializes concurrent requests (a lock, a pool too small) that one thread never meets.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Concurrency)]
    public Task ValidateAndAuthorizeConcurrently()
    {
        var validations = new Task[Concurrency];
        for (var i = 0; i < validations.Length; i++)
        {
            validations[i] = Task.Run(ValidateAndAuthorize);
        }
        return Task.WhenAll(validations);
    }

    /// <summary>The endpoint's own work once authorized: build and serialize the response.</summary>
    [Benchmark]
    public async Task WriteProtectedResponse()
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.Body = Stream.Null;
        await ProtectedApi.GetProtected(_principal).ExecuteAsync(context);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await HostLifetime.StopAsync(_api);
        await HostLifetime.StopAsync(_auth);
    }

    [Benchmark]
    public async Task<bool> ValidateAndAuthorize()
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = _bearer;
        var authentication = await context.AuthenticateAsync();
        if (!authentication.Succeeded)
        {
            throw new InvalidOperationException("The token was refused: " + authentication.Failure?.Message);
        }
        return (await _authorization.AuthorizeAsync(authentication.Principal, _policy)).Succeeded;
    }
}
