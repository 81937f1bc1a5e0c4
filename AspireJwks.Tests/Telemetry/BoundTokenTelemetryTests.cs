using System.Net;
using AspireJwks.Authentication.TokenValidation.Telemetry;
using AspireJwks.Issuer.Telemetry;
using AspireJwks.Protocol;
using AspireJwks.Tests.Hostile;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Telemetry;

/// <summary>The dashboard's spans say how a client authenticated and whether its token is bound, and never carry an assertion or a proof.</summary>
[Collection(InProcessCollection.Name)]
public sealed class BoundTokenTelemetryTests(InProcessServices services) : IDisposable
{
    private readonly ActivityCapture _spans = new();
    private readonly BoundTokenTests _requests = new(services);

    [Fact]
    public async Task A_token_got_with_an_assertion_and_a_proof_says_private_key_jwt_and_dpop_and_holds_neither()
    {
        var (traceParent, traceId) = ActivityCapture.NewTrace();
        var assertion = _requests.Assertion();
        var proof = _requests.DPoPKey.Proof("POST", BoundTokenTests.TokenUrl);

        using var response = await _requests.RequestTokenAsync(assertion, proof, traceParent: traceParent);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = _spans.SingleSpan(traceId, IssuerInstrumentation.Spans.TokenIssue);
        Assert.Equal("private_key_jwt", span.GetTagItem(TelemetryAttributes.ClientAuthMethod));
        Assert.Equal("DPoP", span.GetTagItem(TelemetryAttributes.TokenType));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value is string text && (text.Contains(assertion[..40], StringComparison.Ordinal) || text.Contains(proof[..40], StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_secret_gets_a_bearer_token_and_says_so()
    {
        var (traceParent, traceId) = ActivityCapture.NewTrace();

        await services.IssueTokenAsync(traceParent);

        var span = _spans.SingleSpan(traceId, IssuerInstrumentation.Spans.TokenIssue);
        Assert.Equal("client_secret_basic", span.GetTagItem(TelemetryAttributes.ClientAuthMethod));
        Assert.Equal("Bearer", span.GetTagItem(TelemetryAttributes.TokenType));
    }

    [Fact]
    public async Task A_replayed_assertion_names_the_check_that_refused_it()
    {
        var assertion = _requests.Assertion();
        (await _requests.RequestTokenAsync(assertion)).Dispose();
        var (traceParent, traceId) = ActivityCapture.NewTrace();

        using var response = await _requests.RequestTokenAsync(assertion, traceParent: traceParent);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var span = _spans.SingleSpan(traceId, IssuerInstrumentation.Spans.TokenIssue);
        Assert.Equal("invalid_client", span.GetTagItem(TelemetryAttributes.Reason));
        Assert.Equal("assertion_replayed", span.GetTagItem(TelemetryAttributes.RejectionDetail));
    }

    [Fact]
    public async Task A_dpop_call_is_validated_as_dpop_and_a_replayed_proof_is_named()
    {
        var token = await _requests.BoundTokenAsync();
        var proof = _requests.DPoPKey.Proof("GET", BoundTokenTests.ProtectedUrl, token);
        var (traceParent, traceId) = ActivityCapture.NewTrace();
        using (var accepted = await BoundTokenTests.CallTracedAsync(services.Api, "DPoP", token, traceParent, proof))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        var valid = _spans.SingleSpan(traceId, TokenValidationInstrumentation.Spans.TokenValidate);
        Assert.Equal("DPoP", valid.GetTagItem(TelemetryAttributes.TokenType));

        var (replayParent, replayId) = ActivityCapture.NewTrace();
        using var replayed = await BoundTokenTests.CallTracedAsync(services.Api, "DPoP", token, replayParent, proof);

        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal("dpop_replayed", _spans.SingleSpan(replayId, TokenValidationInstrumentation.Spans.TokenValidate).GetTagItem(TelemetryAttributes.Reason));
    }

    public void Dispose()
    {
        _spans.Dispose();
        _requests.Dispose();
    }
}
