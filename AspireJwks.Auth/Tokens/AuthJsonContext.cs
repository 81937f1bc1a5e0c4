using System.Text.Json.Serialization;
using AspireJwks.Auth.Endpoints;

namespace AspireJwks.Auth.Tokens;

// Source-generated serialization: no reflection on the token path.
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(AuthorizationServerMetadata))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
