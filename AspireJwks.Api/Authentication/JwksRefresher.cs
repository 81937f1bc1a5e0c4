namespace AspireJwks.Api.Authentication;

/// <summary>
/// Keeps the JWKS fresh in the background: once at start, then every refresh interval or sooner
/// when a token with an unknown kid asks for it, so no request ever waits on the network.
/// </summary>
internal sealed class JwksRefresher(JwksConfigurationManager keys) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await keys.RefreshAsync(stoppingToken);
                await keys.WaitForNextRefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
