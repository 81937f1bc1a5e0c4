using System.Diagnostics;

namespace AspireJwks.Issuer.Telemetry;

/// <summary>The token issuer's telemetry names: its ActivitySource, its meter and their instruments.</summary>
internal static class IssuerInstrumentation
{
    public const string SourceName = "AspireJwks.Issuer";
    public const string MeterName = "AspireJwks.Issuer";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Span names as the dashboard shows them.</summary>
    public static class Spans
    {
        public const string TokenIssue = "token.issue";
    }

    /// <summary>Instrument names on the <see cref="MeterName"/> meter.</summary>
    public static class Metrics
    {
        public const string TokensIssued = "aspirejwks.tokens.issued";
        public const string IssueDuration = "aspirejwks.token.issue.duration";
    }
}
