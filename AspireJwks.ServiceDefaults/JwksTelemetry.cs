using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AspireJwks.ServiceDefaults;

/// <summary>
/// The project's telemetry names, in one place so that every service registers and emits the
/// same ones and the dashboard (and the checks that read it) can rely on them.
/// </summary>
public static class JwksTelemetry
{
    public const string BootstrapperSourceName = "AspireJwks.Bootstrapper";
    public const string AuthSourceName = "AspireJwks.Auth";
    public const string ApiSourceName = "AspireJwks.Api";
    public const string ClientSourceName = "AspireJwks.Client";

    /// <summary>The meter every service's counters and histograms hang off.</summary>
    public const string MeterName = "AspireJwks";

    public static readonly ActivitySource Bootstrapper = new(BootstrapperSourceName);
    public static readonly ActivitySource Auth = new(AuthSourceName);
    public static readonly ActivitySource Api = new(ApiSourceName);
    public static readonly ActivitySource Client = new(ClientSourceName);

    internal static readonly string[] SourceNames =
        [BootstrapperSourceName, AuthSourceName, ApiSourceName, ClientSourceName];

    /// <summary>Span and attribute names as the dashboard shows them.</summary>
    public static class Spans
    {
        public const string KeysGenerate = "keys.generate";
        public const string KeysLoad = "keys.load";
        public const string TokenIssue = "token.issue";
        public const string TokenValidate = "token.validate";
        public const string ClientRun = "client.run";
    }

    public static class Attributes
    {
        public const string Kid = "jwt.kid";
        public const string Alg = "jwt.alg";
        public const string Jti = "jwt.jti";
        public const string ClientId = "oauth.client_id";
        public const string Scope = "oauth.scope";
        public const string Outcome = "aspirejwks.outcome";
        public const string Reason = "aspirejwks.reason";
    }
}
