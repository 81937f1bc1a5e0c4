using AspireJwks.Issuer.Endpoints;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The token issuer's endpoints, in the web project that called <c>AddTokenIssuer</c>.</summary>
public static class TokenIssuerEndpointExtensions
{
    /// <summary>
    /// Maps <c>GET /.well-known/jwks.json</c>, <c>GET /.well-known/openid-configuration</c>,
    /// <c>GET /.well-known/oauth-authorization-server</c> and <c>POST /token</c>, and adds the rate
    /// limiting middleware that <c>/token</c>'s per-client and per-address limits need.
    /// </summary>
    public static WebApplication MapTokenIssuer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        app.MapJwksApi();
        app.MapDiscoveryApi();
        app.MapTokenApi();
        return app;
    }
}
