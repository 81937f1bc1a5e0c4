using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using AspireJwks.Store.RateLimiting;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.RateLimiting;

/// <summary>
/// The per-address limit's partitions, a fixed number of them. Each address (an IPv4 address, an
/// IPv6 /64) falls into one of <see cref="Count"/> token buckets chosen by HMAC-SHA256 under a key
/// shared by the issuer's replicas (in the store; else drawn at random when the process starts),
/// so an address's requests count against one bucket whichever replica they reach.
/// </summary>
/// <remarks>
/// The trade-off: one partition per address made memory grow with the number of addresses seen in
/// the limiter's 10 s idle window (an IPv6 /48 holds 65,536 /64s; a botnet holds what it holds), and
/// every partition is visited by its 100 ms replenishment sweep. With a fixed count, memory and
/// sweep stay bounded whatever the traffic, and a flood from many addresses gets at most
/// <see cref="Count"/> x the rate in all. The price is sharing: addresses that fall into one
/// bucket share its rate, so a flood spread over many addresses also slows the honest addresses it
/// happens to share buckets with (about flood addresses / <see cref="Count"/> per bucket). The key
/// is secret, so nobody can choose addresses that land in a given client's bucket; the per-client
/// limit behind this one is unaffected.
/// </remarks>
internal sealed class AddressPartitions : IDisposable
{
    /// <summary>A power of two, so the hash maps onto it without bias.</summary>
    public const int Count = 4096;

    private readonly IOptions<TokenRateLimitOptions> _options;
    private readonly ITokenBuckets _buckets;

    // One HMAC object per thread, since one is not thread-safe: the one-shot HMACSHA256.HashData
    // sets up a new context per call and cost about three times as much per request here.
    private volatile ThreadLocal<HMACSHA256> _hmac;

    // Every key's HMAC objects, disposed with the partitions: a request may still hash with the first key while the shared one arrives.
    private readonly List<ThreadLocal<HMACSHA256>> _keys = [];

    public AddressPartitions(IOptions<TokenRateLimitOptions> options, ITokenBuckets buckets)
    {
        _options = options;
        _buckets = buckets;
        _hmac = Keyed(RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>
    /// Maps addresses with the key every replica shares from now on, so that an address's requests
    /// count against one bucket in the store whichever replica they reach. Until then, a key of this
    /// process's own (the buckets' names differ, their rates do not).
    /// </summary>
    public void UseSharedKey(byte[] key)
    {
        if (SharedKey is { } current && CryptographicOperations.FixedTimeEquals(current, key))
        {
            return;
        }
        _hmac = Keyed(key);
        SharedKey = key;
    }

    /// <summary>The key every replica shares, once the store has given it.</summary>
    public byte[]? SharedKey { get; private set; }

    private ThreadLocal<HMACSHA256> Keyed(byte[] key)
    {
        var keyed = new ThreadLocal<HMACSHA256>(() => new HMACSHA256(key), trackAllValues: true);
        lock (_keys)
        {
            _keys.Add(keyed);
        }
        return keyed;
    }

    /// <summary>The token bucket for this address, or no limit when rate limiting is off.</summary>
    public RateLimitPartition<int> For(IPAddress? address)
    {
        var settings = _options.Value;
        return settings.Enabled
            ? RateLimitPartition.Get(IndexOf(address), index => _buckets.Create($"address:{index}", TokenBuckets.PerSecond(settings.TokenRequestsPerSecond!.Value)))
            : RateLimitPartition.GetNoLimiter(0);
    }

    internal int IndexOf(IPAddress? address)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _hmac.Value!.TryComputeHash(Encoding.ASCII.GetBytes(AddressKey(address)), hash, out _);
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(hash) & (Count - 1));
    }

    public void Dispose()
    {
        lock (_keys)
        {
            foreach (var keyed in _keys)
            {
                foreach (var hmac in keyed.Values)
                {
                    hmac.Dispose();
                }
                keyed.Dispose();
            }
        }
    }

    /// <summary>
    /// One key per IPv4 address and per IPv6 /64: a single IPv6 host usually holds a whole /64,
    /// and one key per address would let it rotate through them.
    /// </summary>
    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
