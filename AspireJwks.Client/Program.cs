using AspireJwks.Client;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddValidatedOptions<ClientRunOptions, ClientRunOptionsValidator>(ClientRunOptions.SectionName);
builder.Services.AddHttpClient<ProtectedApiClient>(http => http.BaseAddress = new Uri("https+http://api"))
    .AddClientCredentialsToken(ProtectedApiClient.ReadScope);
builder.Services.AddHostedService<ClientRunner>();

await builder.Build().RunAsync();
