var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddHttpClient("invoices", http => http.BaseAddress = new Uri("https+http://invoices"))
    .AddClientCredentialsToken("invoices.read");
builder.Services.AddHostedService<Clerk>();

builder.Build().Run();

/// <summary>Every second, one read of the invoices API, and one line saying how it went.</summary>
internal sealed class Clerk(IHttpClientFactory httpClientFactory, ILogger<Clerk> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            try
            {
                using var response = await httpClientFactory.CreateClient("invoices").GetAsync(new Uri("/invoices", UriKind.Relative), stoppingToken);
                logger.LogInformation("Invoices: {Status} {Body}", (int)response.StatusCode, await response.Content.ReadAsStringAsync(stoppingToken));
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                // The reason is the point: without an address for invoices it reads "Name or service not known".
                logger.LogWarning("Invoices: failed: {Reason}", error.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
