using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.Authentication.ClientCredentials;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.EndToEnd;

/// <summary>
/// What a deployment tool reads from the published manifest: every resource and parameter, each
/// service referring to parameters, secrets only as secret parameters the operator fills, and no
/// value of a secret anywhere, though the publishing machine had them all.
/// </summary>
public sealed partial class PublishManifestTests(PublishedManifest manifest) : IClassFixture<PublishedManifest>
{
    private static readonly string[] ProjectNames = ["bootstrapper", "auth", "api", "client"];

    /// <summary>Parameters without a default: the operator provides each. The store's connection string holds its password.</summary>
    private static readonly string[] SecretParameters = ["client-secret", "client-secret-sha256", "client-key", "key-passphrase", "store"];

    /// <summary>Published with the default a run uses (the README's table), so a deployment tool offers it.</summary>
    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["client-id"] = "demo-client",
        ["client-authentication"] = "private_key_jwt",
        ["client-dpop"] = "true",
        ["api-require-dpop"] = "false",
        ["signing-algorithm"] = "RS256",
        ["rsa-key-size"] = "2048",
        ["token-lifetime"] = "00:05:00",
        ["jwks-max-age"] = "00:01:00",
        ["jwks-refresh-interval"] = "00:01:00",
        ["key-propagation-delay"] = "00:02:30",
        ["key-retention"] = "00:06:00",
        ["validation-cache-lifetime"] = "00:00:30",
        ["token-rate-limit"] = "100",
        ["trace-sampling-ratio"] = "1",
    };

    /// <summary>Not secret, and no value the AppHost could know: where the store's volume is mounted, the client's public keys.</summary>
    private static readonly string[] OperatorParameters = ["keys-directory", "client-jwks"];

    [Fact]
    public void The_four_projects_are_published_and_nothing_else_but_parameters()
    {
        foreach (var project in ProjectNames)
        {
            Assert.Equal("project.v0", manifest.Resource(project)["type"]!.GetValue<string>());
            Assert.EndsWith($"AspireJwks.{char.ToUpperInvariant(project[0])}{project[1..]}.csproj",
                manifest.Resource(project)["path"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.All(manifest.Resources.Where(resource => !ProjectNames.Contains(resource.Key)),
            resource => Assert.Equal("parameter.v0", resource.Value!["type"]!.GetValue<string>()));
    }

    [Fact]
    public void Every_parameter_is_published_and_the_replica_counts_are_not()
    {
        var parameters = manifest.Resources.Where(resource => resource.Value!["type"]!.GetValue<string>() == "parameter.v0")
            .Select(resource => resource.Key);

        Assert.Equal(
            new[] { SecretParameters, [.. Defaults.Keys], OperatorParameters }.SelectMany(names => names).Order(StringComparer.Ordinal),
            parameters.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Secrets_are_secret_parameters_without_a_default()
    {
        foreach (var name in SecretParameters)
        {
            var input = Input(name);
            Assert.True(input["secret"]?.GetValue<bool>(), $"{name} is not a secret parameter");
            Assert.Null(input["default"]);
        }
    }

    [Fact]
    public void Settings_carry_the_default_a_run_uses_and_what_only_the_operator_knows_has_none()
    {
        foreach (var (name, value) in Defaults)
        {
            Assert.Null(Input(name)["secret"]);
            Assert.Equal(value, Input(name)["default"]?["value"]?.GetValue<string>());
        }
        foreach (var name in OperatorParameters)
        {
            Assert.Null(Input(name)["secret"]);
            Assert.Null(Input(name)["default"]);
        }
    }

    [Fact]
    public void No_secret_of_the_publishing_machine_is_in_the_file()
    {
        Assert.True(ClientSigningKey.TryRead(manifest.ClientKey, out var key, out _));
        var publicJwk = JsonNode.Parse(ClientSigningKey.PublicJwks(key))!["keys"]![0]!;
        string[] values =
        [
            manifest.ClientSecret,
            SecretDigest.Of(manifest.ClientSecret),
            manifest.KeyPassphrase,
            // Auth's copy of the client's public key, which a run derives from the private one.
            publicJwk["x"]!.GetValue<string>(),
            publicJwk["kid"]!.GetValue<string>(),
            .. manifest.ClientKey.Split('\n').Where(line => line.Length >= 16 && !line.StartsWith("-----", StringComparison.Ordinal)),
        ];

        Assert.All(values, value => Assert.DoesNotContain(value, manifest.Text, StringComparison.Ordinal));
        Assert.DoesNotContain("PRIVATE KEY", manifest.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Auth_refers_to_the_digest_and_the_public_keys_never_to_the_secret_or_the_private_key()
    {
        var auth = manifest.Environment("auth");

        Assert.Equal("{client-id.value}", auth["Auth__Clients__0__ClientId"]);
        Assert.Equal("{client-secret-sha256.value}", auth["Auth__Clients__0__SecretSha256"]);
        Assert.Equal("{client-jwks.value}", auth["Auth__Clients__0__Jwks"]);
        Assert.Equal("api.read", auth["Auth__Clients__0__Scopes__0"]);
        Assert.Equal("aspirejwks-api", auth["Auth__Apis__0__Audience"]);
        Assert.Equal("{keys-directory.value}", auth["Auth__KeysDirectory"]);
        Assert.Equal("{key-passphrase.value}", auth["KeyStore__Passphrase"]);
        Assert.Equal("{token-lifetime.value}", auth["Auth__TokenLifetime"]);
        Assert.Equal("{auth.bindings.http.url}", auth["Auth__Issuer"]);
        Assert.DoesNotContain(auth.Values, value => value.Contains("{client-secret.", StringComparison.Ordinal));
        Assert.DoesNotContain(auth.Values, value => value.Contains("{client-key.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_client_gets_its_secret_and_key_and_the_api_its_validation_settings_as_references()
    {
        var client = manifest.Environment("client");
        var api = manifest.Environment("api");

        Assert.Equal("{client-id.value}", client["ClientCredentials__ClientId"]);
        Assert.Equal("{client-secret.value}", client["ClientCredentials__ClientSecret"]);
        Assert.Equal("{client-key.value}", client["ClientCredentials__SigningKey"]);
        Assert.Equal("{auth.bindings.http.url}", client["services__auth__http__0"]);
        Assert.Equal("{api.bindings.http.url}", client["services__api__http__0"]);
        Assert.Equal("{auth.bindings.http.url}", api["TokenValidation__Issuer"]);
        Assert.Equal("{jwks-refresh-interval.value}", api["TokenValidation__JwksRefreshInterval"]);
        Assert.Equal("{api-require-dpop.value}", api["TokenValidation__RequireDPoP"]);
        Assert.Equal("{auth.bindings.http.url}", api["services__auth__http__0"]);
    }

    [Fact]
    public void The_bootstrapper_runs_init_on_the_store_with_the_policy_and_serves_nothing()
    {
        var bootstrapper = manifest.Resource("bootstrapper");

        Assert.Equal(
            ["init", "--keys-directory", "{keys-directory.value}", "--signing-algorithm", "{signing-algorithm.value}",
                "--rsa-key-size", "{rsa-key-size.value}", "--propagation-delay", "{key-propagation-delay.value}",
                "--retention", "{key-retention.value}"],
            bootstrapper["args"]!.AsArray().Select(argument => argument!.GetValue<string>()));
        Assert.Equal("{key-passphrase.value}", manifest.Environment("bootstrapper")["KeyStore__Passphrase"]);
        Assert.Null(bootstrapper["bindings"]);
    }

    [Fact]
    public void The_store_is_a_connection_string_the_operator_provides_and_auth_and_api_read_it_by_the_aspire_convention()
    {
        var store = manifest.Resource("store");

        Assert.Equal("{store.value}", store["connectionString"]!.GetValue<string>());
        Assert.Equal("{store.connectionString}", manifest.Environment("auth")["ConnectionStrings__store"]);
        Assert.Equal("{store.connectionString}", manifest.Environment("api")["ConnectionStrings__store"]);
        Assert.DoesNotContain("ConnectionStrings__store", manifest.Environment("client").Keys);
    }

    [Fact]
    public void Every_reference_names_a_resource_of_the_manifest()
    {
        var references = Reference().Matches(manifest.Text).Select(match => match.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(manifest.Resources.ContainsKey(name), $"'{{{name}...}}' names no resource"));
    }

    /// <summary>
    /// A manifest has no field for the order (its format describes resources, not their start), so
    /// the AppHost's model keeps it for publishers that have one, such as Compose's
    /// <c>service_completed_successfully</c>; docs/deployment.md tells the operator.
    /// </summary>
    [Fact]
    public async Task Published_auth_still_waits_for_the_bootstrapper_to_complete()
    {
        using var directory = new TemporaryDirectory();
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireJwks_AppHost>(
            ["--publisher", "manifest", "--output-path", directory.Combine("aspire-manifest.json")]).WaitAsync(AppHostFixture.StartTimeout);

        var auth = builder.Resources.Single(resource => resource.Name == "auth");
        var waits = auth.Annotations.OfType<WaitAnnotation>().ToList();
        var wait = Assert.Single(waits, wait => wait.Resource.Name == "bootstrapper");
        Assert.Equal(WaitType.WaitForCompletion, wait.WaitType);
        // And for the store its replicas share, which a deployment provides.
        Assert.Equal([("bootstrapper", WaitType.WaitForCompletion), ("store", WaitType.WaitUntilHealthy)],
            waits.Select(wait => (wait.Resource.Name, wait.WaitType)).Order());
        Assert.False(manifest.Text.Contains("wait", StringComparison.OrdinalIgnoreCase),
            "The manifest now says something about waiting: docs/deployment.md, which says it cannot, needs updating.");
    }

    private JsonObject Input(string parameter) => manifest.Resource(parameter)["inputs"]!["value"]!.AsObject();

    [GeneratedRegex(@"\{([a-z][a-z0-9-]*)\.(?:value|bindings|inputs)")]
    private static partial Regex Reference();
}
