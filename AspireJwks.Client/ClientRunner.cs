using AspireJwks.ServiceDefaults;

namespace AspireJwks.Client;

/// <summary>
/// One run of the demo client: get a token, call the API, log the answer, stop. The process exit
/// code reports the outcome, so the dashboard and the tests can see it.
/// </summary>
internal sealed class ClientRunner(
    ProtectedApiClient api,
    IHostApplicationLifetime lifetime,
    ILogger<ClientRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = JwksTelemetry.Client.StartActivity(JwksTelemetry.Spans.ClientRun);
        try
        {
            var body = await api.GetProtectedAsync(stoppingToken);
            logger.LogInformation("API Response: {Response}", body);
            activity?.SetTag(JwksTelemetry.Attributes.Outcome, JwksTelemetry.Outcomes.Success);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            Environment.ExitCode = 1;
            activity?.SetTag(JwksTelemetry.Attributes.Outcome, JwksTelemetry.Outcomes.Failure)
                .SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            logger.LogError("Client run failed: {Reason}", ex.Message);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
