using System.Diagnostics;

namespace AspireJwks.Client;

/// <summary>
/// The demo client's own span. Its source is named after the application, which service defaults
/// (ours and the Aspire template's) already export.
/// </summary>
internal static class ClientInstrumentation
{
    public const string SourceName = "AspireJwks.Client";

    public static readonly ActivitySource Source = new(SourceName);

    public static class Spans
    {
        public const string ClientRun = "client.run";
    }
}
