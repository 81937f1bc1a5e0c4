using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AspireJwks.KeyStore;

/// <summary>
/// The Linux system calls the store needs and .NET has no managed API for: who owns a file
/// (<c>statx</c>, <c>geteuid</c>), opening a file without following a symbolic link
/// (<c>O_NOFOLLOW</c>) and locking that very handle (<c>flock</c>), and flushing a directory's
/// entries so that a rename or a deletion survives a power loss (<c>fsync</c> on a directory, which
/// <see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/> refuses).
/// Bound here rather than through a package: six calls whose ABI is stable, and <c>statx</c> was
/// chosen over <c>stat</c> because its layout is the same on every architecture, which leaves
/// <c>O_NOFOLLOW</c> as the only value that depends on the processor.
/// </summary>
internal static partial class Posix
{
    public const int NoSuchFile = 2;      // ENOENT
    public const int WouldBlock = 11;     // EAGAIN, EWOULDBLOCK
    public const int NotADirectory = 20;  // ENOTDIR
    public const int TooManyLinks = 40;   // ELOOP: what O_NOFOLLOW answers for a symbolic link

    private const string LibC = "libc";
    private const int AtCurrentDirectory = -100;
    private const int StatxTypeModeUid = 0x1 | 0x2 | 0x8;
    private const int ReadOnly = 0, ReadWrite = 2, Create = 0x40, CloseOnExec = 0x80000;
    private const int LockExclusive = 2, LockNonBlocking = 4;
    private const uint FileTypeMask = 0xF000, Directory = 0x4000;

    // Arm and PowerPC number O_NOFOLLOW differently from the generic Linux ABI (x86, s390x, RISC-V, LoongArch).
    private static int NoFollow => RuntimeInformation.ProcessArchitecture
        is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le ? 0x8000 : 0x20000;

    /// <summary>The user this process acts as.</summary>
    public static uint EffectiveUserId
    {
        get
        {
            RequireLinux();
            return geteuid();
        }
    }

    /// <summary>The owner and mode of <paramref name="path"/> (a final symbolic link followed), or null when it does not exist.</summary>
    public static FileOwnership? Ownership(string path)
    {
        RequireLinux();
        if (statx(AtCurrentDirectory, path, 0, StatxTypeModeUid, out var status) == 0)
        {
            return new FileOwnership(status.Uid, (UnixFileMode)(status.Mode & 0xFFF), (status.Mode & FileTypeMask) == Directory);
        }
        var error = Marshal.GetLastPInvokeError();
        return error is NoSuchFile or NotADirectory ? null : throw Failure("read", path, error);
    }

    /// <summary>Opens <paramref name="path"/> for reading and writing, creating it with <paramref name="mode"/>; a symbolic link is never followed.</summary>
    /// <exception cref="IOException">With <see cref="Exception.HResult"/> the errno: <see cref="TooManyLinks"/> for a symbolic link.</exception>
    public static SafeFileHandle OpenWithoutFollowing(string path, UnixFileMode mode)
    {
        RequireLinux();
        var handle = open(path, ReadWrite | Create | CloseOnExec | NoFollow, (uint)mode);
        return handle.IsInvalid ? throw Failure("open", path, Marshal.GetLastPInvokeError()) : handle;
    }

    /// <summary>Takes an exclusive advisory lock on the open file; false when another open file holds it.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle, string path)
    {
        if (flock(handle, LockExclusive | LockNonBlocking) == 0)
        {
            return true;
        }
        var error = Marshal.GetLastPInvokeError();
        return error == WouldBlock ? false : throw Failure("lock", path, error);
    }

    /// <summary>Flushes <paramref name="directory"/>'s entries to the disk: the renames and deletions in it are then durable.</summary>
    public static void SyncDirectory(string directory)
    {
        RequireLinux();
        using var handle = open(directory, ReadOnly | CloseOnExec, 0);
        if (handle.IsInvalid || fsync(handle) != 0)
        {
            throw Failure("flush", directory, Marshal.GetLastPInvokeError());
        }
    }

    private static IOException Failure(string operation, string path, int error) =>
        new($"Cannot {operation} {path}: {Marshal.GetPInvokeErrorMessage(error)}", error);

    private static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new KeyStoreException("The key store runs on Linux only: it checks file ownership and flushes directories through Linux system calls.");
        }
    }

    [LibraryImport(LibC)]
    private static partial uint geteuid();

    [LibraryImport(LibC, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directoryHandle, string path, int flags, int mask, out Statx status);

    [LibraryImport(LibC, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeFileHandle open(string path, int flags, uint mode);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int flock(SafeFileHandle handle, int operation);

    [LibraryImport(LibC, SetLastError = true)]
    private static partial int fsync(SafeFileHandle handle);

    /// <summary><c>struct statx</c> (linux/stat.h, 256 bytes); only the fields read here are declared.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(28)] public ushort Mode;
    }
}

/// <param name="Mode">The permission bits.</param>
internal readonly record struct FileOwnership(uint OwnerId, UnixFileMode Mode, bool IsDirectory);
