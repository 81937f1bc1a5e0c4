using System.Diagnostics;

namespace AspireJwks.Authentication.TokenValidation.Telemetry;

/// <summary>Token validation's telemetry names: its ActivitySource, its meter and their instruments.</summary>
internal static class TokenValidationInstrumentation
{
    public const string SourceName = "AspireJwks.TokenValidation";
    public const string MeterName = "AspireJwks.TokenValidation";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Span names as the dashboard shows them.</summary>
    public static class Spans
    {
        public const string TokenValidate = "token.validate";

        /// <summary>The API fetching the JWKS; linked to the request whose unknown kid asked for it.</summary>
        public const string JwksRefresh = "jwks.refresh";
    }

    /// <summary>Instrument names on the <see cref="MeterName"/> meter.</summary>
    public static class Metrics
    {
        public const string TokensValidated = "aspirejwks.tokens.validated";
        public const string ValidateDuration = "aspirejwks.token.validate.duration";

        /// <summary>Rejection log lines left out by the log rate limit (the validation counter still counts every rejection).</summary>
        public const string RejectionLinesSuppressed = "aspirejwks.token.rejection_lines_suppressed";
    }

    /// <summary>Values of <see cref="Protocol.TelemetryAttributes.ValidationCache"/>.</summary>
    public static class ValidationCacheUse
    {
        public const string Hit = "hit";
        public const string Miss = "miss";
        public const string Off = "off";
    }
}
