// What the platform alone costs per validated request: JwtBearer with its defaults, pointed at
// AspireJwks' running auth (discovery and JWKS from there), no telemetry, no logging below
// Warning, one protected endpoint answering what the API's /protected answers. bench/run passes
// --Authority and --urls; the audience is the one AspireJwks' auth issues tokens for.
using System.Security.Claims;
using System.Text.Json.Serialization;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var authority = builder.Configuration["Authority"]
    ?? throw new InvalidOperationException("Set Authority (e.g. --Authority http://127.0.0.1:<auth port>) to the running auth's address.");
builder.Services.AddAuthentication().AddJwtBearer(options =>
{
    options.Authority = authority;
    options.RequireHttpsMetadata = false;
    options.TokenValidationParameters.ValidAudience = "aspirejwks-api";
});
builder.Services.AddAuthorization();

var app = builder.Build();
app.MapGet("/protected", (ClaimsPrincipal user) => TypedResults.Ok(new ProtectedResponse(
        "Protected resource accessed",
        user.FindFirstValue(ClaimTypes.NameIdentifier),
        user.FindFirstValue("client_id"),
        user.FindFirstValue("scope"))))
    .RequireAuthorization();
app.Run();

internal sealed record ProtectedResponse(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("sub")] string? Sub,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("scope")] string? Scope);
