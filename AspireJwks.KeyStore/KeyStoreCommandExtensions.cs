using AspireJwks.KeyStore;
using AspireJwks.KeyStore.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The key store's commands (<c>init</c>, <c>rotate</c>, <c>revoke KID</c>, <c>list</c>) as a
/// console project runs them: the project the AppHost marks with <c>AsKeyStore()</c>.
/// </summary>
public static class KeyStoreCommandExtensions
{
    /// <summary>
    /// Registers the key store's commands, one line of log per outcome, and the
    /// <c>keys.generate</c> and <c>keys.load</c> spans (ActivitySource <c>AspireJwks.KeyStore</c>)
    /// with OpenTelemetry. Call after <c>AddServiceDefaults</c>, then run
    /// <see cref="RunKeyStoreCommandAsync"/>.
    /// </summary>
    public static TBuilder AddKeyStoreCommands<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (OperatingSystem.IsWindows())
        {
            throw KeyStorePlatform.NotSupported();
        }
        // One line per message: the dashboard's console view and scripts read them.
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        // A run-to-completion tool: "Application started" and "shutting down" would only bury its outcome.
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddKeyStoreCommandServices();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(KeyStoreInstrumentation.SourceName));
        return builder;
    }

    /// <summary>
    /// Starts the host (so its telemetry reaches the dashboard), runs the command that
    /// <paramref name="args"/> name, stops the host, and returns the exit code: 0 when the command
    /// did what it says, 1 when it failed (one line says why), 2 when the command line was not understood.
    /// </summary>
    public static async Task<int> RunKeyStoreCommandAsync(this IHost host, string[] args)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(args);
        if (OperatingSystem.IsWindows())
        {
            throw KeyStorePlatform.NotSupported();
        }
        await host.StartAsync();
        try
        {
            return KeyStoreCommandLine.Invoke(host.Services, args);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
