namespace AspireJwks.Hosting;

/// <summary>What every API validating this issuer's tokens is told: how often to refresh its keys, the clock skew, the cache lifetime.</summary>
internal sealed record TokenIssuerSettings(
    IResourceBuilder<ParameterResource> JwksRefreshInterval,
    string ClockSkew,
    IResourceBuilder<ParameterResource> ValidationCacheLifetime) : IResourceAnnotation;
