using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace AspireJwks.Client;

/// <summary>
/// Gets access tokens from Auth with the client credentials grant, and reuses each until shortly
/// before it expires instead of asking for a new one per call. A singleton (the cache must outlive
/// each call) that takes a fresh HttpClient from the factory per request.
/// </summary>
public sealed class TokenClient(IHttpClientFactory httpClientFactory, IOptions<ClientOptions> options, TimeProvider timeProvider) : IDisposable
{
    public const string HttpClientName = "auth";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _cached;

    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && timeProvider.GetUtcNow() < cached.RenewAt)
            {
                return cached.Token;
            }
            var response = await RequestTokenAsync(cancellationToken);
            var renewAt = timeProvider.GetUtcNow() + TimeSpan.FromSeconds(response.ExpiresIn) - options.Value.RenewBeforeExpiry;
            _cached = (response.AccessToken, renewAt);
            return response.AccessToken;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<TokenResponse> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = settings.Scope,
            }),
        };
        // client_secret_basic (RFC 6749 2.3.1): each part form-encoded, then joined and base64-encoded.
        var credentials = $"{Uri.EscapeDataString(settings.ClientId)}:{Uri.EscapeDataString(settings.ClientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

        using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"Auth refused the token request: {(int)response.StatusCode} {error}", null, response.StatusCode);
        }
        return await response.Content.ReadFromJsonAsync(ClientJsonContext.Default.TokenResponse, cancellationToken)
            ?? throw new HttpRequestException("Auth answered with an empty token response.");
    }

    public void Dispose() => _lock.Dispose();

    internal sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

[JsonSerializable(typeof(TokenClient.TokenResponse))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
