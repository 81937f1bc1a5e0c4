using AspireJwks.Protocol.Replay;
using AspireJwks.Store.KeyChanges;
using AspireJwks.Store.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace AspireJwks.Store;

/// <summary>
/// Registers where a service keeps what its replicas must agree on: the store named by the Aspire
/// connection string <c>ConnectionStrings:store</c> (reached through Aspire's Redis client, with its
/// tracing), or, when there is none, this process's memory. Called by <c>AddTokenIssuer</c> and
/// <c>AddTokenValidation</c>; the first call decides.
/// </summary>
internal static class TokenStoreRegistration
{
    /// <summary>The resource name the AppHost gives the store, and so the connection string's name.</summary>
    public const string ConnectionName = "store";

    public static IHostApplicationBuilder AddTokenStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(service => service.ServiceType == typeof(IReplayStore)))
        {
            return builder;
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>();
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.SectionName).ValidateOnStart();
        services.AddHostedService<StoreStartup>();
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(StoreInstrumentation.MeterName));

        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionName)))
        {
            services.AddSingleton<IReplayStore, MemoryReplayStore>();
            services.AddSingleton<IKeyChangeChannel, NoKeyChangeChannel>();
            services.AddSingleton<ITokenBuckets, ProcessTokenBuckets>();
            return builder;
        }

        var timeout = builder.Configuration.GetSection(StoreOptions.SectionName).GetValue(nameof(StoreOptions.Timeout), new StoreOptions().Timeout);
        // Keyed, so a service's own IConnectionMultiplexer (AddRedisClient) is never replaced or shared.
        // Aspire's health check reports Unhealthy; the store's own reports Degraded (StoreHealthCheck says
        // why). Aspire's tracing costs every request, sampled or not; StoreSpans says why and traces instead.
        builder.AddKeyedRedisClient(ConnectionName, settings =>
        {
            settings.DisableHealthChecks = true;
            settings.DisableTracing = true;
        }, options =>
        {
            // Start and go on without the store: what needs it answers 503 until it is back.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2000;
            // A command issued while disconnected fails at once instead of queueing until the store returns.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            // Back within a second or so of the store's return, not the client's default of up to a minute.
            options.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
            // The requests wait at most the timeout (a few in a busy process: RedisReplayStore says
            // why); a command the store never answers is dropped a few seconds later. The client
            // counts from the moment it sent, and cannot tell an answer this process has not read yet
            // from none, so its own limit stays above what a busy process's requests wait.
            options.AsyncTimeout = options.SyncTimeout = (int)Math.Max(5000, 2 * RedisReplayStore.MaximumWaits * timeout.TotalMilliseconds);
            options.ClientName = builder.Environment.ApplicationName;
            // Replies read on the .NET thread pool, not on the client's own reader threads, which
            // then hand every completion over to the pool: measured with 16 concurrent replay
            // checks against Garnet on loopback, 5 us of CPU per SET instead of 11. When the pool is
            // busy, answers wait for it either way (on Linux every socket completion runs on it):
            // RedisReplayStore.AnsweredInTimeAsync says how a busy pool is told from a silent store.
            options.SocketManager = SocketManager.ThreadPool;
        });
        services.AddSingleton<StoreOutage>();
        services.AddSingleton<StoreSpans>();
        services.AddSingleton<LastingKeys>();
        services.AddHostedService(provider => provider.GetRequiredService<LastingKeys>());
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(StoreInstrumentation.ActivitySourceName));
        services.AddSingleton<IReplayStore, RedisReplayStore>();
        services.AddSingleton<IKeyChangeChannel, RedisKeyChangeChannel>();
        services.AddSingleton<ITokenBuckets, StoreTokenBuckets>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>(StoreHealthCheck.Name);
        return builder;
    }
}
