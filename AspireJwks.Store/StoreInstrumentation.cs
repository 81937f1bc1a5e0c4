namespace AspireJwks.Store;

/// <summary>The store's telemetry names. Its commands are traced by Aspire's Redis client, under the request that made them.</summary>
internal static class StoreInstrumentation
{
    public const string MeterName = "AspireJwks.Store";

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
