namespace AspireJwks.Protocol;

/// <summary>
/// The attribute names every AspireJwks package puts on its spans and metrics, one vocabulary so
/// that the dashboard (and the checks that read it) can follow a token from issuance to
/// validation. Each package names its own sources, spans and instruments. The failure reason uses
/// OpenTelemetry's own <c>error.type</c> (a low-cardinality class of error), so generic tools
/// recognise it.
/// </summary>
public static class TelemetryAttributes
{
    /// <summary>The <c>kid</c> of the key that signed (or was claimed to sign) the token.</summary>
    public const string Kid = "jwt.kid";
    /// <summary>The token's signing algorithm.</summary>
    public const string Alg = "jwt.alg";
    /// <summary>The token's unique id, which ties a span to the issuance log line.</summary>
    public const string Jti = "jwt.jti";
    /// <summary>The client the token was issued to, or that asked for it.</summary>
    public const string ClientId = "oauth.client_id";
    /// <summary>The scopes granted, separated by spaces.</summary>
    public const string Scope = "oauth.scope";

    /// <summary>How the token travels: <c>Bearer</c>, or <c>DPoP</c> for a token bound to the client's key (never the proof itself).</summary>
    public const string TokenType = "oauth.token_type";

    /// <summary>How the client authenticated at <c>/token</c>: client_secret_basic, client_secret_post or private_key_jwt (never the secret or assertion).</summary>
    public const string ClientAuthMethod = "oauth.client_auth_method";

    /// <summary>Which check of a client assertion or DPoP proof refused a token request (a fixed word such as <c>dpop_replayed</c>).</summary>
    public const string RejectionDetail = "aspirejwks.rejection.detail";
    /// <summary>What became of the token or request: a value of <see cref="TelemetryOutcomes"/>.</summary>
    public const string Outcome = "aspirejwks.token.outcome";
    /// <summary>Why a token or request was refused: a fixed word (OpenTelemetry's <c>error.type</c>).</summary>
    public const string Reason = "error.type";
    /// <summary>How many keys a fetched JWKS held.</summary>
    public const string JwksKeyCount = "aspirejwks.jwks.key_count";

    /// <summary>Whether the validated-token cache answered: <c>hit</c>, <c>miss</c>, or <c>off</c> when it is turned off.</summary>
    public const string ValidationCache = "aspirejwks.validation_cache";

    /// <summary>Which store answered the replay check of a DPoP proof or client assertion: <c>store</c> (shared by every replica) or <c>memory</c> (this process's).</summary>
    public const string ReplayStore = "aspirejwks.replay.store";

    /// <summary>
    /// Which bucket counted a token request against its rate limit: <c>store</c>, or <c>memory</c> when
    /// the store did not answer. Set on the span current when the bucket answers: the request's own
    /// span for the per-address bucket, <c>token.issue</c> for the per-client one; absent for an
    /// issuer given no store, whose log says so once at start.
    /// </summary>
    public const string RateLimitStore = "aspirejwks.rate_limit.store";
}

/// <summary>Values of <see cref="TelemetryAttributes.Outcome"/>.</summary>
public static class TelemetryOutcomes
{
    /// <summary>The issuer signed a token.</summary>
    public const string Issued = "issued";
    /// <summary>The issuer refused a token request.</summary>
    public const string Rejected = "rejected";
    /// <summary>An API accepted the token.</summary>
    public const string Valid = "valid";
    /// <summary>An API refused the token.</summary>
    public const string Invalid = "invalid";
    /// <summary>A client's call (or a JWKS fetch) succeeded.</summary>
    public const string Success = "success";
    /// <summary>A client's call (or a JWKS fetch) failed.</summary>
    public const string Failure = "failure";
}
