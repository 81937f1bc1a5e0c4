namespace AspireJwks.Hosting;

/// <summary>
/// The environment variables the AppHost sets on its services: the one place their names are
/// written. Each is the service's configuration key (<c>Section:Name</c>, spelled with <c>__</c>),
/// bound there to an options class that requires it, so a name that drifts is a start-up error.
/// </summary>
internal static class ServiceEnvironment
{
    /// <summary>Auth's <c>Auth</c>, <c>RateLimiting</c> and <c>KeyStore</c> sections.</summary>
    public static class Auth
    {
        public const string Issuer = "Auth__Issuer";
        public const string KeysDirectory = "Auth__KeysDirectory";
        public const string TokenLifetime = "Auth__TokenLifetime";
        public const string JwksMaxAge = "Auth__JwksMaxAge";
        public const string TokenRequestsPerSecond = "RateLimiting__TokenRequestsPerSecond";

        public static string ApiAudience(int api) => $"Auth__Apis__{api}__Audience";

        public static string ApiScope(int api, int scope) => $"Auth__Apis__{api}__Scopes__{scope}";

        public static string ClientId(int client) => $"Auth__Clients__{client}__ClientId";

        public static string ClientSecretSha256(int client) => $"Auth__Clients__{client}__SecretSha256";

        public static string ClientScope(int client, int scope) => $"Auth__Clients__{client}__Scopes__{scope}";

        public static string ClientJwks(int client) => $"Auth__Clients__{client}__Jwks";
    }

    /// <summary>The bootstrapper's and Auth's passphrase for private keys encrypted at rest (<c>KeyStore:Passphrase</c>).</summary>
    public const string KeyStorePassphrase = "KeyStore__Passphrase";

    /// <summary>AspireJwks.Authentication's <c>TokenValidation</c> section, read by <c>AddTokenValidation</c>.</summary>
    public static class TokenValidation
    {
        public const string Issuer = "TokenValidation__Issuer";
        public const string Audience = "TokenValidation__Audience";
        public const string Authority = "TokenValidation__Authority";
        public const string JwksRefreshInterval = "TokenValidation__JwksRefreshInterval";
        public const string ClockSkew = "TokenValidation__ClockSkew";
        public const string ValidationCacheLifetime = "TokenValidation__ValidationCacheLifetime";
        public const string RequireDPoP = "TokenValidation__RequireDPoP";
    }

    /// <summary>AspireJwks.Authentication's <c>ClientCredentials</c> section, read by <c>AddClientCredentialsToken</c>.</summary>
    public static class ClientCredentials
    {
        public const string Authority = "ClientCredentials__Authority";
        public const string ClientId = "ClientCredentials__ClientId";
        public const string ClientSecret = "ClientCredentials__ClientSecret";
        public const string Issuer = "ClientCredentials__Issuer";
        public const string SigningKey = "ClientCredentials__SigningKey";
    }
}
