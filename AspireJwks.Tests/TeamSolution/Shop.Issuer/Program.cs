var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTokenIssuer();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTokenIssuer();

app.Run();
