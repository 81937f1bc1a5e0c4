using System.Net;
using System.Text.Json;
using AspireJwks.Tests.EndToEnd;

namespace AspireJwks.Tests.Hostile;

/// <summary>JWKS and metadata: read-only, public members only, and no path that leads to the key files.</summary>
[Collection(AppHostCollection.Name)]
public sealed class KeyPublicationAbuseTests(AppHostFixture fixture)
{
    // RFC 7518 section 6: members that carry private or symmetric key material.
    private static readonly string[] SecretMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private static readonly string[] PublicKeyTypes = ["RSA", "EC"];

    public static TheoryData<string, string> WritesToPublishedDocuments()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in new[] { "/.well-known/jwks.json", "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server" })
        {
            foreach (var method in new[] { "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" })
            {
                data.Add(method, path);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(WritesToPublishedDocuments))]
    public async Task Published_documents_answer_only_get_and_head(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{\"keys\":[]}") };
        using var response = await fixture.Auth.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Head_on_the_jwks_answers_without_a_body()
    {
        using var response = await fixture.Auth.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/.well-known/jwks.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    public static TheoryData<string> PathsTowardsKeyFiles() =>
    [
        "/manifest.json",
        "/jwks.json",
        "/keys/manifest.json",
        "/.well-known/../manifest.json",
        "/.well-known/%2e%2e/manifest.json",
        "/.well-known/%2E%2E%2Fmanifest.json",
        "/.well-known/jwks.json/../../manifest.json",
        "/.well-known/..%2f..%2fetc%2fpasswd",
        "/.well-known/jwks.json%00.pem",
        "/.well-known/jwks.json;/../manifest.json",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%5c..%5cmanifest.json",
        "/.well-known/jwks.json?kid=../manifest.json",
    ];

    [Theory]
    [MemberData(nameof(PathsTowardsKeyFiles))]
    public async Task No_path_reaches_the_key_store(string path)
    {
        using var response = await fixture.Auth.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode < 500, $"server error {(int)response.StatusCode}");
        Assert.DoesNotContain("PRIVATE KEY", body, StringComparison.Ordinal);
        Assert.DoesNotContain("formatVersion", body, StringComparison.Ordinal);
        AssertNoSecretMembers(body);
    }

    [Fact]
    public async Task No_key_store_file_is_served_under_its_own_name()
    {
        // jwks.json is left out: /.well-known/jwks.json is the published document by design.
        var files = Directory.GetFiles(fixture.KeysDirectory).Select(Path.GetFileName).Where(file => file != "jwks.json").ToList();
        Assert.Contains(files, file => file!.EndsWith(".private.pem", StringComparison.Ordinal));
        foreach (var file in files)
        {
            foreach (var path in new[] { $"/{file}", $"/.well-known/{file}", $"/keys/{file}", $"/.well-known/../{file}" })
            {
                using var response = await fixture.Auth.GetAsync(new Uri(path, UriKind.Relative));
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task The_jwks_holds_public_signing_keys_only()
    {
        var json = await fixture.Auth.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));

        AssertNoSecretMembers(json);
        using var jwks = JsonDocument.Parse(json);
        var keys = jwks.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.Contains(key.GetProperty("kty").GetString(), PublicKeyTypes);
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
            Assert.False(string.IsNullOrEmpty(key.GetProperty("alg").GetString()));
        }
    }

    [Fact]
    public async Task Metadata_holds_no_key_material()
    {
        var json = await fixture.Auth.GetStringAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative));

        AssertNoSecretMembers(json);
        Assert.DoesNotContain(fixture.ClientSecret, json, StringComparison.Ordinal);
    }

    /// <summary>No object anywhere in the document has a member that carries secret key material.</summary>
    private static void AssertNoSecretMembers(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return;
        }
        using (document)
        {
            var stack = new Stack<JsonElement>([document.RootElement]);
            while (stack.TryPop(out var element))
            {
                if (element.ValueKind == JsonValueKind.Object)
                {
                    foreach (var member in element.EnumerateObject())
                    {
                        Assert.DoesNotContain(member.Name, SecretMembers);
                        stack.Push(member.Value);
                    }
                }
                else if (element.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in element.EnumerateArray())
                    {
                        stack.Push(item);
                    }
                }
            }
        }
    }
}
