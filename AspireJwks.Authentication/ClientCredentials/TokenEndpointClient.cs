using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using AspireJwks.Authentication.DPoP;
using AspireJwks.Protocol;
using Microsoft.Extensions.Options;

namespace AspireJwks.Authentication.ClientCredentials;

/// <summary>An access token as the token endpoint answered it (RFC 6749 section 5.1).</summary>
internal sealed record TokenEndpointResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string? Scope);

/// <summary>An error answer of the token endpoint (RFC 6749 section 5.2).</summary>
internal sealed record TokenEndpointError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? Description);

/// <summary>
/// Asks the issuer's <c>/token</c> for an access token with the client credentials grant (RFC 6749
/// section 4.4), through service discovery and the standard resilience handler like any other call
/// of the service. The client authenticates with a signed assertion (<c>private_key_jwt</c>, RFC
/// 7523) when it has a key, else with <c>client_secret_basic</c>; a DPoP-bound token is asked
/// for through the client whose handler adds the proof (RFC 9449 section 5). When the token
/// endpoint asks for its DPoP nonce (RFC 9449 section 8), the request is made again once, with a
/// new assertion (each is good for one use) and a proof that carries the nonce.
/// </summary>
internal sealed class TokenEndpointClient(
    IHttpClientFactory httpClientFactory, IOptions<ClientCredentialsOptions> options, ClientAssertionSigner? assertions = null)
{
    public const string HttpClientName = "aspirejwks-token-endpoint";

    /// <summary>The same endpoint, with a DPoP proof on each request.</summary>
    public const string DPoPHttpClientName = "aspirejwks-token-endpoint-dpop";

    private const string UseDPoPNonce = "use_dpop_nonce";

    /// <summary>How this client authenticates: private_key_jwt with its key, else client_secret_basic.</summary>
    public string AuthenticationMethod => assertions is { Enabled: true } ? ClientAuthenticationMethods.PrivateKeyJwt : ClientAuthenticationMethods.SecretBasic;

    public async Task<TokenEndpointResponse> RequestAsync(string scope, CancellationToken cancellationToken, bool dpop = false)
    {
        var client = httpClientFactory.CreateClient(dpop ? DPoPHttpClientName : HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            using var request = CreateRequest(scope);
            request.Options.Set(DPoPProofHandler.SenderRetriesForNonce, true);
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await ReadTokenAsync(response, dpop, cancellationToken);
            }
            var error = await ReadErrorAsync(response, cancellationToken);
            if (dpop && attempt == 1 && error?.Error == UseDPoPNonce)
            {
                continue;
            }
            // The error code only when it is one (RFC 6749 section 5.2: a short ASCII word), never other text of the answer.
            var code = error?.Error is { Length: <= 40 } word && word.All(c => char.IsAsciiLetterLower(c) || c == '_') ? word : "no error code";
            throw new HttpRequestException(
                $"The token endpoint refused client {options.Value.ClientId} scope '{scope}': {(int)response.StatusCode} {code}", null, response.StatusCode);
        }
    }

    private HttpRequestMessage CreateRequest(string scope)
    {
        var settings = options.Value;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = OAuthGrantTypes.ClientCredentials,
            ["scope"] = scope,
        };
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/token", UriKind.Relative));
        if (AuthenticationMethod == ClientAuthenticationMethods.PrivateKeyJwt)
        {
            // RFC 7523 section 2.2; the assertion is made per request: its jti is good for one use.
            form["client_id"] = settings.ClientId;
            form["client_assertion_type"] = ClientAuthenticationMethods.JwtBearerAssertionType;
            form["client_assertion"] = assertions!.Create();
        }
        else
        {
            // client_secret_basic (RFC 6749 section 2.3.1): each part form-encoded, then joined and base64-encoded.
            var credentials = $"{Uri.EscapeDataString(settings.ClientId)}:{Uri.EscapeDataString(settings.ClientSecret ?? "")}";
            request.Headers.Authorization = new AuthenticationHeaderValue(AccessTokenProtocol.BasicScheme, Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
        request.Content = new FormUrlEncodedContent(form);
        return request;
    }

    private static async Task<TokenEndpointResponse> ReadTokenAsync(HttpResponseMessage response, bool dpop, CancellationToken cancellationToken)
    {
        var token = await response.Content.ReadFromJsonAsync(ClientCredentialsJsonContext.Default.TokenEndpointResponse, cancellationToken);
        // A DPoP request must get a bound token, a plain one a Bearer token (RFC 9449 section 5).
        var expectedType = dpop ? AccessTokenProtocol.DPoPScheme : AccessTokenProtocol.BearerScheme;
        if (token is not { AccessToken.Length: > 0, ExpiresIn: > 0 } || !string.Equals(token.TokenType, expectedType, StringComparison.OrdinalIgnoreCase))
        {
            throw new HttpRequestException($"The token endpoint answered without a {expectedType} access token and its lifetime.");
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
