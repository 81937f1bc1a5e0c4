using AspireJwks.Client;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddValidatedOptions<ClientRunOptions, ClientRunOptionsValidator>(ClientRunOptions.SectionName);
// DPoP-bound tokens unless the AppHost's client-dpop parameter turns them off.
var dpop = builder.Configuration.GetValue($"{ClientRunOptions.SectionName}:{nameof(ClientRunOptions.DPoP)}", defaultValue: false);
builder.Services.AddHttpClient<ProtectedApiClient>(http => http.BaseAddress = new Uri("https+http://api"))
    .AddClientCredentialsToken(ProtectedApiClient.ReadScope, dpop);
builder.Services.AddHostedService<ClientRunner>();

await builder.Build().RunAsync();
