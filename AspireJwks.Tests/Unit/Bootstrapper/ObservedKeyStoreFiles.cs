using AspireJwks.KeyStore.Writing;

namespace AspireJwks.Tests.Unit.Bootstrapper;

/// <summary>One file operation of a store transaction, as <see cref="ObservedKeyStoreFiles"/> reports it.</summary>
internal sealed record FileOperation(string Verb, string FileName);

/// <summary>
/// The real file operations, with the test's hand after each one: a test throws from
/// <see cref="AfterEach"/> to crash the transaction at that point, or moves the clock on to play a
/// slow disk.
/// </summary>
internal sealed class ObservedKeyStoreFiles : IKeyStoreFiles
{
    private readonly KeyStoreFiles _disk = new();

    public Action<FileOperation>? AfterEach { get; set; }

    public void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        _disk.Write(path, content, mode);
        AfterEach?.Invoke(new FileOperation("write", Path.GetFileName(path)));
    }

    public void Delete(IReadOnlyList<string> paths)
    {
        _disk.Delete(paths);
        AfterEach?.Invoke(new FileOperation("delete", string.Join(" ", paths.Select(Path.GetFileName))));
    }
}

/// <summary>A crash, thrown from <see cref="ObservedKeyStoreFiles.AfterEach"/>.</summary>
internal sealed class SimulatedCrashException : Exception;
