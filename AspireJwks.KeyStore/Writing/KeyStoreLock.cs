using Microsoft.Win32.SafeHandles;

namespace AspireJwks.KeyStore.Writing;

/// <summary>
/// An exclusive lock on the store for the length of one command, so that two rotations (a
/// dashboard click and a terminal, say) cannot both read the same manifest and overwrite each
/// other. It is an advisory <c>flock</c>, which the kernel releases when the process dies: a crashed
/// command never leaves the store locked. The lock file is opened with <c>O_NOFOLLOW</c>: a symbolic
/// link planted in its place is refused, never followed to create or lock a file elsewhere.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class KeyStoreLock : IDisposable
{
    public const string FileName = ".lock";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly SafeFileHandle _handle;

    private KeyStoreLock(SafeFileHandle handle) => _handle = handle;

    public static KeyStoreLock Acquire(KeyStoreLayout layout, TimeSpan timeout, TimeProvider timeProvider)
    {
        var path = Path.Combine(layout.Directory, FileName);
        var deadline = timeProvider.GetUtcNow() + timeout;
        var handle = Open(path);
        try
        {
            while (!Posix.TryLockExclusive(handle, path))
            {
                if (timeProvider.GetUtcNow() >= deadline)
                {
                    throw new KeyStoreException($"{path} is held by another command; try again when it has finished.");
                }
                Thread.Sleep(RetryDelay);
            }
            return new KeyStoreLock(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static SafeFileHandle Open(string path)
    {
        try
        {
            return Posix.OpenWithoutFollowing(path, KeyStoreFiles.OwnerReadWrite);
        }
        catch (IOException ex) when (ex.HResult == Posix.TooManyLinks)
        {
            throw new KeyStoreException(
                $"{path} is a symbolic link; the store's lock file must be a regular file. Remove the link and run the command again.", ex);
        }
    }

    public void Dispose() => _handle.Dispose();
}
