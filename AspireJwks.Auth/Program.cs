using AspireJwks.Auth.Endpoints;
using AspireJwks.Auth.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAuthServices();

var app = builder.Build();

app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapJwksApi();
app.MapDiscoveryApi();
app.MapTokenApi();

app.Run();
