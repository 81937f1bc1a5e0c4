using AspireJwks.Protocol;
namespace AspireJwks.Authentication.TokenValidation;

/// <summary>
/// What a token says about itself (its header's kid and alg, its jti and client_id claims), fit for
/// a log line or a span. For a refused token these are an attacker's words: each is kept only when
/// it has the narrow shape the issuer writes, else it becomes <see cref="NotShown"/>, so no attacker
/// text, control character or oversized value reaches a log or the dashboard.
/// </summary>
internal readonly record struct TokenFacts(string Kid, string Alg, string Jti, string ClientId)
{
    /// <summary>In place of a value that is absent or not of the expected shape.</summary>
    public const string NotShown = "-";

    public static readonly TokenFacts None = new(NotShown, NotShown, NotShown, NotShown);

    public static TokenFacts Claimed(string? kid, string? alg, string? jti, string? clientId) =>
        None.WithHeader(kid, alg).WithClaims(jti, clientId);

    public TokenFacts WithHeader(string? kid, string? alg) => this with
    {
        Kid = AccessTokenProtocol.IsKid(kid) ? kid : NotShown,
        Alg = Safe(alg, maxLength: 16, extra: ""),
    };

    public TokenFacts WithClaims(string? jti, string? clientId) => this with
    {
        Jti = Safe(jti, maxLength: 64, extra: "-_.~"),
        ClientId = AccessTokenProtocol.IsClientId(clientId) ? clientId : NotShown,
    };

    // A character loop rather than a regular expression: it runs for every refused token.
    private static string Safe(string? value, int maxLength, string extra)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            return NotShown;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !extra.Contains(c, StringComparison.Ordinal))
            {
                return NotShown;
            }
        }
        return value;
    }
}
