
namespace AspireJwks.KeyStore.Commands;

/// <summary><c>list</c>: one line per key of the manifest, with its state now and its dates.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ListCommand(TimeProvider timeProvider)
{
    public void Run(KeyStoreLayout layout, TextWriter output)
    {
        var manifest = KeyStoreReader.ReadManifest(layout);
        foreach (var status in KeyLifecycle.Evaluate(manifest, timeProvider.GetUtcNow()))
        {
            output.WriteLine(string.Join("  ",
                status.Kid,
                status.Key.Alg,
                status.State.ToString().ToLowerInvariant().PadRight(7),
                $"created={status.Key.CreatedAt:O}",
                $"activates={status.Key.ActivatesAt:O}",
                $"retires={Format(status.RetiresAt)}",
                $"leaves-jwks={Format(status.Key.RevokedAt ?? status.LeavesJwksAt)}"));
        }
    }

    private static string Format(DateTimeOffset? moment) => moment?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
