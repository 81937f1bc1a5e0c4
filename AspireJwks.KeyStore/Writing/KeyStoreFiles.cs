
namespace AspireJwks.KeyStore.Writing;

/// <summary>
/// The store's file operations, made atomic and durable. A write goes to a temporary file in the
/// same directory, reaches the disk, replaces the target with a rename, and the directory is then
/// flushed so the rename itself survives a power loss; readers see the old file or the whole new
/// one, and a crash leaves at worst a stray temporary file, which the next command removes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class KeyStoreFiles : IKeyStoreFiles
{
    public const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode WorldReadable = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temporaryPath = Path.Combine(directory, KeyStoreLayout.TemporaryFileName(Path.GetFileName(path)));
        try
        {
            using (var stream = new FileStream(temporaryPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = mode,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporaryPath, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporaryPath);
            throw;
        }
        Posix.SyncDirectory(directory);
    }

    public void Delete(IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            File.Delete(path);
        }
        foreach (var directory in paths.Select(Path.GetDirectoryName).Distinct())
        {
            Posix.SyncDirectory(directory!);
        }
    }
}
