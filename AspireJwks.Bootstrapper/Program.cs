using AspireJwks.Bootstrapper.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A run-to-completion tool: the host exists for logging and telemetry (so the dashboard shows
// what the bootstrapper did), not to keep running. Its exit code is the outcome.
var builder = Host.CreateApplicationBuilder();
builder.AddServiceDefaults();
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddKeyStoreCommands();

using var host = builder.Build();
await host.StartAsync();
var exitCode = BootstrapperCommandLine.Invoke(host.Services, args);
await host.StopAsync();
return exitCode;
