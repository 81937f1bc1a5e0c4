extern alias auth;

using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AspireJwks.Api.Endpoints;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Issuer.Tokens;
using AspireJwks.KeyStore;
using AspireJwks.KeyStore.Commands;
using AspireJwks.KeyStore.Writing;
using AspireJwks.Protocol.Jwks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireJwks.Tests.Support;

/// <summary>
/// Auth and Api in this process, on test servers: Api fetches its JWKS from this Auth. Logs go to
/// a fake collector, so tests can read every line with its structured values.
/// </summary>
public sealed class InProcessServices : IAsyncLifetime
{
    public const string Issuer = "http://auth.test";
    public const string Audience = "aspirejwks-api";
    public const string ClientId = "telemetry-client";

    /// <summary>A client with a registered key and no secret: it authenticates with private_key_jwt.</summary>
    public const string KeyedClientId = "keyed-client";
    public const string KeyedClientKid = "keyed-1";

    /// <summary>Off, so every request here shows a full validation; the cache has its own tests.</summary>
    public const string ValidationCacheLifetime = "00:00:00";

    private readonly TemporaryDirectory _directory = new();

    public string ClientSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public ECDsa KeyedClientKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string KeysDirectory => _directory.Combine("keys");

    public WebApplicationFactory<auth::Program> Auth { get; private set; } = null!;

    public WebApplicationFactory<ProtectedResponse> Api { get; private set; } = null!;

    public TokenFactory Tokens { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var writer = new KeyStoreWriter(TimeProvider.System, new ConfigurationBuilder().Build(), new KeyStoreFiles(), NullLogger<KeyStoreWriter>.Instance);
        new InitCommand(writer, NullLogger<InitCommand>.Instance).Run(new KeyStoreLayout(KeysDirectory), KeyStorePolicy.Default);
        Tokens = TokenFactory.FromKeyStore(KeysDirectory, Issuer, Audience);

        Auth = new WebApplicationFactory<auth::Program>().WithWebHostBuilder(web => web
            .UseSetting("Auth:Issuer", Issuer)
            .UseSetting("Auth:KeysDirectory", KeysDirectory)
            .UseSetting("Auth:TokenLifetime", "00:05:00")
            .UseSetting("Auth:JwksMaxAge", "00:05:00")
            .UseSetting("Auth:Apis:0:Audience", Audience)
            .UseSetting("Auth:Apis:0:Scopes:0", "api.read")
            .UseSetting("Auth:Apis:0:Scopes:1", "api.other")
            .UseSetting("Auth:Clients:0:ClientId", ClientId)
            .UseSetting("Auth:Clients:0:SecretSha256", SecretDigest.Of(ClientSecret))
            .UseSetting("Auth:Clients:0:Scopes:0", "api.read")
            .UseSetting("Auth:Clients:0:Scopes:1", "api.other")
            .UseSetting("Auth:Clients:1:ClientId", KeyedClientId)
            .UseSetting("Auth:Clients:1:Jwks", HandMadeJws.Jwks((KeyedClientKey, KeyedClientKid)))
            .UseSetting("Auth:Clients:1:Scopes:0", "api.read")
            .UseSetting("Auth:Clients:1:Scopes:1", "api.other")
            // Off: the fuzzers here send bursts that must reach the checks, not the rate limiter,
            // which has tests of its own (Hostile/TokenRateLimitEndToEndTests, Unit/TokenRateLimitTests).
            .UseSetting("RateLimiting:TokenRequestsPerSecond", "0")
            .ConfigureLogging(CaptureLogs));
        Auth.StartServer();

        Api = CreateApi(ValidationCacheLifetime);
        return Task.CompletedTask;
    }

    /// <summary>Another API of the same settings (but the cache lifetime) against this Auth, started; the caller disposes it.</summary>
    public WebApplicationFactory<ProtectedResponse> CreateApi(string validationCacheLifetime, bool requireDPoP = false)
    {
        var api = new WebApplicationFactory<ProtectedResponse>().WithWebHostBuilder(web => web
            .UseSetting("TokenValidation:Issuer", Issuer)
            .UseSetting("TokenValidation:Audience", Audience)
            .UseSetting("TokenValidation:Authority", Issuer)
            .UseSetting("TokenValidation:JwksRefreshInterval", "00:01:00")
            .UseSetting("TokenValidation:ClockSkew", "00:00:30")
            .UseSetting("TokenValidation:ValidationCacheLifetime", validationCacheLifetime)
            .UseSetting("TokenValidation:RequireDPoP", requireDPoP ? "true" : "false")
            .ConfigureLogging(CaptureLogs)
            .ConfigureTestServices(services => services
                .AddHttpClient(JwksClient.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => Auth.Server.CreateHandler())));
        api.StartServer();
        return api;
    }

    private static void CaptureLogs(ILoggingBuilder logging) =>
        logging.AddFakeLogging(options => options.CollectRecordsForDisabledLogLevels = false);

    public async Task<HttpResponseMessage> RequestTokenAsync(
        string traceParent, string? clientSecret = null, string scope = "api.read", string grantType = "client_credentials")
    {
        using var http = Auth.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = grantType, ["scope"] = scope }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{clientSecret ?? ClientSecret}")));
        request.Headers.Add("traceparent", traceParent);
        return await http.SendAsync(request);
    }

    public async Task<string> IssueTokenAsync(string traceParent, string scope = "api.read")
    {
        using var response = await RequestTokenAsync(traceParent, scope: scope);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<HttpResponseMessage> CallApiAsync(string traceParent, string authorization)
    {
        using var http = Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.Add("traceparent", traceParent);
        return await http.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }
        if (Auth is not null)
        {
            await Auth.DisposeAsync();
        }
        _directory.Dispose();
        KeyedClientKey.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class InProcessCollection : ICollectionFixture<InProcessServices>
{
    public const string Name = "InProcess";
}
