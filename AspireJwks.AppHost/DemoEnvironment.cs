namespace AspireJwks.AppHost;

/// <summary>The environment variables only the demo's own services read, each named once.</summary>
internal static class DemoEnvironment
{
    /// <summary>ServiceDefaults' <c>Telemetry:TraceSamplingRatio</c>.</summary>
    public const string TraceSamplingRatio = "Telemetry__TraceSamplingRatio";

    /// <summary>The demo client's <c>Client:Interval</c>.</summary>
    public const string ClientInterval = "Client__Interval";

    /// <summary>Whether the demo client asks for DPoP-bound tokens (<c>Client:DPoP</c>).</summary>
    public const string ClientDPoP = "Client__DPoP";

    /// <summary>
    /// How the demo client proves itself: AspireJwks.Authentication's
    /// <c>ClientCredentials:AuthenticationMethod</c>, which a service with a key otherwise leaves to
    /// its default (<c>private_key_jwt</c>).
    /// </summary>
    public const string ClientAuthenticationMethod = "ClientCredentials__AuthenticationMethod";
}
