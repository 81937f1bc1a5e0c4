using Microsoft.Extensions.Hosting;

// A run-to-completion tool: the host exists for logging and telemetry (so the dashboard shows
// what the key command did), not to keep running. Its exit code is the outcome.
var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddKeyStoreCommands();

using var host = builder.Build();
return await host.RunKeyStoreCommandAsync(args);
