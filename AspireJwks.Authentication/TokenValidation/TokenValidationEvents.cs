using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Protocol.DPoP;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using R = AspireJwks.Authentication.TokenValidation.TokenRejectionReasons;

namespace AspireJwks.Authentication.TokenValidation;

/// <summary>
/// The one place AspireJwks meets JwtBearer (set as <c>JwtBearerOptions.EventsType</c>): where the
/// token comes from (the Authorization header only, RFC 6750 section 2.1), the validated-token
/// cache, the telemetry of every outcome, the RFC 6750 challenges, and the guarantee that a
/// hostile request costs a 401, never a 500 (JwtBearer rethrows any exception from validation
/// unless <see cref="AuthenticationFailed"/> settles it). A DPoP proof whose replay check the
/// store cannot answer gets 503 with Retry-After: refused for now, never let through.
/// </summary>
internal sealed class TokenValidationEvents(
    ValidatedTokenCache cache,
    BoundTokenCheck binding,
    TokenValidationTelemetry telemetry,
    TimeProvider timeProvider) : JwtBearerEvents
{
    private const string BearerPrefix = AccessTokenProtocol.BearerScheme + " ";
    private const string DPoPPrefix = AccessTokenProtocol.DPoPScheme + " ";
    private static readonly string DPoPChallenge = $"{AccessTokenProtocol.DPoPScheme} algs=\"{DPoPProtocol.AlgorithmList}\"";

    // RFC 6749's error for a server that cannot handle the request for now, as an API says it too.
    private static readonly byte[] UnavailableBody = System.Text.Encoding.UTF8.GetBytes(
        "{\"error\":\"temporarily_unavailable\",\"error_description\":\"The DPoP proof cannot be checked right now; send the request again later with a new proof.\"}");

    public override Task MessageReceived(MessageReceivedContext context)
    {
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            // No credentials at all: the bare challenge of RFC 6750 section 3.1, and no span.
            return Task.CompletedTask;
        }
        var attempt = new ValidationAttempt(timeProvider.GetTimestamp());
        var value = authorization.Count == 1 ? authorization[0] : null;
        var scheme = value is null ? null
            : value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? AccessTokenProtocol.BearerScheme
            : value.StartsWith(DPoPPrefix, StringComparison.OrdinalIgnoreCase) ? AccessTokenProtocol.DPoPScheme
            : null;
        if (scheme is null)
        {
            // Several headers, or another scheme (Basic, a bare token) sent to an API that only
            // knows Bearer and DPoP: a misused credential, refused as such rather than silently ignored.
            telemetry.RecordInvalid(R.Malformed, TokenFacts.None, attempt.StartTimestamp);
            context.Fail(new TokenRejectedException(R.Malformed, "The Authorization header is not one Bearer or DPoP credential.", TokenFacts.None));
            return Task.CompletedTask;
        }

        attempt.Scheme = scheme;
        attempt.Token = value![(scheme.Length + 1)..].TrimStart(' ');
        context.HttpContext.Features.Set(attempt);
        if (cache.TryGet(attempt.Token, out var cached))
        {
            // The cache answers for the token; its binding to this request is checked all the same.
            // Only a DPoP proof waits on the replay store; a Bearer token completes here.
            var binding = CheckBindingAsync(context.HttpContext, attempt, cached!.Token);
            return binding.IsCompletedSuccessfully
                ? AcceptCached(context, attempt, cached, binding.Result)
                : AcceptCachedAsync(context, attempt, cached, binding);
        }
        // Validate exactly the string that was read, not JwtBearer's own reading of the header.
        context.Token = attempt.Token;
        return Task.CompletedTask;
    }

    private async Task AcceptCachedAsync(
        MessageReceivedContext context, ValidationAttempt attempt, CachedValidation cached, ValueTask<(DPoPRejectedException?, string?)> binding) =>
        await AcceptCached(context, attempt, cached, await binding);

    private Task AcceptCached(
        MessageReceivedContext context, ValidationAttempt attempt, CachedValidation cached, (DPoPRejectedException? Refused, string? ReplayStore) binding)
    {
        if (binding.Refused is not null)
        {
            context.Fail(binding.Refused);
            return Task.CompletedTask;
        }
        attempt.Validated = cached.Token;
        context.Principal = cached.CreatePrincipal();
        context.Success();
        telemetry.RecordValid(cached.Token, attempt.StartTimestamp, cacheHit: true, binding.ReplayStore);
        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        var attempt = context.HttpContext.Features.GetRequiredFeature<ValidationAttempt>();
        var token = (AccessToken)context.SecurityToken;
        var binding = CheckBindingAsync(context.HttpContext, attempt, token);
        return binding.IsCompletedSuccessfully
            ? AcceptValidated(context, attempt, token, binding.Result)
            : AcceptValidatedAsync(context, attempt, token, binding);
    }

    private async Task AcceptValidatedAsync(
        TokenValidatedContext context, ValidationAttempt attempt, AccessToken token, ValueTask<(DPoPRejectedException?, string?)> binding) =>
        await AcceptValidated(context, attempt, token, await binding);

    private Task AcceptValidated(
        TokenValidatedContext context, ValidationAttempt attempt, AccessToken token, (DPoPRejectedException? Refused, string? ReplayStore) binding)
    {
        if (binding.Refused is not null)
        {
            // JwtBearer calls AuthenticationFailed only for exceptions, not for a failure set here.
            context.Fail(binding.Refused);
            return Task.CompletedTask;
        }
        attempt.Validated = token;
        if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity)
        {
            cache.Add(attempt.Token!, token, identity);
        }
        telemetry.RecordValid(token, attempt.StartTimestamp, cacheHit: false, binding.ReplayStore);
        return Task.CompletedTask;
    }

    /// <summary>Settles every failure, including unexpected exceptions, as a failed authentication (401).</summary>
    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        var started = context.HttpContext.Features.Get<ValidationAttempt>()?.StartTimestamp ?? timeProvider.GetTimestamp();
        var (reason, facts) = context.Exception is TokenRejectedException rejected
            ? (rejected.Reason, rejected.Facts)
            : (R.InvalidToken, TokenFacts.None);
        telemetry.RecordInvalid(reason, facts, started);
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }

    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        if (context.AuthenticateFailure is DPoPRejectedException { IsUnavailable: true })
        {
            return UnavailableAsync(context.Response);
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (context.AuthenticateFailure is DPoPRejectedException { Nonce: { } nonce })
        {
            context.Response.Headers[DPoPProtocol.NonceHeaderName] = nonce;
        }
        // A request that carried no token gets the bare challenge (RFC 6750 section 3.1); a token
        // that failed any check gets invalid_token, without saying which check: that would tell
        // an attacker exactly what to change. A DPoP request hears only whether its proof or its
        // token was refused (RFC 9449 section 7.1), and a DPoP-only API asks for DPoP.
        var usedDPoP = context.HttpContext.Features.Get<ValidationAttempt>()?.Scheme == AccessTokenProtocol.DPoPScheme;
        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure switch
        {
            // RFC 9449 section 7.1: a DPoP challenge names its error and the algorithms proofs may use.
            DPoPRejectedException dpop => $"{DPoPChallenge}, error=\"{dpop.Error}\"",
            not null when usedDPoP || binding.RequireDPoP => $"{DPoPChallenge}, error=\"invalid_token\"",
            not null => AccessTokenProtocol.BearerScheme + " error=\"invalid_token\"",
            null => binding.RequireDPoP ? DPoPChallenge : AccessTokenProtocol.BearerScheme,
        };
        return Task.CompletedTask;
    }

    /// <summary>503 with Retry-After: the store did not answer, so the proof was neither accepted nor kept.</summary>
    private static Task UnavailableAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = "1";
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/json";
        return response.Body.WriteAsync(UnavailableBody).AsTask();
    }

    /// <summary>Why this request may not present the valid <paramref name="token"/> (recorded), or null; and which replay store answered.</summary>
    private async ValueTask<(DPoPRejectedException? Refused, string? ReplayStore)> CheckBindingAsync(
        HttpContext context, ValidationAttempt attempt, AccessToken token)
    {
        var (refused, replayStore) = await binding.CheckAsync(context.Request, attempt.Scheme!, attempt.Token!, token);
        if (refused is not null)
        {
            telemetry.RecordInvalid(refused.Reason, refused.Facts, attempt.StartTimestamp, replayStore);
        }
        return (refused, replayStore);
    }

    public override Task Forbidden(ForbiddenContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var required = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<RequiredScopes>();
        var attempt = context.HttpContext.Features.Get<ValidationAttempt>();
        // The challenge of the scheme the token came with (RFC 9449 section 7.1 for DPoP).
        var scheme = attempt?.Scheme ?? AccessTokenProtocol.BearerScheme;
        context.Response.Headers.WWWAuthenticate = required is null
            ? scheme + " error=\"insufficient_scope\""
            : $"{scheme} error=\"insufficient_scope\", scope=\"{required.SpaceSeparated}\"";
        telemetry.RecordForbidden(attempt?.Validated?.Facts ?? TokenFacts.None);
        return Task.CompletedTask;
    }

    /// <summary>This request's validation, from the header to the outcome: when it began and what it read.</summary>
    private sealed class ValidationAttempt(long startTimestamp)
    {
        public long StartTimestamp => startTimestamp;

        /// <summary>The Authorization scheme the token came with: Bearer or DPoP.</summary>
        public string? Scheme { get; set; }

        public string? Token { get; set; }

        public AccessToken? Validated { get; set; }
    }
}
