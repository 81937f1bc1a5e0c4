using System.Globalization;
using AspireJwks.Protocol;

namespace AspireJwks.Hosting;

/// <summary>
/// The key and token timing parameters, read and checked together because their bounds depend on
/// each other: a key must be published for as long as a validator can take to see it, and a
/// retired key for as long as a token it signed can be accepted. A value out of range stops the
/// AppHost with the parameter's name, before any key is made.
/// </summary>
internal sealed record KeyParameters(
    IResourceBuilder<ParameterResource> KeysDirectory,
    IResourceBuilder<ParameterResource> SigningAlgorithm,
    IResourceBuilder<ParameterResource> RsaKeySize,
    IResourceBuilder<ParameterResource> TokenLifetime,
    IResourceBuilder<ParameterResource> JwksMaxAge,
    IResourceBuilder<ParameterResource> JwksRefreshInterval,
    IResourceBuilder<ParameterResource> PropagationDelay,
    IResourceBuilder<ParameterResource> Retention,
    IResourceBuilder<ParameterResource>? Passphrase)
{
    /// <summary>The key parameters, each added unless the AppHost already has one of that name.</summary>
    public static KeyParameters GetOrAdd(IDistributedApplicationBuilder builder)
    {
        var keysDirectory = builder.AddKeysDirectoryParameter("keys-directory", defaultDirectory: ".keys");
        var algorithms = AccessTokenProtocol.SigningAlgorithms;
        var algorithm = builder.AddCheckedParameter("signing-algorithm", AccessTokenProtocol.Rs256, value =>
            algorithms.Contains(value) ? value : null, $"one of {string.Join(", ", algorithms.Order(StringComparer.Ordinal))}");
        var rsaKeySize = builder.AddCheckedParameter("rsa-key-size", KeyStoreLimits.RsaKeySizes[0].ToString(CultureInfo.InvariantCulture), value =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && KeyStoreLimits.RsaKeySizes.Contains(size) ? value : null,
            $"one of {string.Join(", ", KeyStoreLimits.RsaKeySizes)}");

        var tokenLifetime = builder.AddCheckedDuration("token-lifetime", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5), TimeSpan.FromDays(1));
        var jwksMaxAge = builder.AddCheckedDuration("jwks-max-age", TimeSpan.FromMinutes(1), TimeSpan.Zero, TimeSpan.FromDays(1));
        var refreshInterval = builder.AddCheckedDuration("jwks-refresh-interval", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        var propagationDelay = builder.AddCheckedDuration("key-propagation-delay", TimeSpan.FromMinutes(2.5),
            refreshInterval.Value + jwksMaxAge.Value, KeyStoreLimits.MaximumDuration,
            " (jwks-refresh-interval + jwks-max-age: the longest a validator can take to see a new key)");
        var retention = builder.AddCheckedDuration("key-retention", TimeSpan.FromMinutes(6),
            tokenLifetime.Value + AccessTokenProtocol.ClockSkew, KeyStoreLimits.MaximumDuration,
            $" (token-lifetime + the API's {AccessTokenProtocol.ClockSkew.TotalSeconds:0} s clock skew: the longest a token can be accepted)");

        IResourceBuilder<ParameterResource>? passphrase = null;
        if (builder.IsParameterConfigured("key-passphrase") || builder.ExecutionContext.IsPublishMode)
        {
            // Run, it is added only when set: an unset secret parameter would make `dotnet run` prompt
            // for it. Published, always: a deployment's store sits on a shared volume, where keys
            // should be encrypted; an empty value leaves them plain.
            passphrase = builder.ExistingParameter("key-passphrase") ?? builder.AddParameter("key-passphrase", secret: true);
        }

        return new KeyParameters(keysDirectory, algorithm, rsaKeySize, tokenLifetime.Parameter, jwksMaxAge.Parameter, refreshInterval.Parameter,
            propagationDelay.Parameter, retention.Parameter, passphrase);
    }
}
