using Microsoft.Extensions.Logging;
namespace AspireJwks.Authentication.TokenValidation.Telemetry;

/// <summary>
/// One Information line per refused token (rate-limited), with the same jti and kid as the span.
/// Refusals are expected traffic (expired tokens, probes), so never Warning; accepted tokens log
/// nothing at Information, since a line per request would cost more than the validation itself.
/// </summary>
internal static partial class ValidationLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Rejected token {Jti} (kid {Kid}, client {ClientId}): {Reason}")]
    public static partial void Rejected(ILogger logger, string jti, string kid, string clientId, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug,
        Message = "Accepted token {Jti} from {ClientId}")]
    public static partial void Accepted(ILogger logger, string jti, string clientId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Left out {Count} token rejection line(s) over the log rate limit; the metrics count every rejection")]
    public static partial void Suppressed(ILogger logger, long count);
}
