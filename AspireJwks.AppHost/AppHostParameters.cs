using Methods = AspireJwks.ServiceDefaults.ClientCredentials.ClientAuthentication;

namespace AspireJwks.AppHost;

/// <summary>Every parameter of the AppHost, read and checked before any resource is added.</summary>
/// <param name="ClientInterval">How often the demo client calls the API; null (the default) for one run.</param>
internal sealed record AppHostParameters(
    IResourceBuilder<ParameterResource> ClientId,
    IResourceBuilder<ParameterResource> ClientSecret,
    IResourceBuilder<ParameterResource> TokenRateLimit,
    IResourceBuilder<ParameterResource> TraceSamplingRatio,
    IResourceBuilder<ParameterResource> ValidationCacheLifetime,
    IResourceBuilder<ParameterResource>? ClientInterval,
    IResourceBuilder<ParameterResource> ClientDPoP,
    IResourceBuilder<ParameterResource> ClientAuthentication,
    IResourceBuilder<ParameterResource> ApiRequireDPoP,
    int AuthReplicas,
    int ApiReplicas,
    KeyParameters Keys)
{
    public const int MaximumReplicas = 8;

    public static AppHostParameters Add(IDistributedApplicationBuilder builder) => new(
        ClientId: builder.AddClientIdParameter("client-id", "demo-client"),
        ClientSecret: builder.AddClientSecretParameter("client-secret"),
        // Auth's own bound (TokenRateLimitOptions), checked here too so a bad value stops the AppHost, not auth.
        TokenRateLimit: builder.AddNonNegativeIntegerParameter("token-rate-limit", defaultValue: 100, maximum: 1_000_000),
        TraceSamplingRatio: builder.AddRatioParameter("trace-sampling-ratio", defaultValue: 1.0),
        ValidationCacheLifetime: builder.AddDurationParameter("validation-cache-lifetime",
            TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromHours(1)).Parameter,
        ClientInterval: builder.IsConfigured("client-interval")
            ? builder.AddDurationParameter("client-interval", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)).Parameter
            : null,
        ClientDPoP: builder.AddSwitchParameter("client-dpop", defaultValue: true),
        ClientAuthentication: builder.AddCheckedParameter("client-authentication", Methods.PrivateKeyJwt,
            value => value is Methods.PrivateKeyJwt or Methods.SecretBasic ? value : null,
            "private_key_jwt or client_secret_basic"),
        ApiRequireDPoP: builder.AddSwitchParameter("api-require-dpop", defaultValue: false),
        AuthReplicas: builder.AddReplicaCountParameter("auth-replicas", MaximumReplicas),
        ApiReplicas: builder.AddReplicaCountParameter("api-replicas", MaximumReplicas),
        Keys: KeyParameters.Add(builder));
}
