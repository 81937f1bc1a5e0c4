using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.Api.Telemetry;

/// <summary>
/// Turns the exception a failed validation carries into a short, fixed reason word: a metric
/// dimension must have few values, and an exception message may quote parts of the token.
/// </summary>
public static class ValidationFailureReasons
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
    public const string MissingToken = "missing_token";
    public const string InvalidToken = "invalid_token";

    /// <summary>Why the API refused a token whose scope does not allow the call (a 403, after validation).</summary>
    public const string InsufficientScope = "insufficient_scope";

    public static string From(Exception? failure) => failure switch
    {
        null => MissingToken,
        AggregateException { InnerExceptions: [var single] } => From(single),
        SecurityTokenExpiredException => Expired,
        SecurityTokenNotYetValidException => NotYetValid,
        // Before its base class: an unknown kid is a signature failure with no key to check against.
        SecurityTokenSignatureKeyNotFoundException => UnknownKid,
        SecurityTokenInvalidSignatureException => BadSignature,
        SecurityTokenInvalidAudienceException => WrongAudience,
        SecurityTokenInvalidIssuerException => WrongIssuer,
        SecurityTokenInvalidTypeException => WrongType,
        SecurityTokenInvalidAlgorithmException => AlgNotAllowed,
        SecurityTokenNoExpirationException => MissingExpiry,
        SecurityTokenMalformedException or ArgumentException => Malformed,
        _ => InvalidToken,
    };
}
