using System.Globalization;

namespace AspireJwks.AppHost;

/// <summary>
/// The key and token timing parameters, read and checked together because their bounds depend on
/// each other: a key must be published for as long as a validator can take to see it, and a
/// retired key for as long as a token it signed can be accepted. A value out of range stops the
/// AppHost with the parameter's name, before any key is made.
/// </summary>
internal sealed record KeyParameters(
    IResourceBuilder<ParameterResource> SigningAlgorithm,
    IResourceBuilder<ParameterResource> RsaKeySize,
    IResourceBuilder<ParameterResource> TokenLifetime,
    IResourceBuilder<ParameterResource> JwksMaxAge,
    IResourceBuilder<ParameterResource> JwksRefreshInterval,
    IResourceBuilder<ParameterResource> PropagationDelay,
    IResourceBuilder<ParameterResource> Retention,
    IResourceBuilder<ParameterResource>? Passphrase)
{
    /// <summary>The API's allowance for clock differences; the AppHost passes it, so retention can count it.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    // The key store's own limits (AspireJwks.KeyStore.SigningAlgorithms and KeyStorePolicy), repeated
    // because the AppHost references the bootstrapper as a resource, not as a library; its init
    // re-checks them, so a drift fails loudly at start rather than silently.
    private static readonly string[] Algorithms = ["RS256", "PS256", "ES256"];
    private static readonly int[] RsaKeySizes = [2048, 3072, 4096];
    private static readonly TimeSpan MaximumDuration = TimeSpan.FromDays(30);

    public static KeyParameters Add(IDistributedApplicationBuilder builder)
    {
        var algorithm = builder.AddCheckedParameter("signing-algorithm", Algorithms[0], value =>
            Algorithms.Contains(value, StringComparer.Ordinal) ? value : null, $"one of {string.Join(", ", Algorithms)}");
        var rsaKeySize = builder.AddCheckedParameter("rsa-key-size", RsaKeySizes[0].ToString(CultureInfo.InvariantCulture), value =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && RsaKeySizes.Contains(size) ? value : null,
            $"one of {string.Join(", ", RsaKeySizes)}");

        var tokenLifetime = ReadDuration(builder, "token-lifetime", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5), TimeSpan.FromDays(1), "");
        var jwksMaxAge = ReadDuration(builder, "jwks-max-age", TimeSpan.FromMinutes(1), TimeSpan.Zero, TimeSpan.FromDays(1), "");
        var refreshInterval = ReadDuration(builder, "jwks-refresh-interval", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "");
        var propagationDelay = ReadDuration(builder, "key-propagation-delay", TimeSpan.FromMinutes(2.5),
            refreshInterval.Value + jwksMaxAge.Value, MaximumDuration,
            " (jwks-refresh-interval + jwks-max-age: the longest a validator can take to see a new key)");
        var retention = ReadDuration(builder, "key-retention", TimeSpan.FromMinutes(6),
            tokenLifetime.Value + ClockSkew, MaximumDuration,
            $" (token-lifetime + the API's {ClockSkew.TotalSeconds:0} s clock skew: the longest a token can be accepted)");

        IResourceBuilder<ParameterResource>? passphrase = null;
        if (!string.IsNullOrEmpty(builder.Configuration["Parameters:key-passphrase"]))
        {
            // Added only when set: an unset secret parameter would make `dotnet run` prompt for it.
            passphrase = builder.AddParameter("key-passphrase", secret: true);
        }

        return new KeyParameters(algorithm, rsaKeySize, tokenLifetime.Parameter, jwksMaxAge.Parameter, refreshInterval.Parameter,
            propagationDelay.Parameter, retention.Parameter, passphrase);
    }

    private static (IResourceBuilder<ParameterResource> Parameter, TimeSpan Value) ReadDuration(
        IDistributedApplicationBuilder builder, string name, TimeSpan defaultValue, TimeSpan minimum, TimeSpan maximum, string why)
    {
        var value = defaultValue;
        var parameter = builder.AddCheckedParameter(name, defaultValue.ToString("c", CultureInfo.InvariantCulture),
            text => TryParseDuration(text, out value) && value >= minimum && value <= maximum
                ? value.ToString("c", CultureInfo.InvariantCulture)
                : null,
            $"a duration (hh:mm:ss) between {minimum:c}{why} and {maximum:c}");
        return (parameter, value);
    }

    private static bool TryParseDuration(string text, out TimeSpan value) =>
        TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out value)
        || TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
}
