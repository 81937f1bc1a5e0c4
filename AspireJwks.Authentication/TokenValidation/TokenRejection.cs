using AspireJwks.Protocol.DPoP;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>
/// Why a token was refused, as one short fixed word: a metric dimension must have few values, and
/// an exception message may quote the token. Set where the check fails, so telemetry reports the
/// reason it was given, never one guessed from an exception afterwards.
/// </summary>
internal static class TokenRejectionReasons
{
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string BadSignature = "bad_signature";
    public const string UnknownKid = "unknown_kid";
    public const string WrongAudience = "wrong_audience";
    public const string WrongIssuer = "wrong_issuer";
    public const string WrongType = "wrong_type";
    public const string AlgNotAllowed = "alg_not_allowed";
    public const string MissingExpiry = "missing_exp";
    public const string Malformed = "malformed";

    /// <summary>Anything else, including an unexpected failure while authenticating: still a 401.</summary>
    public const string InvalidToken = "invalid_token";

    /// <summary>A DPoP-bound token sent as Bearer (RFC 9449 section 7.2): whoever copied it does not hold the key.</summary>
    public const string BoundTokenAsBearer = "dpop_bound_as_bearer";

    /// <summary>An unbound token sent with the DPoP scheme, which promises a binding it does not have.</summary>
    public const string UnboundTokenAsDPoP = "dpop_unbound_token";

    /// <summary>An unbound token at an API that requires DPoP.</summary>
    public const string DPoPRequired = "dpop_required";

    /// <summary>A valid token whose scope does not allow the call: a 403, after validation.</summary>
    public const string InsufficientScope = "insufficient_scope";
}

/// <summary>
/// A token refused by validation, with the reason and the (sanitized) facts it claimed, so the
/// events can record both without reading the token again.
/// </summary>
internal class TokenRejectedException : SecurityTokenValidationException
{
    public TokenRejectedException(string reason, string message, TokenFacts facts, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        Facts = facts;
    }

    public string Reason { get; }

    public TokenFacts Facts { get; }
}

/// <summary>
/// A request refused for how it presented a bound token (RFC 9449 section 7): answered with a
/// <c>DPoP</c> challenge carrying <see cref="Error"/>, <c>invalid_dpop_proof</c> for the proof or
/// <c>invalid_token</c> for the token's binding.
/// </summary>
/// <param name="error">The challenge's error: <see cref="InvalidProof"/>, <see cref="InvalidToken"/> or <see cref="UseNonce"/>.</param>
/// <param name="nonce">With <see cref="UseNonce"/>, the nonce for the <c>DPoP-Nonce</c> header.</param>
internal sealed class DPoPRejectedException(string error, string reason, string message, TokenFacts facts, string? nonce = null)
    : TokenRejectedException(reason, message, facts)
{
    public const string InvalidProof = "invalid_dpop_proof";
    public const string InvalidToken = "invalid_token";

    /// <summary>RFC 9449 section 9: make a new proof with the nonce of the <c>DPoP-Nonce</c> header.</summary>
    public const string UseNonce = "use_dpop_nonce";

    public string Error => error;

    public string? Nonce => nonce;

    /// <summary>The proof's replay check got no answer from the store: 503, not a refusal of the proof.</summary>
    public bool IsUnavailable => Reason == DPoPProofReasons.StoreUnavailable;
}
