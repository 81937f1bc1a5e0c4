using AspireJwks.Api.Endpoints;
using AspireJwks.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiServices();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapProtectedApi();
app.MapPublicApi();

app.Run();
