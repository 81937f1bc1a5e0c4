namespace AspireJwks.KeyStore.Writing;

/// <summary>
/// The file operations a store transaction makes, and the only ones: writing a whole file and
/// deleting files. An interface because these are the moments a crash can fall between, and tests
/// put one there by handing the transaction an implementation that fails after a given operation.
/// </summary>
internal interface IKeyStoreFiles
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> at once: readers see the old file or the new one, never a part.</summary>
    /// <param name="mode">The file's mode from its creation on, so a private key is never, even briefly, readable by others.</param>
    void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode);

    /// <summary>Deletes the files, in the order given.</summary>
    void Delete(IReadOnlyList<string> paths);
}
