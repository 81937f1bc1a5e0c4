using System.Text;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

/// <summary>
/// The demo client as the AppHost runs it: it proves itself with its own key (private_key_jwt),
/// its token is bound to its DPoP key, the API accepts it with a proof per call, and the private
/// key stays in the client's environment, never in auth's.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class KeyBoundClientTests(AppHostFixture fixture)
{
    [Fact]
    public async Task The_demo_client_authenticates_with_its_key_and_calls_the_api_with_a_dpop_bound_token()
    {
        await fixture.WaitForClientFinishedAsync();

        var clientLog = fixture.Logs.LinesOf("client");
        Assert.Contains(clientLog, line => line.Contains("(DPoP, client authenticated by private_key_jwt;", StringComparison.Ordinal));
        Assert.Contains(clientLog, line => line.Contains("API Response: {\"message\":\"Protected resource accessed\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auth_holds_the_clients_public_key_and_never_its_private_key()
    {
        var environment = await File.ReadAllBytesAsync($"/proc/{ServiceProcess.Find(fixture.App, "auth")}/environ");
        var variables = Encoding.UTF8.GetString(environment).Split('\0');

        Assert.Contains(variables, variable => variable.StartsWith("Auth__Clients__0__Jwks={\"keys\":[{\"kty\":\"EC\"", StringComparison.Ordinal));
        Assert.DoesNotContain(variables, variable => variable.Contains("PRIVATE KEY", StringComparison.Ordinal) || variable.Contains("\"d\":", StringComparison.Ordinal));
    }
}
