namespace AspireJwks.Tests.EndToEnd;

/// <summary>Out-of-range key parameters stop the AppHost before any resource starts, naming the parameter.</summary>
public sealed class KeyParameterTests
{
    [Theory]
    [InlineData("key-propagation-delay", "Parameters:jwks-refresh-interval=00:01:00", "Parameters:jwks-max-age=00:01:00", "Parameters:key-propagation-delay=00:01:59")]
    [InlineData("key-retention", "Parameters:token-lifetime=00:10:00", "Parameters:key-retention=00:10:29")]
    [InlineData("signing-algorithm", "Parameters:signing-algorithm=HS256")]
    [InlineData("rsa-key-size", "Parameters:rsa-key-size=1024")]
    [InlineData("token-lifetime", "Parameters:token-lifetime=five minutes")]
    [InlineData("jwks-refresh-interval", "Parameters:jwks-refresh-interval=00:00:00")]
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
    public async Task Timings_exactly_at_their_bounds_are_accepted()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireJwks_AppHost>(
        [
            "Parameters:jwks-refresh-interval=00:01:00", "Parameters:jwks-max-age=00:01:00", "Parameters:key-propagation-delay=00:02:00",
            "Parameters:token-lifetime=00:10:00", "Parameters:key-retention=00:10:30",
        ]).WaitAsync(AppHostFixture.StartTimeout);
        await using var app = await builder.BuildAsync().WaitAsync(AppHostFixture.StartTimeout);

        Assert.NotNull(app);
    }
}
