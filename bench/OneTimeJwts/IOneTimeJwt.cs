using System.Text.Json;

namespace AspireJwks.Bench.OneTimeJwts;

/// <summary>One kind of one-time JWT: what its header and its claims say.</summary>
internal interface IOneTimeJwt
{
    /// <summary>The header's JSON: the same for every JWT of a file, so it is encoded once.</summary>
    void WriteHeader(Utf8JsonWriter json, Es256Key key);

    /// <summary>The claims of one JWT: its own <paramref name="jti"/>, made at <paramref name="now"/> (Unix seconds).</summary>
    void WriteClaims(Utf8JsonWriter json, string jti, long now);
}
