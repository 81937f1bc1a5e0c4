namespace AspireJwks.Bootstrapper.Store;

/// <summary>
/// Writes a file so that readers see either the old content or the whole new one: the bytes go
/// to a temporary file in the same directory, reach the disk, then replace the target with a
/// rename. A crash leaves at worst a stray temporary file, never a half-written key.
/// </summary>
internal sealed class KeyStoreFiles : IKeyStoreFiles
{
    public const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode WorldReadable = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var temporaryPath = Path.Combine(
            Path.GetDirectoryName(path)!,
            $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
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
    }

    public void Delete(IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            File.Delete(path);
        }
    }
}
