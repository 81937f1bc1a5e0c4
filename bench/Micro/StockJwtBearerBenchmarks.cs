using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Issuer.Keys;
using AspireJwks.Issuer.Tokens;
using AspireJwks.Protocol.Jose;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Bench.Micro;

/// <summary>
/// The baselines of <see cref="TokenValidationBenchmarks"/>, on the same token and key: the bare
/// signature check (what no validator can avoid), and the platform alone, JwtBearer with its
/// defaults and the JWKS's keys given to it, authenticating and authorizing a request the same way.
/// What TokenValidationBenchmarks' cold validation costs over StockJwtBearer is AspireJwks' own.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1852 // BenchmarkDotNet derives from benchmark classes: they cannot be sealed.
public class StockJwtBearerBenchmarks
#pragma warning restore CA1852
{
    private IHost _auth = null!;
    private IHost _stock = null!;
    private IAuthorizationService _authorization = null!;
    private AuthorizationPolicy _policy = null!;
    private string _bearer = "";
    private SecurityKey _key = null!;
    private IHost _api = null!;
    private SecurityKey _publishedKey = null!;
    private byte[] _signingInput = [];
    private byte[] _signature = [];
    private string _algorithm = "";

    [GlobalSetup]
    public async Task Setup()
    {
        _auth = await AuthHost.StartAsync();
        var token = _auth.Services.GetRequiredService<AccessTokenIssuer>()
            .Issue(BenchKeyStore.ClientId, new ScopeGrant(BenchKeyStore.Audience, BenchKeyStore.Scope)).Token;
        _bearer = "Bearer " + token;
        using (var jws = CompactJws.Parse(token, token.Length, "token").Jws!)
        {
            _signingInput = jws.SigningInput();
            _signature = jws.Signature();
        }
        var keyRing = _auth.Services.GetRequiredService<SigningKeyRing>().Current;
        _algorithm = keyRing.SigningCredentials.Algorithm;
        // The stock app gets the JWKS's key as JwtBearer would read it; the bare check, the key
        // object the API verifies with.
        _key = new JsonWebKeySet(System.Text.Encoding.UTF8.GetString(keyRing.JwksJson)).GetSigningKeys().Single();
        _api = await ApiHost.StartAsync(keyRing.JwksJson, "00:00:00");
        var keys = await _api.Services.GetRequiredService<JwksKeySource>().GetAsync(CancellationToken.None);
        _publishedKey = keys.TryGet(keyRing.ActiveKid, out var published) ? published.SecurityKey : throw new InvalidOperationException("The API does not trust the key.");
        if (!VerifyOnly())
        {
            throw new InvalidOperationException("The bare signature check failed.");
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication().AddJwtBearer(options =>
        {
            options.TokenValidationParameters.ValidIssuer = BenchKeyStore.Issuer;
            options.TokenValidationParameters.ValidAudience = BenchKeyStore.Audience;
            options.TokenValidationParameters.IssuerSigningKey = _key;
        });
        builder.Services.AddAuthorization();
        _stock = builder.Build();
        await _stock.StartAsync();
        _authorization = _stock.Services.GetRequiredService<IAuthorizationService>();
        _policy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
            .RequireClaim("scope", BenchKeyStore.Scope).Build();
        if (!await StockValidateAndAuthorize())
        {
            throw new InvalidOperationException("The stock JwtBearer refused the token.");
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await HostLifetime.StopAsync(_stock);
        await HostLifetime.StopAsync(_api);
        await HostLifetime.StopAsync(_auth);
    }

    /// <summary>The signature check alone, as the API makes it, with the key object it trusts.</summary>
    [Benchmark(Baseline = true)]
    public bool VerifyOnly() => JwsSignature.Verify(_publishedKey, _algorithm, _signingInput, _signature);

    [Benchmark]
    public async Task<bool> StockValidateAndAuthorize()
    {
        await using var scope = _stock.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = _bearer;
        var authentication = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!authentication.Succeeded)
        {
            throw new InvalidOperationException("The token was refused: " + authentication.Failure?.Message);
        }
        return (await _authorization.AuthorizeAsync(authentication.Principal, _policy)).Succeeded;
    }
}
