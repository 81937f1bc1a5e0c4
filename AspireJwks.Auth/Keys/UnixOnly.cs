// Auth reads the key store, whose protection is Unix file modes (see the bootstrapper's KeyStore).
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
