// The benchmarks load Auth, whose key store is protected by Unix file modes.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
