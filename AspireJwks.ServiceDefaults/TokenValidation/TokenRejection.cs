using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.ServiceDefaults.TokenValidation;

/// <summary>
/// Why a token was refused, as one short fixed word: a metric dimension must have few values, and
/// an exception message may quote the token. Set where the check fails, so telemetry reports the
/// reason it was given, never one guessed from an exception afterwards.
/// </summary>
public static class TokenRejectionReasons
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

    /// <summary>A valid token whose scope does not allow the call: a 403, after validation.</summary>
    public const string InsufficientScope = "insufficient_scope";
}

/// <summary>
/// A token refused by validation, with the reason and the (sanitized) facts it claimed, so the
/// events can record both without reading the token again.
/// </summary>
public sealed class TokenRejectedException : SecurityTokenValidationException
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
