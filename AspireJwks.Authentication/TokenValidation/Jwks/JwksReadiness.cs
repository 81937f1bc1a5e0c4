using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireJwks.Authentication.TokenValidation.Jwks;

/// <summary>
/// Ready once the API trusts at least one signing key: before its first JWKS, every token would
/// be refused, so an orchestrator should not send it traffic. Once it holds keys it stays ready,
/// even while the issuer is away: it keeps validating with them (a liveness check must not fail
/// either, which is why this check is not tagged "live").
/// </summary>
internal sealed class JwksReadiness(JwksKeySource keys) : IHealthCheck
{
    public const string Name = "jwks";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // One read of the key set: a refresh may publish another between two.
        var trusted = keys.Current.Count;
        return Task.FromResult(trusted > 0
            ? HealthCheckResult.Healthy($"{trusted} signing key(s) trusted")
            : HealthCheckResult.Unhealthy("No signing key trusted yet: the first JWKS fetch has not succeeded"));
    }
}
