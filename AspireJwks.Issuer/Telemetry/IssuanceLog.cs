namespace AspireJwks.Issuer.Telemetry;

/// <summary>
/// One Information line per token request, with the same jti and kid as the span. Rejections are
/// expected traffic (wrong secrets, unknown scopes), so they are Information, not Warning.
/// </summary>
internal static partial class IssuanceLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Issued token {Jti} to {ClientId}, signed with key {Kid} ({Alg}), scope '{Scope}'")]
    public static partial void Issued(ILogger logger, string jti, string clientId, string kid, string alg, string scope);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Refused a token request: {Reason} (client {ClientId})")]
    public static partial void Rejected(ILogger logger, string reason, string clientId);
}
