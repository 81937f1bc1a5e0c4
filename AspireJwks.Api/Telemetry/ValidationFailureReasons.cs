using AspireJwks.Api.Authentication;
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

    /// <param name="failure">The exception JwtBearer reported.</param>
    /// <param name="claimedAlg">The token's own <c>alg</c> header, or empty when unreadable.</param>
    public static string From(Exception? failure, string claimedAlg)
    {
        var reason = FromException(failure);
        // The token handler reports a refused algorithm as a failed signature (it tries the key,
        // and the algorithm check is part of that); the header tells the two apart.
        return reason == BadSignature && claimedAlg.Length > 0 && !ConfigureJwtBearer.AllowedAlgorithms.Contains(claimedAlg)
            ? AlgNotAllowed
            : reason;
    }

    private static string FromException(Exception? failure) => failure switch
    {
        null => MissingToken,
        AggregateException { InnerExceptions: [var single] } => FromException(single),
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
