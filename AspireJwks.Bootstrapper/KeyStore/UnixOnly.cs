// The key store's protection is Unix file modes (private keys are 0600 from creation); on
// Windows it would need ACLs this code does not set, so it does not claim to run there.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
