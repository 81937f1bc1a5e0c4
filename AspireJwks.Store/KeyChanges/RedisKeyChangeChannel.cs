using System.Text.Json;
using AspireJwks.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AspireJwks.Store.KeyChanges;

/// <summary>
/// Key change announcements on the store's pub/sub channel <c>aspirejwks:keys</c>, as a JSON array
/// of kids. The client subscribes again by itself after a reconnection; an announcement missed
/// while the store was down is made up for by the next poll.
/// </summary>
internal sealed class RedisKeyChangeChannel(
    [FromKeyedServices(TokenStoreRegistration.ConnectionName)] IConnectionMultiplexer store,
    StoreOutage outage,
    StoreSpans spans,
    IOptions<StoreOptions> options,
    TimeProvider timeProvider,
    ILogger<RedisKeyChangeChannel> logger) : IKeyChangeChannel
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("aspirejwks:keys");

    // A kid is at most 86 characters; a set of a few keys fits easily, and anything larger is not ours.
    private const int MaxAnnouncementLength = 8192;

    public bool IsShared => true;

    public async Task AnnounceAsync(IReadOnlyCollection<string> publishedKids, CancellationToken cancellationToken)
    {
        using var span = spans.Start("PUBLISH", StoreInstrumentation.Operations.Announce);
        try
        {
            await store.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(publishedKids, KeyChangeJsonContext.Default.IReadOnlyCollectionString))
                .WaitAsync(options.Value.Timeout, timeProvider, cancellationToken);
            outage.Answered();
        }
        catch (Exception ex) when (StoreFailures.IsOutage(ex, cancellationToken))
        {
            StoreSpans.Failed(span, ex);
            outage.Failed(StoreInstrumentation.Operations.Announce, ex);
        }
    }

    public void Subscribe(Action<IReadOnlyList<string>> onAnnouncement) =>
        // Subscribing needs no answer to go on: the client keeps the subscription and renews it
        // on every reconnection.
        store.GetSubscriber().Subscribe(Channel, (_, message) =>
        {
            if (Read(message) is { } kids)
            {
                onAnnouncement(kids);
            }
            else
            {
                logger.LogDebug("Ignored a key change announcement that is not a list of kids");
            }
        }, CommandFlags.FireAndForget);

    /// <summary>The announced kids, or null for a message that is not a short JSON array of well-formed kids.</summary>
    internal static IReadOnlyList<string>? Read(RedisValue message)
    {
        var text = (string?)message;
        if (text is null || text.Length > MaxAnnouncementLength)
        {
            return null;
        }
        try
        {
            var kids = JsonSerializer.Deserialize(text, KeyChangeJsonContext.Default.StringArray);
            return kids is not null && kids.All(AccessTokenProtocol.IsKid) ? kids : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyCollection<string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class KeyChangeJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
