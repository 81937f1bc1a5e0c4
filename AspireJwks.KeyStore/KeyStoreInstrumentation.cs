using System.Diagnostics;

namespace AspireJwks.KeyStore;

/// <summary>The key store's telemetry: what the key commands and the issuer's store reader record.</summary>
internal static class KeyStoreInstrumentation
{
    public const string SourceName = "AspireJwks.KeyStore";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Span names as the dashboard shows them.</summary>
    public static class Spans
    {
        public const string KeysGenerate = "keys.generate";
        public const string KeysLoad = "keys.load";
    }
}
