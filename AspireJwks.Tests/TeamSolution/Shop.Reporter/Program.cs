var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddHttpClient("orders", c => c.BaseAddress = new("https+http://orders"))
    .AddClientCredentialsToken("orders.read", dpop: true);
// The same API called with a token for another API: it must refuse it.
builder.Services.AddHttpClient("orders-with-a-billing-token", c => c.BaseAddress = new("https+http://orders"))
    .AddClientCredentialsToken("billing.read", dpop: true);
builder.Services.AddHostedService<Reporter>();

builder.Build().Run();

internal sealed class Reporter(IHttpClientFactory clients, ILogger<Reporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await CallAsync("orders", stoppingToken);
            await CallAsync("orders-with-a-billing-token", stoppingToken);
            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
        }
    }

    private async Task CallAsync(string client, CancellationToken stoppingToken)
    {
        try
        {
            using var response = await clients.CreateClient(client).GetAsync("/orders", stoppingToken);
            logger.LogInformation("{Client}: GET /orders answered {Status}", client, (int)response.StatusCode);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("{Client}: GET /orders failed: {Reason}", client, ex.Message);
        }
    }
}
