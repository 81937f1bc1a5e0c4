using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace AspireJwks.Store;

/// <summary>
/// One life of the store's data: since when it holds jtis, and an id no earlier life had. A store
/// that restarts empty (Garnet here, a Redis without persistence) loses the key that records it,
/// and the first process to notice begins a new one. A one-time JWT made before that moment may
/// have been used in the life that was lost, so the replay check refuses it, or, for DPoP, asks
/// for the new id as its nonce. A store that loses only its latest writes (a snapshot restored, a
/// failover to a replica that missed them) keeps this key, and is not noticed: docs/deployment.md
/// says to run the store without either.
/// </summary>
/// <param name="Since">When this life began, by the clock of the process that began it.</param>
/// <param name="Id">A random id, handed to DPoP clients as the server's nonce (RFC 9449 section 8).</param>
internal sealed record StoreEpoch(DateTimeOffset Since, string Id)
{
    /// <summary>The one key without an expiry: if it is gone, the data of the last life is gone with it.</summary>
    public static readonly RedisKey Key = "aspirejwks:epoch";

    public static StoreEpoch Begin(DateTimeOffset now) => new(now, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));

    public RedisValue ToValue() => string.Create(CultureInfo.InvariantCulture, $"{Since.ToUnixTimeMilliseconds()}.{Id}");

    /// <summary>The epoch a stored value describes, or null for none (or for a value this code did not write).</summary>
    public static StoreEpoch? From(RedisValue value)
    {
        var text = (string?)value;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot > 0 && long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var since)
            ? new StoreEpoch(DateTimeOffset.FromUnixTimeMilliseconds(since), text![(dot + 1)..])
            : null;
    }

    /// <summary>The current epoch, beginning one if the store has none: of concurrent beginners, the first write wins for all.</summary>
    public static async Task<StoreEpoch> CurrentAsync(IDatabase database, RedisValue current, TimeProvider timeProvider)
    {
        if (From(current) is { } known)
        {
            return known;
        }
        await database.StringSetAsync(Key, Begin(timeProvider.GetUtcNow()).ToValue(), when: When.NotExists);
        return From(await database.StringGetAsync(Key)) ?? throw new RedisException("The store's epoch could not be read back.");
    }
}
