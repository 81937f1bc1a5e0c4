using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.Hosting;

/// <summary>
/// The <c>store</c> resource that an issuer's replicas and its APIs share (replay checks, rate
/// limits, key change announcements): added once, by the first <c>AsTokenIssuer</c> or
/// <c>WithTokenValidation</c>. With <c>ConnectionStrings:store</c> in the AppHost's configuration
/// (a Redis, Valkey or managed Redis an operator runs), that store is used and no Garnet is
/// started; a published manifest names <c>store</c> as a connection string the operator provides.
/// The parameter <c>token-store</c> = <c>none</c> leaves the store out: each process then keeps its
/// own replay checks and rate limits, which holds only for one replica of each service.
/// </summary>
internal static class TokenStoreExtensions
{
    public const string Name = "store";

    /// <summary>The version of the <c>garnet-server</c> tool, pinned so every run starts the same server.</summary>
    public const string GarnetVersion = "2.2.12";

    private const string Garnet = "garnet";
    private const string None = "none";

    /// <summary>The store, or null when the AppHost's <c>token-store</c> parameter says <c>none</c>.</summary>
    public static IResourceBuilder<IResourceWithConnectionString>? GetOrAddTokenStore(this IDistributedApplicationBuilder builder)
    {
        // Read, not added: it shapes the graph at build time, and no service reads it.
        var mode = builder.ReadCheckedValue("token-store", Garnet,
            value => value.ToLowerInvariant() is Garnet or None ? value.ToLowerInvariant() : null, "garnet or none");
        if (mode == None)
        {
            return null;
        }
        if (builder.Resources.OfType<IResourceWithConnectionString>().FirstOrDefault(resource => resource.Name == Name) is { } existing)
        {
            return builder.CreateResourceBuilder(existing);
        }
        if (builder.ExecutionContext.IsPublishMode || !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(Name)))
        {
            return builder.AddConnectionString(Name);
        }
        return builder.AddGarnetStore();
    }

    /// <summary>Gives the service the store (<c>ConnectionStrings__store</c>) and waits for it to be healthy.</summary>
    public static IResourceBuilder<ProjectResource> WithTokenStore(this IResourceBuilder<ProjectResource> service)
    {
        return service.ApplicationBuilder.GetOrAddTokenStore() is { } store ? service.WithReference(store).WaitFor(store) : service;
    }

    private static IResourceBuilder<GarnetStoreResource> AddGarnetStore(this IDistributedApplicationBuilder builder)
    {
        // A new password each run: Garnet keeps nothing from one run to the next, so nothing needs the old one.
        var password = builder.AddParameter($"{Name}-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
        var settings = GarnetSettingsFile.ForThisRun();
        var store = builder.AddResource(new GarnetStoreResource(Name, builder.AppHostDirectory, password.Resource))
            .WithEndpoint(name: GarnetStoreResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                var endpoint = ((GarnetStoreResource)context.Resource).Endpoint;
                context.Args.Add("tool");
                context.Args.Add("exec");
                context.Args.Add($"garnet-server@{GarnetVersion}");
                // Fetched from NuGet on the first run, then from the package cache.
                context.Args.Add("--yes");
                context.Args.Add("--");
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--port");
                context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
                // The password, from a file only this user can read, so it is on no command line.
                context.Args.Add("--config-import-path");
                context.Args.Add(settings.Path);
                // RedisRateLimiting's token buckets are Lua scripts.
                context.Args.Add("--lua");
                // A log in memory of bounded size, which drops its oldest records when full: about
                // 8 million jtis (docs/deployment.md; LastingKeys keeps the two keys without an
                // expiry at its tail). A background scan deletes expired jtis and their space is
                // used again (revivification), so the log fills more slowly.
                context.Args.Add("--memory");
                context.Args.Add("512m");
                context.Args.Add("--page");
                context.Args.Add("4m");
                context.Args.Add("--index");
                context.Args.Add("64m");
                context.Args.Add("--expired-key-deletion-scan-freq");
                context.Args.Add("10");
                context.Args.Add("--reviv");
            })
            .WithReferenceRelationship(password);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(store.Resource, async (_, cancellationToken) =>
            settings.Write(await password.Resource.GetValueAsync(cancellationToken)
                ?? throw new InvalidOperationException($"Parameter '{password.Resource.Name}' has no value.")));

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(store.Resource, async (_, cancellationToken) =>
            connectionString = await store.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var healthCheck = $"{Name}-health";
        builder.Services.AddHealthChecks().AddRedis(_ => connectionString ?? throw new InvalidOperationException("The store has no address yet."), healthCheck);
        return store.WithHealthCheck(healthCheck);
    }

    /// <summary>
    /// Garnet's settings that must not be on its command line, in a folder of this run's own that
    /// only this user can enter: the file is written with the password each time the store starts.
    /// </summary>
    private sealed class GarnetSettingsFile(string path)
    {
        public string Path => path;

        public static GarnetSettingsFile ForThisRun()
        {
            var directory = Directory.CreateTempSubdirectory("aspirejwks-store-");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            return new GarnetSettingsFile(System.IO.Path.Combine(directory.FullName, "garnet.conf"));
        }

        public void Write(string password)
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var file = new FileStream(path, options);
            using var json = new Utf8JsonWriter(file);
            json.WriteStartObject();
            json.WriteString("AuthenticationMode", "Password");
            json.WriteString("Password", password);
            json.WriteEndObject();
        }
    }
}
