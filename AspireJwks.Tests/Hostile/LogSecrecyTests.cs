using System.Net;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using AspireJwks.Tests.EndToEnd;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// Every line every service wrote at every level (Trace on) is searched for the secrets that passed
/// through it: tokens, the client secret, forged tokens, the private key and the store's password.
/// </summary>
[Collection(ObservedAppHostCollection.Name)]
public sealed class LogSecrecyTests(ObservedAppHostFixture fixture)
{
    [Fact]
    public async Task No_token_client_secret_private_key_or_store_password_appears_in_any_log_line()
    {
        var forge = fixture.Forge();
        var wrongSecret = "wrong-secret-" + Guid.NewGuid().ToString("N");
        var forged = new[]
        {
            forge.Valid(),
            forge.WithClaims(claims => claims["exp"] = "99999999999"),
            forge.WithHeader(header => header["kid"] = "' OR 1=1 --"),
            forge.SignedByUnknownKey(claimRealKid: true),
            forge.WithSignature(signature => signature + "=="),
        };

        var token = await fixture.GetAccessTokenAsync();
        using (var accepted = await fixture.GetProtectedAsync(token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        foreach (var attempt in forged)
        {
            using var response = await fixture.GetProtectedAsync(attempt);
        }
        using (var refused = await fixture.RequestTokenAsync(AppHostFixture.ClientId, wrongSecret))
        {
            Assert.Contains(refused.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
        }
        await fixture.WaitForQuietLogsAsync();

        var logs = fixture.Logs.ToList();
        // The capture works and saw the requests: otherwise an empty search would prove nothing.
        Assert.Contains(logs, entry => entry.Resource == "api" && entry.Line.Contains("/protected", StringComparison.Ordinal));
        Assert.Contains(logs, entry => entry.Resource == "auth" && entry.Line.Contains("/token", StringComparison.Ordinal));
        Assert.Contains(logs, entry => entry.Resource == "client" && entry.Line.Contains("API Response", StringComparison.Ordinal));

        var secrets = new Dictionary<string, string>
        {
            ["client secret"] = fixture.ClientSecret,
            ["wrong secret"] = wrongSecret,
            ["client secret in Basic form"] = AppHostFixture.BasicCredentials(AppHostFixture.ClientId, fixture.ClientSecret).Parameter!,
            ["private key label"] = "PRIVATE KEY",
            ["store password"] = await ParameterValueAsync("store-password"),
        };
        foreach (var (index, issued) in fixture.IssuedTokens.Index())
        {
            secrets[$"issued token {index} signature"] = issued.Split('.')[2];
            secrets[$"issued token {index} payload"] = issued.Split('.')[1];
        }
        foreach (var (index, attempt) in forged.Index())
        {
            secrets[$"forged token {index} signature"] = attempt.Split('.')[2].TrimEnd('=');
        }
        foreach (var (index, line) in PrivateKeyLines().Index())
        {
            secrets[$"private key line {index}"] = line;
        }

        var leaks = (from entry in logs
                     from secret in secrets
                     where entry.Line.Contains(secret.Value, StringComparison.Ordinal)
                     select $"{entry.Resource}: {secret.Key}").Distinct().ToList();
        Assert.Empty(leaks);
    }

    private async Task<string> ParameterValueAsync(string name)
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var value = await model.Resources.OfType<ParameterResource>().Single(parameter => parameter.Name == name).GetValueAsync(CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(value));
        return value!;
    }

    private IEnumerable<string> PrivateKeyLines()
    {
        var pem = File.ReadAllText(Directory.GetFiles(fixture.KeysDirectory, "*.private.pem").First(), Encoding.ASCII);
        return pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("-----", StringComparison.Ordinal) && line.Length >= 32);
    }
}
