var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTokenValidation();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/invoices", () => new[] { "invoice-1" }).RequireScope("billing.read");

app.Run();
