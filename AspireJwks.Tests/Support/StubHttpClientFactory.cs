using System.Net;

namespace AspireJwks.Tests.Support;

/// <summary>An HttpClient factory whose clients answer every request with <see cref="Respond"/>, counting the requests.</summary>
public sealed class StubHttpClientFactory : IHttpClientFactory
{
    public Func<HttpResponseMessage> Respond { get; set; } = () => new HttpResponseMessage(HttpStatusCode.NotFound);

    /// <summary>When set, answers instead of <see cref="Respond"/>, and may take its time.</summary>
    public Func<HttpRequestMessage, Task<HttpResponseMessage>>? RespondAsync { get; set; }

    public int Requests => _handler.Requests;

    private readonly Handler _handler;

    public StubHttpClientFactory() => _handler = new Handler(this);

    public void Serve(string json) => Respond = () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json) };

    public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false) { BaseAddress = new Uri("http://auth.test") };

    private sealed class Handler(StubHttpClientFactory owner) : HttpMessageHandler
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return owner.RespondAsync is { } respond ? respond(request) : Task.FromResult(owner.Respond());
        }
    }
}
