using AspireJwks.Protocol;
using AspireJwks.Protocol.Jwks;
using Microsoft.Extensions.Options;

namespace AspireJwks.Issuer.Options;

/// <summary>
/// How the registered APIs and clients fit together, checked at start beside the per-field rules:
/// every scope has exactly one owning API, so a requested scope always names one audience.
/// Each failure names the setting and the value at fault.
/// </summary>
internal sealed class RegistryRules : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var owners = CheckApis(options.Apis, failures);
        CheckClients(options.Clients, owners, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static Dictionary<string, string> CheckApis(List<ApiSettings> apis, List<string> failures)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var audiences = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < apis.Count; i++)
        {
            var api = apis[i];
            var setting = $"Auth:Apis:{i}";
            if (!AccessTokenProtocol.IsAudience(api.Audience))
            {
                failures.Add($"{setting}:Audience must be 1 to 256 visible ASCII characters without spaces");
            }
            else if (!audiences.Add(api.Audience))
            {
                failures.Add($"{setting}: the audience '{api.Audience}' is registered twice");
            }
            if (api.Scopes.Count == 0)
            {
                failures.Add($"{setting}: the API '{api.Audience}' owns no scope; register at least one");
            }
            foreach (var scope in api.Scopes.Distinct(StringComparer.Ordinal))
            {
                if (!AccessTokenProtocol.IsScopeToken(scope))
                {
                    failures.Add($"{setting}: the API '{api.Audience}' has a scope that is not an RFC 6749 scope token (1 to 128 visible ASCII characters other than '\"' and '\\')");
                }
                else if (!owners.TryAdd(scope, api.Audience))
                {
                    failures.Add($"{setting}: the scope '{scope}' is owned by both '{owners[scope]}' and '{api.Audience}'; a scope belongs to one API");
                }
            }
        }
        return owners;
    }

    // Registered scopes may be named in error descriptions (RFC 6749 5.2), whose character set
    // excludes the same '"' and '\' a scope token does.
    private static void CheckClients(List<ClientSettings> clients, Dictionary<string, string> owners, List<string> failures)
    {
        var clientIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clients.Count; i++)
        {
            var client = clients[i];
            var setting = $"Auth:Clients:{i}";
            if (!AccessTokenProtocol.IsClientId(client.ClientId))
            {
                failures.Add($"{setting}:ClientId must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            else if (!clientIds.Add(client.ClientId))
            {
                failures.Add($"{setting}: the client id '{client.ClientId}' is registered twice");
            }
            if (client.Scopes.Count == 0)
            {
                failures.Add($"{setting}: the client '{client.ClientId}' may ask for no scope; allow at least one");
            }
            if (string.IsNullOrEmpty(client.SecretSha256) && string.IsNullOrEmpty(client.Jwks))
            {
                failures.Add($"{setting}: the client '{client.ClientId}' has neither a secret digest (SecretSha256) nor public keys (Jwks)");
            }
            if (!string.IsNullOrEmpty(client.Jwks) && ClientJwks.Read(client.Jwks).Problem is { } problem)
            {
                failures.Add($"{setting}:Jwks of the client '{client.ClientId}': {problem}");
            }
            foreach (var scope in client.Scopes.Where(scope => !owners.ContainsKey(scope)).Distinct(StringComparer.Ordinal))
            {
                failures.Add(AccessTokenProtocol.IsScopeToken(scope)
                    ? $"{setting}: the client '{client.ClientId}' may ask for the scope '{scope}', which no API owns"
                    : $"{setting}: the client '{client.ClientId}' has a scope that is not an RFC 6749 scope token");
            }
        }
    }

}
