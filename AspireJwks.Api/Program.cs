using AspireJwks.Api.Endpoints;
using AspireJwks.Api.Extensions;
using AspireJwks.Api.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiServices();

var app = builder.Build();

app.UseTokenValidationTelemetry();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapProtectedApi();
app.MapPublicApi();

app.Run();
