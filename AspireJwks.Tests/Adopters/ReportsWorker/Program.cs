var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddHttpClient("orders", http => http.BaseAddress = new Uri("https+http://orders"))
    .AddClientCredentialsToken("orders.read");
builder.Services.AddHostedService<Reporter>();

builder.Build().Run();

/// <summary>Every second, a burst of concurrent reads of the orders API, and one line saying how they went.</summary>
internal sealed class Reporter(IHttpClientFactory httpClientFactory, ILogger<Reporter> logger) : BackgroundService
{
    private const int Burst = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            var calls = Enumerable.Range(0, Burst).Select(async _ =>
            {
                try
                {
                    using var response = await httpClientFactory.CreateClient("orders").GetAsync(new Uri("/orders", UriKind.Relative), stoppingToken);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception) when (!stoppingToken.IsCancellationRequested)
                {
                    return false;
                }
            });
            var answered = (await Task.WhenAll(calls)).Count(ok => ok);
            logger.LogInformation("Report: {Answered} of {Burst} order reads answered 200", answered, Burst);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
