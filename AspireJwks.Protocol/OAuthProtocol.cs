namespace AspireJwks.Protocol;

/// <summary>The OAuth 2.0 grant types this system serves (RFC 6749).</summary>
internal static class OAuthGrantTypes
{
    public const string ClientCredentials = "client_credentials";
}

/// <summary>How a client authenticates at the token endpoint, as discovery names the methods (RFC 8414, RFC 7523).</summary>
public static class ClientAuthenticationMethods
{
    /// <summary>The client id and secret in HTTP Basic authentication (RFC 6749 section 2.3.1).</summary>
    public const string SecretBasic = "client_secret_basic";

    /// <summary>The client id and secret in the request body (RFC 6749 section 2.3.1).</summary>
    public const string SecretPost = "client_secret_post";

    /// <summary>A JWT the client signs with its own private key (RFC 7523 section 2.2, OpenID Connect Core section 9).</summary>
    public const string PrivateKeyJwt = "private_key_jwt";

    /// <summary>The <c>client_assertion_type</c> of a JWT client assertion (RFC 7523 section 2.2).</summary>
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
}

