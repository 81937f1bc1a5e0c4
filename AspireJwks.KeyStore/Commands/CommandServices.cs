using AspireJwks.KeyStore.Writing;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.KeyStore.Commands;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class CommandServices
{
    /// <summary>The commands and the store writer they share; the caller registers the <see cref="TimeProvider"/> and configuration.</summary>
    public static IServiceCollection AddKeyStoreCommandServices(this IServiceCollection services) => services
        .AddSingleton<IKeyStoreFiles, KeyStoreFiles>()
        .AddSingleton<KeyStoreWriter>()
        .AddSingleton<InitCommand>()
        .AddSingleton<RotateCommand>()
        .AddSingleton<RevokeCommand>()
        .AddSingleton<ListCommand>();
}
