using System.Net;
using System.Net.Http.Headers;
using AspireJwks.Authentication.TokenValidation.Jwks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Bench.Micro;

/// <summary>
/// The API's token validation exactly as its Program registers it (AddTokenValidation), with the
/// JWKS served from memory instead of Auth over the network, started so the key cache is warm.
/// </summary>
internal static class ApiHost
{
    public static async Task<IHost> StartAsync(byte[] jwks, string validationCacheLifetime)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenValidation:Issuer"] = BenchKeyStore.Issuer,
            ["TokenValidation:Audience"] = BenchKeyStore.Audience,
            ["TokenValidation:Authority"] = "http://auth.invalid",
            ["TokenValidation:JwksRefreshInterval"] = "00:01:00",
            ["TokenValidation:ClockSkew"] = "00:00:30",
            ["TokenValidation:ValidationCacheLifetime"] = validationCacheLifetime,
        });
        builder.AddTokenValidation();
        builder.Services.AddHttpClient(JwksClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new InMemoryJwksHandler(jwks));
        var app = builder.Build();
        await app.StartAsync();
        // Waits for the background fetch: from here on no validation waits on the JWKS.
        var keys = await app.Services.GetRequiredService<JwksKeySource>().GetAsync(CancellationToken.None);
        if (keys.Count == 0)
        {
            throw new InvalidOperationException("The API trusted no signing key from the JWKS.");
        }
        return app;
    }

    /// <summary>Answers every request with the JWKS, as Auth's endpoint would.</summary>
    private sealed class InMemoryJwksHandler(byte[] jwks) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(jwks);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
