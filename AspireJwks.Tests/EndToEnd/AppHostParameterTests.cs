namespace AspireJwks.Tests.EndToEnd;

/// <summary>Out-of-range parameters stop the AppHost before any resource starts, naming the parameter.</summary>
public sealed class AppHostParameterTests
{
    [Theory]
    [InlineData("key-propagation-delay", "Parameters:jwks-refresh-interval=00:01:00", "Parameters:jwks-max-age=00:01:00", "Parameters:key-propagation-delay=00:01:59")]
    [InlineData("key-retention", "Parameters:token-lifetime=00:10:00", "Parameters:key-retention=00:10:29")]
    [InlineData("key-retention", "Parameters:key-retention=30")]
    [InlineData("signing-algorithm", "Parameters:signing-algorithm=HS256")]
    [InlineData("rsa-key-size", "Parameters:rsa-key-size=1024")]
    [InlineData("token-lifetime", "Parameters:token-lifetime=five minutes")]
    [InlineData("jwks-refresh-interval", "Parameters:jwks-refresh-interval=00:00:00")]
    [InlineData("auth-replicas", "Parameters:auth-replicas=0")]
    [InlineData("auth-replicas", "Parameters:auth-replicas=9")]
    [InlineData("api-replicas", "Parameters:api-replicas=two")]
    [InlineData("api-replicas", "Parameters:api-replicas=-1")]
    [InlineData("validation-cache-lifetime", "Parameters:validation-cache-lifetime=01:00:01")]
    [InlineData("validation-cache-lifetime", "Parameters:validation-cache-lifetime=soon")]
    [InlineData("client-interval", "Parameters:client-interval=00:00:00")]
    [InlineData("client-id", "Parameters:client-id=demo client")]
    public async Task An_out_of_range_parameter_stops_the_apphost_with_its_name(string parameter, params string[] arguments)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireJwks_AppHost>(arguments)
                .WaitAsync(AppHostFixture.StartTimeout);
            await using var app = await builder.BuildAsync().WaitAsync(AppHostFixture.StartTimeout);
        });

        Assert.Contains($"Parameter '{parameter}'", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_exactly_at_their_bounds_are_accepted()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireJwks_AppHost>(
        [
            "Parameters:jwks-refresh-interval=00:01:00", "Parameters:jwks-max-age=00:01:00", "Parameters:key-propagation-delay=00:02:00",
            "Parameters:token-lifetime=00:10:00", "Parameters:key-retention=00:10:30",
            "Parameters:auth-replicas=8", "Parameters:api-replicas=1", "Parameters:validation-cache-lifetime=00:00:00",
            "Parameters:client-interval=00:00:01",
        ]).WaitAsync(AppHostFixture.StartTimeout);
        await using var app = await builder.BuildAsync().WaitAsync(AppHostFixture.StartTimeout);

        Assert.NotNull(app);
    }
}
