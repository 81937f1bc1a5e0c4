using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace AspireJwks.Bench.Soak;

/// <summary>
/// Each kind of request and how its answer is judged. No retries: a rotation or a killed replica
/// must not fail a valid request, and when one does, it is counted with its status or exception.
/// </summary>
internal sealed class SoakRequests(SoakOptions options, HttpClient http, TimeProvider time, Action<string, Outcome, string?, double> record) : IDisposable
{
    /// <summary>The scope every token of the load asks for.</summary>
    internal const string Scope = "api.read";

    private readonly AuthenticationHeaderValue _basic = new("Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(options.ClientId)}:{Uri.EscapeDataString(options.ClientSecret)}")));
    private readonly InvalidTokens _invalid = new(options.Issuer, options.Audience, options.ClientId);
    // Tokens issued by the token kind, each used once at the API: never in its validated-token cache.
    private readonly Channel<string> _fresh = Channel.CreateBounded<string>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly SemaphoreSlim _renewal = new(1, 1);
    private volatile ReusedToken? _reused;
    private volatile string? _etag;
    private int _invalidVariant;

    /// <summary>The first reused token, before the load starts, so the first slots do not queue behind it.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) => ReusedTokenAsync(cancellationToken);

    public async Task TokenAsync(CancellationToken cancellationToken)
    {
        if (await IssueAsync(cancellationToken) is { } token)
        {
            _fresh.Writer.TryWrite(token.AccessToken);
        }
    }

    public async Task ProtectedReusedAsync(CancellationToken cancellationToken)
    {
        var token = await ReusedTokenAsync(cancellationToken);
        if (token is null)
        {
            return;
        }
        await ProtectedAsync(RequestKinds.ProtectedReused, "Bearer " + token.AccessToken, cancellationToken);
    }

    /// <returns>False when no fresh token was waiting (the slot is skipped, not failed).</returns>
    public async Task<bool> ProtectedFreshAsync(CancellationToken cancellationToken)
    {
        if (!_fresh.Reader.TryRead(out var token))
        {
            return false;
        }
        await ProtectedAsync(RequestKinds.ProtectedFresh, "Bearer " + token, cancellationToken);
        return true;
    }

    public async Task InvalidAsync(CancellationToken cancellationToken)
    {
        var real = await ReusedTokenAsync(cancellationToken);
        if (real is null)
        {
            return;
        }
        var variant = Interlocked.Increment(ref _invalidVariant);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Api, "/protected"));
        if (_invalid.Authorization(variant, real.AccessToken, time) is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        var name = InvalidTokens.VariantName(variant);
        await SendAsync(RequestKinds.Invalid, request, response => response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => (Outcome.Ok, null),
            _ when response.IsSuccessStatusCode => (Outcome.Accepted, $"{name}: {(int)response.StatusCode}"),
            _ => (Outcome.Error, $"{name}: {(int)response.StatusCode}"),
        }, cancellationToken);
    }

    public Task JwksAsync(CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Auth, "/.well-known/jwks.json"));
        return SendOwnedAsync(RequestKinds.Jwks, request, response =>
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (Outcome.Failed, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (response.Headers.ETag is not { } etag || response.Content.Headers.ContentType?.MediaType != "application/json")
            {
                return (Outcome.Failed, "200 without ETag or not application/json");
            }
            _etag = etag.Tag;
            return (Outcome.Ok, null);
        }, cancellationToken);
    }

    public Task JwksNotModifiedAsync(CancellationToken cancellationToken)
    {
        var sent = _etag;
        if (sent is null)
        {
            return JwksAsync(cancellationToken);
        }
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Auth, "/.well-known/jwks.json"));
        request.Headers.TryAddWithoutValidation("If-None-Match", sent);
        return SendOwnedAsync(RequestKinds.JwksNotModified, request, response =>
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotModified:
                    return (Outcome.Ok, null);
                case HttpStatusCode.OK when response.Headers.ETag is { } etag && etag.Tag != sent:
                    // The key set changed since the ETag was read: 200 with the new one is the right answer.
                    _etag = etag.Tag;
                    return (Outcome.Changed, null);
                case HttpStatusCode.OK:
                    return (Outcome.Failed, "200 for the current ETag");
                default:
                    return (Outcome.Failed, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }, cancellationToken);
    }

    /// <summary>The token the reused kind sends, renewed at half its lifetime, as a real client renews well before expiry.</summary>
    private async Task<ReusedToken?> ReusedTokenAsync(CancellationToken cancellationToken)
    {
        var current = _reused;
        var now = time.GetUtcNow();
        if (current is not null && now < current.RenewAt)
        {
            return current;
        }
        // One renewal at a time; the others keep using the current token while it is still valid.
        if (current is not null && now < current.ExpiresAt - TimeSpan.FromSeconds(5))
        {
            if (!await _renewal.WaitAsync(0, cancellationToken))
            {
                return current;
            }
        }
        else
        {
            await _renewal.WaitAsync(cancellationToken);
        }
        try
        {
            if (_reused is { } renewed && time.GetUtcNow() < renewed.RenewAt)
            {
                return renewed;
            }
            if (await IssueAsync(cancellationToken) is { } issued)
            {
                _reused = issued;
                return issued;
            }
            return current is not null && time.GetUtcNow() < current.ExpiresAt - TimeSpan.FromSeconds(5) ? current : null;
        }
        finally
        {
            _renewal.Release();
        }
    }

    /// <summary>POST /token with client_secret_basic; counted as a token request.</summary>
    private async Task<ReusedToken?> IssueAsync(CancellationToken cancellationToken)
    {
        ReusedToken? issued = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Auth, "/token"))
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", Scope)]),
        };
        request.Headers.Authorization = _basic;
        var issuedAt = time.GetUtcNow();
        await SendAsync(RequestKinds.Token, request, response =>
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (Outcome.Failed, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            using var body = JsonDocument.Parse(response.Content.ReadAsStream(cancellationToken));
            if (!body.RootElement.TryGetProperty("access_token", out var token) || token.GetString() is not { Length: > 0 } accessToken
                || !body.RootElement.TryGetProperty("expires_in", out var expiresIn))
            {
                return (Outcome.Failed, "200 without access_token or expires_in");
            }
            var lifetime = TimeSpan.FromSeconds(expiresIn.GetInt32());
            issued = new ReusedToken(accessToken, issuedAt + lifetime / 2, issuedAt + lifetime);
            return (Outcome.Ok, null);
        }, cancellationToken);
        return issued;
    }

    private async Task ProtectedAsync(string kind, string authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Api, "/protected"));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        await SendAsync(kind, request, response => response.StatusCode == HttpStatusCode.OK
            ? (Outcome.Ok, null)
            : (Outcome.Failed, $"{(int)response.StatusCode} {response.Headers.WwwAuthenticate}"), cancellationToken);
    }

    private async Task SendOwnedAsync(string kind, HttpRequestMessage request, Func<HttpResponseMessage, (Outcome, string?)> judge, CancellationToken cancellationToken)
    {
        using (request)
        {
            await SendAsync(kind, request, judge, cancellationToken);
        }
    }

    /// <summary>Sends one request and records its outcome as <paramref name="judge"/> says (DPoPRequests sends its own through it).</summary>
    public async Task SendAsync(string kind, HttpRequestMessage request, Func<HttpResponseMessage, (Outcome, string?)> judge, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Outcome outcome;
        string? detail;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            (outcome, detail) = judge(response);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
        {
            // A refused or reset connection, a timeout, a cut body: the request did not succeed.
            outcome = kind == RequestKinds.Invalid ? Outcome.Error : Outcome.Failed;
            detail = Describe(ex);
        }
        record(kind, outcome, detail, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        var name = ex is TaskCanceledException ? "timeout" : ex.GetType().Name;
        return inner == ex ? $"{name}: {ex.Message}" : $"{name}: {inner.GetType().Name}: {inner.Message}";
    }

    public void Dispose()
    {
        _invalid.Dispose();
        _renewal.Dispose();
    }

    private sealed record ReusedToken(string AccessToken, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt);
}
