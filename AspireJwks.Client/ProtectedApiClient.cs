namespace AspireJwks.Client;

/// <summary>Calls the API's protected resource; the access token is added by the HttpClient's token handler.</summary>
public sealed class ProtectedApiClient(HttpClient http)
{
    public const string ReadScope = "api.read";

    public async Task<string> GetProtectedAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("/protected", UriKind.Relative), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The API refused the call: {(int)response.StatusCode} {response.Headers.WwwAuthenticate}", null, response.StatusCode);
        }
        return body;
    }
}
