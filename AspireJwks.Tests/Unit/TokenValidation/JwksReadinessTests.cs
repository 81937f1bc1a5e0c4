using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireJwks.Tests.Unit.TokenValidation;

/// <summary>An API is ready for traffic only once it trusts a signing key; after that it stays ready, issuer or not.</summary>
public sealed class JwksReadinessTests
{
    [Fact]
    public async Task Not_ready_before_the_first_jwks_and_ready_from_then_on()
    {
        using var validation = new ValidationHarness(TimeProvider.System);
        var readiness = new JwksReadiness(validation.Keys);

        Assert.Equal(HealthStatus.Unhealthy, (await readiness.CheckHealthAsync(new HealthCheckContext())).Status);

        validation.Trust(JwksDocuments.Rsa("first"));

        Assert.Equal(HealthStatus.Healthy, (await readiness.CheckHealthAsync(new HealthCheckContext())).Status);
    }
}
