using AspireJwks.KeyStore;

namespace AspireJwks.Bootstrapper.Store;

/// <summary>
/// An exclusive lock on the store for the length of one command, so that two rotations (a
/// dashboard click and a terminal, say) cannot both read the same manifest and overwrite each
/// other. On Unix, .NET takes <c>FileShare.None</c> as an advisory <c>flock</c>, which the kernel
/// releases when the process dies: a crashed command never leaves the store locked.
/// </summary>
internal sealed class KeyStoreLock : IDisposable
{
    public const string FileName = ".lock";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _stream;

    private KeyStoreLock(FileStream stream) => _stream = stream;

    public static KeyStoreLock Acquire(KeyStoreLayout layout, TimeSpan timeout, TimeProvider timeProvider)
    {
        var path = Path.Combine(layout.Directory, FileName);
        var deadline = timeProvider.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                return new KeyStoreLock(new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.OpenOrCreate,
                    Access = FileAccess.ReadWrite,
                    Share = FileShare.None,
                    UnixCreateMode = KeyStoreFiles.OwnerReadWrite,
                }));
            }
            catch (IOException) when (File.Exists(path) && timeProvider.GetUtcNow() < deadline)
            {
                Thread.Sleep(RetryDelay);
            }
            catch (IOException ex) when (File.Exists(path))
            {
                throw new KeyStoreException($"{path} is held by another command; try again when it has finished.", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
