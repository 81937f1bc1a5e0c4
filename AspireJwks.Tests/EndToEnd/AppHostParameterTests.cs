using System.Text.Json.Nodes;

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
    [InlineData("client-dpop", "Parameters:client-dpop=maybe")]
    [InlineData("api-require-dpop", "Parameters:api-require-dpop=yes")]
    [InlineData("client-authentication", "Parameters:client-authentication=client_secret_jwt")]
    [InlineData("client-key", "Parameters:client-key=not a key")]
    [InlineData("client-key", "Parameters:client-key=-----BEGIN EC PRIVATE KEY-----")]
    public async Task An_out_of_range_parameter_stops_the_apphost_with_its_name(string parameter, params string[] arguments) =>
        await AssertStopsNamingAsync(parameter, arguments);

    /// <summary>Every way a registered client JWKS can be wrong, each with a key that is otherwise usable beside it.</summary>
    public static TheoryData<string, string> BadClientJwks()
    {
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var small = System.Security.Cryptography.RSA.Create(1024);
        var good = Support.HandMadeJws.Jwk(ec);
        JsonObject Keyed(JsonObject jwk, string kid, string alg)
        {
            var copy = jwk.DeepClone().AsObject();
            copy["kid"] = kid;
            copy["alg"] = alg;
            return copy;
        }
        string Set(params JsonObject[] keys) => new JsonObject { ["keys"] = new JsonArray([.. keys]) }.ToJsonString();
        return new()
        {
            { "not JSON", "{\"keys\": [" },
            { "a private key", Set(Keyed(Support.HandMadeJws.Jwk(ec, withPrivate: true), "private", "ES256")) },
            { "an HMAC key", Set(Keyed(good, "good", "ES256"), new JsonObject { ["kty"] = "oct", ["k"] = "c2VjcmV0LXNlY3JldC1zZWNyZXQ", ["kid"] = "hmac", ["alg"] = "HS256" }) },
            { "RSA under 2048 bits", Set(Keyed(good, "good", "ES256"), Keyed(Support.HandMadeJws.Jwk(small), "small", "RS256")) },
            { "a kid twice", Set(Keyed(good, "same", "ES256"), Keyed(good, "same", "ES256")) },
            { "no alg", Set(Keyed(good, "good", "ES256"), new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = good["x"]!.GetValue<string>(), ["y"] = good["y"]!.GetValue<string>(), ["kid"] = "no-alg" }) },
        };
    }

    [Theory]
    [MemberData(nameof(BadClientJwks))]
    public async Task A_bad_client_jwks_stops_the_apphost_naming_the_parameter_and_never_quoting_it(string caseName, string jwks)
    {
        var failure = await AssertStopsNamingAsync("client-jwks", [$"Parameters:client-jwks={jwks}"]);

        Assert.False(string.IsNullOrEmpty(caseName));
        Assert.DoesNotContain(jwks, failure, StringComparison.Ordinal);
        Assert.DoesNotContain("\"d\"", failure, StringComparison.Ordinal);
    }

    private static async Task<string> AssertStopsNamingAsync(string parameter, string[] arguments)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireJwks_AppHost>(arguments)
                .WaitAsync(AppHostFixture.StartTimeout);
            await using var app = await builder.BuildAsync().WaitAsync(AppHostFixture.StartTimeout);
        });

        Assert.Contains($"Parameter '{parameter}'", failure.ToString(), StringComparison.Ordinal);
        return failure.ToString();
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
