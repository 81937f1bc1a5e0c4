using System.Text.Json.Serialization;
using AspireJwks.Issuer.Endpoints;

namespace AspireJwks.Issuer.Tokens;

// Source-generated serialization: no reflection on the token path.
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(AuthorizationServerMetadata))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
