using AspireJwks.Client;
using Microsoft.Extensions.Options;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddSingleton<IValidateOptions<ClientRunOptions>, ClientRunOptionsValidator>();
builder.Services.AddOptions<ClientRunOptions>().BindConfiguration(ClientRunOptions.SectionName).ValidateOnStart();
// DPoP-bound tokens unless the AppHost's client-dpop parameter turns them off.
var dpop = builder.Configuration.GetValue($"{ClientRunOptions.SectionName}:{nameof(ClientRunOptions.DPoP)}", defaultValue: false);
builder.Services.AddHttpClient<ProtectedApiClient>(http => http.BaseAddress = new Uri("https+http://api"))
    .AddClientCredentialsToken(ProtectedApiClient.ReadScope, dpop);
builder.Services.AddHostedService<ClientRunner>();

await builder.Build().RunAsync();
