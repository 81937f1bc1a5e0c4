using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using AspireJwks.Api.Endpoints;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// The real API (in process) whose issuer is a <see cref="StubIssuer"/> on a loopback socket that
/// can be told to fail in every way an issuer can, with a refresh interval of a second so that each
/// fault meets several refreshes quickly.
/// </summary>
public sealed class IssuerFaultFixture : IAsyncLifetime
{
    public const string Issuer = "http://auth.test";
    // Also each fetch's deadline: a request that waited on a hung fetch would take at least this long.
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly RSA _key = RSA.Create(2048);

    public StubIssuer Stub { get; private set; } = null!;

    public WebApplicationFactory<ProtectedResponse> Api { get; private set; } = null!;

    public TokenFactory Tokens { get; private set; } = null!;

    public string TrustedJwks { get; private set; } = "";

    public FakeLogCollector Logs => Api.Services.GetFakeLogCollector();

    public async Task InitializeAsync()
    {
        Stub = await StubIssuer.StartAsync();
        var kid = ForgedTokens.RandomKid();
        TrustedJwks = JwksDocuments.Set(JwksDocuments.RsaKey(kid, _key));
        Stub.Jwks = TrustedJwks;
        Tokens = new TokenFactory(_key, kid, Issuer, AppHostFixture.ApiAudience);
        Api = new WebApplicationFactory<ProtectedResponse>().WithWebHostBuilder(web => web
            .UseSetting("TokenValidation:Issuer", Issuer)
            .UseSetting("TokenValidation:Audience", AppHostFixture.ApiAudience)
            .UseSetting("TokenValidation:Authority", Stub.Address.ToString())
            .UseSetting("TokenValidation:JwksRefreshInterval", RefreshInterval.ToString("c"))
            .UseSetting("TokenValidation:ClockSkew", "00:00:30")
            .UseSetting("TokenValidation:ValidationCacheLifetime", "00:00:00")
            .ConfigureLogging(logging => logging.AddFakeLogging()));
        Api.StartServer();
        await Eventually.TrueAsync(async () => await StatusAsync(Tokens.Create()) == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the API should trust the stub's key");
    }

    public async Task<HttpStatusCode> StatusAsync(string token, string path = "/protected")
    {
        using var http = Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Log lines of the JWKS refresh at <paramref name="level"/> so far.</summary>
    public int RefreshLines(LogLevel level) =>
        Logs.GetSnapshot().Count(record => record.Level == level && record.Category == typeof(JwksRefreshService).FullName);

    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }
        if (Stub is not null)
        {
            await Stub.DisposeAsync();
        }
        _key.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class IssuerFaultCollection : ICollectionFixture<IssuerFaultFixture>
{
    public const string Name = "IssuerFault";
}
