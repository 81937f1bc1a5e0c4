using AspireJwks.Client;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddValidatedOptions<ClientOptions, ClientOptionsValidator>(ClientOptions.SectionName);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<TokenClient>();
builder.Services.AddHttpClient(TokenClient.HttpClientName, (services, http) =>
    http.BaseAddress = new Uri(services.GetRequiredService<IOptions<ClientOptions>>().Value.AuthAddress));
builder.Services.AddHttpClient<ProtectedApiClient>((services, http) =>
    http.BaseAddress = new Uri(services.GetRequiredService<IOptions<ClientOptions>>().Value.ApiAddress));
builder.Services.AddHostedService<ClientRunner>();

await builder.Build().RunAsync();
