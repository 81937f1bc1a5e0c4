using System.Text.Json.Serialization;

namespace AspireJwks.Api.Endpoints;

// Source-generated serialization for the API's responses: no reflection on the request path.
[JsonSerializable(typeof(ProtectedResponse))]
[JsonSerializable(typeof(PublicResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
