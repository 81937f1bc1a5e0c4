namespace AspireJwks.Protocol.Replay;

/// <summary>A kind of one-time JWT (a DPoP proof, a client assertion) and how its <c>jti</c>s are kept.</summary>
/// <param name="Name">Names the kind in the store's keys and in telemetry.</param>
/// <param name="Retention">How long a jti is kept: at least the longest a JWT of this kind can be accepted after it is first seen.</param>
/// <param name="MemoryCapacity">How many jtis of this kind one process holds when there is no store.</param>
/// <param name="NonceWindow">
/// For a kind a server may ask to carry its nonce (DPoP, RFC 9449 section 8): how far ahead of the
/// server's clock the JWT's <c>iat</c> may be. After the store restarts empty, such a JWT whose
/// <c>iat</c> is within this of the restart could have been used before it, so it must carry the
/// store's nonce, which did not exist before. Null for a kind without nonces (client assertions):
/// one whose <c>iat</c> is not after the restart is refused.
/// </param>
internal sealed record OneTimeJwtKind(string Name, TimeSpan Retention, int MemoryCapacity, TimeSpan? NonceWindow);

/// <summary>One JWT to enter, once every other check of it has passed.</summary>
/// <param name="Scope">Who may use the jti: a client id, a key thumbprint. Two scopes never share a jti.</param>
/// <param name="IssuedAt">When the JWT says it was made (its <c>iat</c>, or the earliest it can have been made).</param>
/// <param name="Nonce">The JWT's <c>nonce</c> claim, if it has one.</param>
internal readonly record struct OneTimeJwt(OneTimeJwtKind Kind, string Scope, string Jti, DateTimeOffset IssuedAt, string? Nonce = null);

/// <summary>What became of a jti.</summary>
internal enum ReplayVerdict
{
    /// <summary>First use: the JWT is accepted.</summary>
    Fresh,

    /// <summary>The jti was used before.</summary>
    Replayed,

    /// <summary>Process memory holds as many jtis as it may: refused until older ones age out (fail closed).</summary>
    Full,

    /// <summary>The store restarted empty after the JWT was made: it may have been used before, so it is refused.</summary>
    PredatesStore,

    /// <summary>The store restarted empty shortly before: the JWT must carry the store's nonce (<see cref="ReplayResult.Nonce"/>).</summary>
    NonceRequired,

    /// <summary>The store did not answer in time: nothing is known, so the JWT is refused, never let through.</summary>
    Unavailable,
}

/// <param name="Store">Which store answered: <see cref="ReplayStores.Store"/> or <see cref="ReplayStores.Memory"/>.</param>
/// <param name="Nonce">With <see cref="ReplayVerdict.NonceRequired"/>, the nonce to hand the client.</param>
internal readonly record struct ReplayResult(ReplayVerdict Verdict, string Store, string? Nonce = null);

/// <summary>The names of the two stores, as telemetry reports which one answered.</summary>
internal static class ReplayStores
{
    /// <summary>The Redis-protocol store that every replica shares.</summary>
    public const string Store = "store";

    /// <summary>This process's own memory, when the service was given no store.</summary>
    public const string Memory = "memory";
}
