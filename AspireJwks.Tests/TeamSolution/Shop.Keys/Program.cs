using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddKeyStoreCommands();
using var host = builder.Build();
return await host.RunKeyStoreCommandAsync(args);
