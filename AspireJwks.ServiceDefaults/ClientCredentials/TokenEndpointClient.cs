using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace AspireJwks.ServiceDefaults.ClientCredentials;

/// <summary>An access token as the token endpoint answered it (RFC 6749 section 5.1).</summary>
public sealed record TokenEndpointResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string? Scope);

/// <summary>An error answer of the token endpoint (RFC 6749 section 5.2).</summary>
public sealed record TokenEndpointError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? Description);

/// <summary>
/// Asks the issuer's <c>/token</c> for an access token with the client credentials grant (RFC 6749
/// section 4.4), authenticating with <c>client_secret_basic</c>, through service discovery and the
/// standard resilience handler like any other call of the service.
/// </summary>
public sealed class TokenEndpointClient(IHttpClientFactory httpClientFactory, IOptions<ClientCredentialsOptions> options)
{
    public const string HttpClientName = "aspirejwks-token-endpoint";

    public async Task<TokenEndpointResponse> RequestAsync(string scope, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/token", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = scope,
            }),
        };
        // client_secret_basic (RFC 6749 section 2.3.1): each part form-encoded, then joined and base64-encoded.
        var credentials = $"{Uri.EscapeDataString(settings.ClientId)}:{Uri.EscapeDataString(settings.ClientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue(AccessTokenProtocol.BasicScheme, Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

        using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await ReadErrorAsync(response, cancellationToken);
            // The error code only when it is one (RFC 6749 section 5.2: a short ASCII word), never other text of the answer.
            var code = error?.Error is { Length: <= 40 } word && word.All(c => char.IsAsciiLetterLower(c) || c == '_') ? word : "no error code";
            throw new HttpRequestException(
                $"The token endpoint refused client {settings.ClientId} scope '{scope}': {(int)response.StatusCode} {code}", null, response.StatusCode);
        }
        var token = await response.Content.ReadFromJsonAsync(ClientCredentialsJsonContext.Default.TokenEndpointResponse, cancellationToken);
        if (token is not { AccessToken.Length: > 0, ExpiresIn: > 0 } || !string.Equals(token.TokenType, AccessTokenProtocol.BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new HttpRequestException("The token endpoint answered without a Bearer access token and its lifetime.");
        }
        return token;
    }

    private static async Task<TokenEndpointError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(ClientCredentialsJsonContext.Default.TokenEndpointError, cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

[JsonSerializable(typeof(TokenEndpointResponse))]
[JsonSerializable(typeof(TokenEndpointError))]
internal sealed partial class ClientCredentialsJsonContext : JsonSerializerContext;
