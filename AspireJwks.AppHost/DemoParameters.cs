using Methods = AspireJwks.Protocol.ClientAuthenticationMethods;

namespace AspireJwks.AppHost;

/// <summary>
/// The demo's own parameters, read and checked before any resource is added. The key store's and
/// the issuer's parameters come with <c>AsKeyStore</c> and <c>AsTokenIssuer</c>, as in any AppHost.
/// </summary>
/// <param name="ClientInterval">How often the demo client calls the API; null (the default) for one run.</param>
internal sealed record DemoParameters(
    IResourceBuilder<ParameterResource> ClientId,
    IResourceBuilder<ParameterResource> ClientSecret,
    IResourceBuilder<ParameterResource> TraceSamplingRatio,
    IResourceBuilder<ParameterResource>? ClientInterval,
    IResourceBuilder<ParameterResource> ClientDPoP,
    IResourceBuilder<ParameterResource> ClientAuthentication,
    IResourceBuilder<ParameterResource> ApiRequireDPoP,
    int AuthReplicas,
    int ApiReplicas)
{
    public const int MaximumReplicas = 8;

    public static DemoParameters Add(IDistributedApplicationBuilder builder) => new(
        ClientId: builder.AddClientIdParameter("client-id", "demo-client"),
        ClientSecret: builder.AddClientSecretParameter("client-secret"),
        TraceSamplingRatio: builder.AddRatioParameter("trace-sampling-ratio", defaultValue: 1.0),
        ClientInterval: builder.IsParameterConfigured("client-interval")
            ? builder.AddDurationParameter("client-interval", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1))
            : null,
        ClientDPoP: builder.AddSwitchParameter("client-dpop", defaultValue: true),
        ClientAuthentication: builder.AddCheckedParameter("client-authentication", Methods.PrivateKeyJwt,
            value => value is Methods.PrivateKeyJwt or Methods.SecretBasic ? value : null,
            "private_key_jwt or client_secret_basic"),
        ApiRequireDPoP: builder.AddSwitchParameter("api-require-dpop", defaultValue: false),
        AuthReplicas: builder.AddReplicaCountParameter("auth-replicas", MaximumReplicas),
        ApiReplicas: builder.AddReplicaCountParameter("api-replicas", MaximumReplicas));
}
