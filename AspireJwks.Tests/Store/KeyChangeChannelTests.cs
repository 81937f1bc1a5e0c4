using AspireJwks.Store.KeyChanges;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AspireJwks.Tests.Store;

/// <summary>Key change announcements between replicas, through a real Redis-protocol server's pub/sub.</summary>
public sealed class KeyChangeChannelTests : IDisposable
{
    private const string Kid = "Vf3MZ7w7i0MIk8_kSRAvSzxG8qQFTqYp1gYJ0c2BwGs";
    private readonly InProcessGarnet _garnet = new();

    public void Dispose() => _garnet.Dispose();

    [Fact]
    public async Task An_announcement_reaches_every_other_replica_with_the_published_kids()
    {
        var issuer = _garnet.NewReplica().GetRequiredService<IKeyChangeChannel>();
        var api = _garnet.NewReplica().GetRequiredService<IKeyChangeChannel>();
        var heard = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        api.Subscribe(kids => heard.TrySetResult(kids));
        await Task.Delay(500);

        await issuer.AnnounceAsync([Kid], CancellationToken.None);

        Assert.Equal([Kid], await heard.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(issuer.IsShared);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"kids\":[]}")]
    [InlineData("[\"a kid with spaces\"]")]
    [InlineData("[null]")]
    public async Task A_message_that_is_not_a_list_of_kids_is_ignored(string message)
    {
        var api = _garnet.NewReplica().GetRequiredService<IKeyChangeChannel>();
        var heard = new List<IReadOnlyList<string>>();
        api.Subscribe(heard.Add);
        await Task.Delay(500);
        await using var intruder = await ConnectionMultiplexer.ConnectAsync(_garnet.ConnectionString);

        await intruder.GetSubscriber().PublishAsync(RedisChannel.Literal("aspirejwks:keys"), message);
        await intruder.GetSubscriber().PublishAsync(RedisChannel.Literal("aspirejwks:keys"), $"[\"{Kid}\"]");
        await Task.Delay(1000);

        Assert.Equal([[Kid]], heard);
    }
}
