using System.Diagnostics;

namespace AspireJwks.Store;

/// <summary>The store's telemetry names: its meter, and the source of its client spans (<see cref="StoreSpans"/>).</summary>
internal static class StoreInstrumentation
{
    public const string MeterName = "AspireJwks.Store";

    /// <summary>The client spans of the store's commands, under the request that sent them.</summary>
    public const string ActivitySourceName = "AspireJwks.Store";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>Instrument names on the <see cref="MeterName"/> meter.</summary>
    public static class Metrics
    {
        /// <summary>Operations the store did not answer in time, by what they were for (<c>replay</c>, <c>rate_limit</c>, <c>announce</c>).</summary>
        public const string Unavailable = "aspirejwks.store.unavailable";
    }

    /// <summary>What a store operation was for, as the <c>aspirejwks.store.operation</c> dimension says.</summary>
    public static class Operations
    {
        public const string Attribute = "aspirejwks.store.operation";
        public const string Replay = "replay";
        public const string RateLimit = "rate_limit";
        public const string Announce = "announce";
    }
}
