using System.Globalization;
using AspireJwks.Hosting;
using AspireJwks.Protocol;

namespace Aspire.Hosting;

/// <summary>The token issuer's resource: the web project that hosts the issuer.</summary>
public static class TokenIssuerResourceExtensions
{
    /// <summary>
    /// Makes <paramref name="auth"/> (a web project calling <c>AddTokenIssuer</c> and
    /// <c>MapTokenIssuer</c>) the token issuer of the key store <paramref name="keys"/>: it waits for
    /// the store's <c>init</c> to finish, reads the same store, issues tokens for the APIs and
    /// clients joined with <c>WithTokenValidation</c> and <c>WithClientCredentials</c>, and is
    /// ready when its <c>/health</c> is. Adds the parameters <c>token-rate-limit</c> and
    /// <c>validation-cache-lifetime</c> unless the AppHost has them.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AsTokenIssuer(this IResourceBuilder<ProjectResource> auth, IResourceBuilder<ProjectResource> keys)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(keys);
        var keyParameters = keys.KeyStoreParameters();
        var builder = auth.ApplicationBuilder;
        // Auth's own bound (TokenRateLimitOptions), checked here too so a bad value stops the AppHost, not auth.
        var tokenRateLimit = builder.AddNonNegativeIntegerParameter("token-rate-limit", defaultValue: 100, maximum: 1_000_000);
        var validationCacheLifetime = builder.AddDurationParameter("validation-cache-lifetime",
            TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromHours(1));
        return auth
            .WithHttpEndpointIfItHasNone()
            .WithEnvironment(ServiceEnvironment.Auth.Issuer, auth.GetEndpoint("http"))
            .WithEnvironment(ServiceEnvironment.Auth.KeysDirectory, keyParameters.KeysDirectory)
            .WithEnvironment(ServiceEnvironment.Auth.TokenLifetime, keyParameters.TokenLifetime)
            .WithEnvironment(ServiceEnvironment.Auth.JwksMaxAge, keyParameters.JwksMaxAge)
            .WithEnvironment(ServiceEnvironment.Auth.TokenRequestsPerSecond, tokenRateLimit)
            .WithKeyPassphrase(keyParameters)
            .WithAnnotation(new TokenIssuerSettings(
                keyParameters.JwksRefreshInterval,
                AccessTokenProtocol.ClockSkew.ToString("c", CultureInfo.InvariantCulture),
                validationCacheLifetime))
            .WithTokenStore()
            .WithHealthEndpointCheck()
            .WaitForCompletion(keys);
    }

    /// <summary>The settings of <paramref name="auth"/> as an issuer; it must have been made one with <see cref="AsTokenIssuer"/>.</summary>
    internal static TokenIssuerSettings IssuerSettings(this IResourceBuilder<ProjectResource> auth) =>
        auth.Resource.TryGetLastAnnotation<TokenIssuerSettings>(out var settings)
            ? settings
            : throw new InvalidOperationException($"'{auth.Resource.Name}' is not a token issuer; call AsTokenIssuer(keys) on it first.");
}
