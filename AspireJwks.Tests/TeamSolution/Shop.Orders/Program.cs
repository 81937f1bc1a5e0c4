var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTokenValidation();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/orders", () => new[] { "order-1", "order-2" }).RequireScope("orders.read");

app.Run();
