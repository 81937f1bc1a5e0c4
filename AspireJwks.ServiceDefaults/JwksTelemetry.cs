using System.Diagnostics;

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

    /// <summary>Span names as the dashboard shows them.</summary>
    public static class Spans
    {
        public const string KeysGenerate = "keys.generate";
        public const string KeysLoad = "keys.load";
        public const string TokenIssue = "token.issue";
        public const string TokenValidate = "token.validate";
        public const string ClientRun = "client.run";

        /// <summary>The API fetching the JWKS; linked to the request whose unknown kid asked for it.</summary>
        public const string JwksRefresh = "jwks.refresh";
    }

    /// <summary>
    /// Attribute names, on spans and as metric dimensions. The failure reason uses OpenTelemetry's
    /// own <c>error.type</c> (a low-cardinality class of error), so generic tools recognise it.
    /// </summary>
    public static class Attributes
    {
        public const string Kid = "jwt.kid";
        public const string Alg = "jwt.alg";
        public const string Jti = "jwt.jti";
        public const string ClientId = "oauth.client_id";
        public const string Scope = "oauth.scope";

        /// <summary>How the token travels: <c>Bearer</c>, or <c>DPoP</c> for a token bound to the client's key (never the proof itself).</summary>
        public const string TokenType = "oauth.token_type";

        /// <summary>How the client authenticated at <c>/token</c>: client_secret_basic, client_secret_post or private_key_jwt (never the secret or assertion).</summary>
        public const string ClientAuthMethod = "oauth.client_auth_method";

        /// <summary>Which check of a client assertion or DPoP proof refused a token request (a fixed word such as <c>dpop_replayed</c>).</summary>
        public const string RejectionDetail = "aspirejwks.rejection.detail";
        public const string Outcome = "aspirejwks.token.outcome";
        public const string Reason = "error.type";
        public const string JwksKeyCount = "aspirejwks.jwks.key_count";

        /// <summary>Whether the validated-token cache answered: <c>hit</c>, <c>miss</c>, or <c>off</c> when it is turned off.</summary>
        public const string ValidationCache = "aspirejwks.validation_cache";
    }

    /// <summary>Values of <see cref="Attributes.ValidationCache"/>.</summary>
    public static class ValidationCacheUse
    {
        public const string Hit = "hit";
        public const string Miss = "miss";
        public const string Off = "off";
    }

    /// <summary>Values of <see cref="Attributes.Outcome"/>.</summary>
    public static class Outcomes
    {
        public const string Issued = "issued";
        public const string Rejected = "rejected";
        public const string Valid = "valid";
        public const string Invalid = "invalid";
        public const string Success = "success";
        public const string Failure = "failure";
    }

    /// <summary>Instrument names on the <see cref="MeterName"/> meter.</summary>
    public static class Metrics
    {
        public const string TokensIssued = "aspirejwks.tokens.issued";
        public const string TokensValidated = "aspirejwks.tokens.validated";
        public const string IssueDuration = "aspirejwks.token.issue.duration";
        public const string ValidateDuration = "aspirejwks.token.validate.duration";

        /// <summary>Rejection log lines left out by the log rate limit (the validation counter still counts every rejection).</summary>
        public const string RejectionLinesSuppressed = "aspirejwks.token.rejection_lines_suppressed";
    }
}
