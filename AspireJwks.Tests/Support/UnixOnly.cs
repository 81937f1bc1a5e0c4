// The tests exercise the key store, whose protection is Unix file modes.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
