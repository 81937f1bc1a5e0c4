using System.Globalization;

namespace AspireJwks.AppHost;

/// <summary>What every API validating this issuer's tokens is told: how often to refresh its keys, the clock skew, the cache lifetime.</summary>
internal sealed record TokenIssuerSettings(
    IResourceBuilder<ParameterResource> JwksRefreshInterval,
    string ClockSkew,
    IResourceBuilder<ParameterResource> ValidationCacheLifetime) : IResourceAnnotation;

/// <summary>Makes the auth project the token issuer: its key store, token timings and rate limit.</summary>
internal static class TokenIssuerExtensions
{
    public static IResourceBuilder<ProjectResource> AsTokenIssuer(this IResourceBuilder<ProjectResource> auth, AppHostParameters parameters)
    {
        var keys = parameters.Keys;
        return auth
            .WithEnvironment(ServiceEnvironment.Auth.Issuer, auth.GetEndpoint("http"))
            .WithEnvironment(ServiceEnvironment.Auth.KeysDirectory, keys.KeysDirectory)
            .WithEnvironment(ServiceEnvironment.Auth.TokenLifetime, keys.TokenLifetime)
            .WithEnvironment(ServiceEnvironment.Auth.JwksMaxAge, keys.JwksMaxAge)
            .WithEnvironment(ServiceEnvironment.Auth.TokenRequestsPerSecond, parameters.TokenRateLimit)
            .WithKeyPassphrase(keys)
            .WithAnnotation(new TokenIssuerSettings(
                keys.JwksRefreshInterval,
                KeyParameters.ClockSkew.ToString("c", CultureInfo.InvariantCulture),
                parameters.ValidationCacheLifetime));
    }

    /// <summary>The settings of <paramref name="auth"/> as an issuer; it must have been made one with <see cref="AsTokenIssuer"/>.</summary>
    public static TokenIssuerSettings IssuerSettings(this IResourceBuilder<ProjectResource> auth) =>
        auth.Resource.TryGetLastAnnotation<TokenIssuerSettings>(out var settings)
            ? settings
            : throw new InvalidOperationException($"'{auth.Resource.Name}' is not this AppHost's token issuer; pass the auth resource.");
}
