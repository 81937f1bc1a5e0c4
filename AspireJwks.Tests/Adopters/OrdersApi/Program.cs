using System.Security.Claims;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTokenValidation();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/orders", (ClaimsPrincipal user) => TypedResults.Ok(new Orders(["order-1", "order-2"], user.FindFirstValue("client_id"))))
    .RequireScope("orders.read");
app.MapPost("/orders", () => TypedResults.Created("/orders/order-3"))
    .RequireScope("orders.write");

app.Run();

internal sealed record Orders(string[] Items, string? ReadBy);
