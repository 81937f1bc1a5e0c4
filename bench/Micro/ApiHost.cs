using System.Net;
using System.Net.Http.Headers;
using AspireJwks.Api.Authentication;
using AspireJwks.Api.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireJwks.Bench.Micro;

/// <summary>
/// The API's services exactly as its Program registers them, with the JWKS served from memory
/// instead of Auth over the network, started so the key cache is warm.
/// </summary>
internal static class ApiHost
{
    public static async Task<IHost> StartAsync(byte[] jwks)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jwt:Issuer"] = BenchKeyStore.Issuer,
            ["Jwt:Audience"] = BenchKeyStore.Audience,
            ["Jwt:AuthorityAddress"] = "http://auth.invalid",
            ["Jwt:RequiredScope"] = BenchKeyStore.Scope,
        });
        builder.AddApiServices();
        builder.Services.AddHttpClient(JwksConfigurationManager.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new InMemoryJwksHandler(jwks));
        var app = builder.Build();
        await app.StartAsync();
        // Waits for the background fetch: from here on no validation waits on the JWKS.
        var configuration = await app.Services.GetRequiredService<JwksConfigurationManager>().GetConfigurationAsync(CancellationToken.None);
        if (configuration.SigningKeys.Count == 0)
        {
            throw new InvalidOperationException("The API loaded no signing key from the JWKS.");
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
