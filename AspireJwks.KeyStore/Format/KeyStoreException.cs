namespace AspireJwks.KeyStore;

/// <summary>
/// The key store cannot be used as it is. The message names the file at fault, so an operator
/// knows what to restore; nothing is ever regenerated to paper over it.
/// </summary>
internal sealed class KeyStoreException : Exception
{
    public KeyStoreException(string message) : base(message) { }

    public KeyStoreException(string message, Exception innerException) : base(message, innerException) { }
}
