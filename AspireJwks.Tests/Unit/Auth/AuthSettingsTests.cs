
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireJwks.Tests.Unit.Auth;

/// <summary>
/// Auth's settings as the AppHost writes them: none has a default, and each missing or
/// inconsistent one stops Auth at start with an error that names it.
/// </summary>
public sealed class AuthSettingsTests
{
    private static readonly string Digest = SecretDigest.Of("a-secret-of-enough-length");

    private static Dictionary<string, string?> ValidSettings() => new()
    {
        ["Auth:Issuer"] = "http://auth.test",
        ["Auth:KeysDirectory"] = "/nonexistent/keys",
        ["Auth:TokenLifetime"] = "00:05:00",
        ["Auth:JwksMaxAge"] = "00:01:00",
        ["Auth:Apis:0:Audience"] = "orders-api",
        ["Auth:Apis:0:Scopes:0"] = "orders.read",
        ["Auth:Apis:0:Scopes:1"] = "orders.write",
        ["Auth:Apis:1:Audience"] = "reports-api",
        ["Auth:Apis:1:Scopes:0"] = "reports.read",
        ["Auth:Clients:0:ClientId"] = "reporter",
        ["Auth:Clients:0:SecretSha256"] = Digest,
        ["Auth:Clients:0:Scopes:0"] = "orders.read",
        ["Auth:Clients:0:Scopes:1"] = "reports.read",
        ["Auth:Clients:1:ClientId"] = "writer",
        ["Auth:Clients:1:SecretSha256"] = Digest,
        ["Auth:Clients:1:Scopes:0"] = "orders.write",
        ["RateLimiting:TokenRequestsPerSecond"] = "100",
    };

    [Fact]
    public async Task Valid_settings_pass_start_up_validation()
    {
        // The key store is absent, so a start that got past validation fails later, on the store.
        var error = await StartAsync(ValidSettings());

        Assert.IsNotType<OptionsValidationException>(error);
    }

    [Theory]
    [InlineData("Auth:Issuer", "Issuer")]
    [InlineData("Auth:KeysDirectory", "KeysDirectory")]
    [InlineData("Auth:TokenLifetime", "TokenLifetime")]
    [InlineData("Auth:JwksMaxAge", "JwksMaxAge")]
    [InlineData("Auth:Apis", "Apis")]
    [InlineData("Auth:Clients", "Clients")]
    [InlineData("Auth:Clients:0:SecretSha256", "SecretSha256")]
    [InlineData("RateLimiting:TokenRequestsPerSecond", "TokenRequestsPerSecond")]
    public async Task A_missing_setting_stops_auth_naming_it(string setting, string name)
    {
        var settings = ValidSettings();
        foreach (var key in settings.Keys.Where(key => key == setting || key.StartsWith(setting + ":", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key);
        }

        var error = Assert.IsType<OptionsValidationException>(await StartAsync(settings));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auth:Clients:0:SecretSha256", "a-secret-of-enough-length", "SecretSha256")]
    [InlineData("Auth:Clients:0:SecretSha256", "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=", "SecretSha256")]
    [InlineData("Auth:Clients:0:SecretSha256", "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0", "SecretSha256")]
    [InlineData("Auth:TokenLifetime", "00:00:01", "TokenLifetime")]
    [InlineData("Auth:Apis:1:Audience", "reports api", "Audience")]
    [InlineData("RateLimiting:TokenRequestsPerSecond", "-1", "TokenRequestsPerSecond")]
    public async Task A_malformed_setting_stops_auth_naming_it(string setting, string value, string name)
    {
        var settings = ValidSettings();
        settings[setting] = value;

        var error = Assert.IsType<OptionsValidationException>(await StartAsync(settings));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auth:Apis:1:Audience", "orders-api", "Auth:Apis:1: the audience 'orders-api' is registered twice")]
    [InlineData("Auth:Apis:1:Scopes:0", "orders.read", "Auth:Apis:1: the scope 'orders.read' is owned by both 'orders-api' and 'reports-api'")]
    [InlineData("Auth:Apis:1:Scopes:0", "reports read", "Auth:Apis:1: the API 'reports-api' has a scope that is not an RFC 6749 scope token")]
    [InlineData("Auth:Clients:1:ClientId", "reporter", "Auth:Clients:1: the client id 'reporter' is registered twice")]
    [InlineData("Auth:Clients:1:Scopes:0", "orders.delete", "Auth:Clients:1: the client 'writer' may ask for the scope 'orders.delete', which no API owns")]
    public async Task An_inconsistent_registry_stops_auth_naming_the_setting_and_value(string setting, string value, string message)
    {
        var settings = ValidSettings();
        settings[setting] = value;

        var error = Assert.IsType<OptionsValidationException>(await StartAsync(settings));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_with_no_scope_stops_auth_naming_it()
    {
        var settings = ValidSettings();
        settings.Remove("Auth:Apis:1:Scopes:0");
        settings.Remove("Auth:Clients:0:Scopes:1");

        var error = Assert.IsType<OptionsValidationException>(await StartAsync(settings));

        Assert.Contains("Auth:Apis:1: the API 'reports-api' owns no scope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_with_no_scope_stops_auth_naming_it()
    {
        var settings = ValidSettings();
        settings.Remove("Auth:Clients:1:Scopes:0");

        var error = Assert.IsType<OptionsValidationException>(await StartAsync(settings));

        Assert.Contains("Auth:Clients:1: the client 'writer' may ask for no scope", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Starts Auth's services as its Program registers them; the exception that stopped the start, if any.</summary>
    private static async Task<Exception?> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddTokenIssuer();
        using var host = builder.Build();
        var error = await Record.ExceptionAsync(() => host.StartAsync());
        if (error is null)
        {
            await host.StopAsync();
        }
        return error;
    }
}
