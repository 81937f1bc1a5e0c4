using System.Diagnostics;
using AspireJwks.Protocol;
using Microsoft.Extensions.Options;

namespace AspireJwks.Client;

/// <summary>
/// The demo client: get a token, call the API, log the answer. By default one run, then stop, with
/// the outcome as the exit code so the dashboard and the tests can see it; with an interval, a run
/// every interval until stopped, so the dashboard shows a steady flow of traces, the token reused
/// and renewed, and a rotation's new kid.
/// </summary>
internal sealed class ClientRunner(
    ProtectedApiClient api,
    IOptions<ClientRunOptions> options,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILogger<ClientRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval is not { } interval)
        {
            Environment.ExitCode = await RunOnceAsync(stoppingToken) ? 0 : 1;
            lifetime.StopApplication();
            return;
        }
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task<bool> RunOnceAsync(CancellationToken stoppingToken)
    {
        using var activity = ClientInstrumentation.Source.StartActivity(ClientInstrumentation.Spans.ClientRun);
        try
        {
            var body = await api.GetProtectedAsync(stoppingToken);
            logger.LogInformation("API Response: {Response}", body);
            activity?.SetTag(TelemetryAttributes.Outcome, TelemetryOutcomes.Success);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Any failure (refused, unreachable, a resilience timeout) is this run's outcome, logged with why.
            activity?.SetTag(TelemetryAttributes.Outcome, TelemetryOutcomes.Failure)
                .SetStatus(ActivityStatusCode.Error, ex.Message);
            logger.LogError("Client run failed: {Reason}", ex.Message);
            return false;
        }
    }
}
