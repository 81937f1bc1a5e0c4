using System.Net.Http.Headers;

namespace AspireJwks.Client;

/// <summary>Calls the API's protected resource with a bearer token.</summary>
public sealed class ProtectedApiClient(HttpClient http, TokenClient tokens)
{
    public async Task<string> GetProtectedAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/protected");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAccessTokenAsync(cancellationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The API refused the call: {(int)response.StatusCode} {response.Headers.WwwAuthenticate}", null, response.StatusCode);
        }
        return body;
    }
}
