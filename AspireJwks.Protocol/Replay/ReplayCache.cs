using System.Security.Cryptography;
using System.Text;

namespace AspireJwks.Protocol.Replay;

/// <summary>
/// Remembers the <c>jti</c>s of one-time JWTs (client assertions, DPoP proofs) for as long as each
/// could still be accepted, so none is accepted twice (RFC 7523 section 3, RFC 9449 section 11.1).
/// Two generations, each <see cref="Retention"/> long: a jti entered now is held for at least one
/// retention and at most two, and memory stays bounded without a timer or a scan. A caller enters
/// a jti only after every other check of its JWT passed, so refused JWTs never fill it. When
/// <see cref="Capacity"/> jtis are held, a new one is refused (fail closed: a replay is never let
/// through because the cache is full) until the older generation ages out. Per process: replicas
/// do not share it (docs/security.md says what that means for each kind).
/// </summary>
internal sealed class ReplayCache(TimeSpan retention, int capacity, TimeProvider timeProvider)
{
    /// <summary>A jti is a random id (RFC 9449 recommends 96 bits or more); one longer than this is not one, and is refused.</summary>
    public const int MaxJtiLength = 256;

    private readonly Lock _lock = new();
    private HashSet<UInt128> _current = [];
    private HashSet<UInt128> _previous = [];
    private DateTimeOffset _currentStarted = timeProvider.GetUtcNow();

    /// <summary>How long each generation lasts: at least the longest time a JWT of this kind can be accepted after it is first seen.</summary>
    public TimeSpan Retention => retention;

    public int Capacity => capacity;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _current.Count + _previous.Count;
            }
        }
    }

    /// <summary>Enters a jti, scoped to who may use it (a client id, a key thumbprint).</summary>
    /// <returns><see cref="ReplayCheck.Fresh"/> the first time; <see cref="ReplayCheck.Replayed"/> after; <see cref="ReplayCheck.Full"/> when no more can be held.</returns>
    public ReplayCheck TryEnter(string scope, string jti)
    {
        // A fixed-size digest, not the strings: an attacker's long jtis cost no more memory than short ones.
        var key = Digest(scope, jti);
        lock (_lock)
        {
            Age();
            if (_current.Contains(key) || _previous.Contains(key))
            {
                return ReplayCheck.Replayed;
            }
            if (_current.Count + _previous.Count >= capacity)
            {
                return ReplayCheck.Full;
            }
            _current.Add(key);
            return ReplayCheck.Fresh;
        }
    }

    private void Age()
    {
        var now = timeProvider.GetUtcNow();
        var age = now - _currentStarted;
        if (age < retention)
        {
            return;
        }
        // After two retentions with nothing entered, both generations are stale.
        _previous = age < 2 * retention ? _current : [];
        _current = [];
        _currentStarted = now;
    }

    private static UInt128 Digest(string scope, string jti)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}\n{jti}"), hash);
        // 128 bits: a collision (a fresh jti taken for a replay) needs about 2^64 entries.
        return new UInt128(BitConverter.ToUInt64(hash[..8]), BitConverter.ToUInt64(hash[8..16]));
    }
}

internal enum ReplayCheck
{
    Fresh,
    Replayed,
    Full,
}
