using System.Security.Claims;

// Made without Properties/launchSettings.json, so its address comes from WithTokenValidation alone.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTokenValidation();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/invoices", (ClaimsPrincipal user) => TypedResults.Ok(new Invoices(["invoice-1"], user.FindFirstValue("client_id"))))
    .RequireScope("invoices.read");

app.Run();

internal sealed record Invoices(string[] Items, string? ReadBy);
