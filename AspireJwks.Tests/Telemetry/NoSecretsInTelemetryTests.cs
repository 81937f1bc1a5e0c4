using System.Diagnostics;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AspireJwks.Tests.Telemetry;

[Collection(InProcessCollection.Name)]
public sealed class NoSecretsInTelemetryTests(InProcessServices services) : IDisposable
{
    private readonly ActivityCapture _spans = new();

    [Fact]
    public async Task No_span_attribute_event_or_log_line_holds_a_token_a_client_secret_or_private_key_material()
    {
        var wrongSecret = "wrong-" + Guid.NewGuid().ToString("N");
        var traces = Enumerable.Range(0, 5).Select(_ => ActivityCapture.NewTrace()).ToList();

        var token = await services.IssueTokenAsync(traces[0].TraceParent);
        (await services.CallApiAsync(traces[1].TraceParent, $"Bearer {token}")).Dispose();
        var tampered = TokenFactory.TamperClaim(token, "scope", "api.admin");
        (await services.CallApiAsync(traces[2].TraceParent, $"Bearer {tampered}")).Dispose();
        (await services.RequestTokenAsync(traces[3].TraceParent, wrongSecret)).Dispose();
        var forged = services.Tokens.Create();
        (await services.CallApiAsync(traces[4].TraceParent, $"Bearer {forged}")).Dispose();

        string[] secrets =
        [
            token, tampered, forged,
            .. SignatureAndPayloadOf(token), .. SignatureAndPayloadOf(tampered), .. SignatureAndPayloadOf(forged),
            services.ClientSecret, wrongSecret,
            .. PrivateKeyLines(),
        ];
        var spans = traces.SelectMany(trace => _spans.InTrace(trace.TraceId)).ToList();
        Assert.True(spans.Count >= 10, $"expected the spans of five requests, saw {spans.Count}");
        var logs = services.Auth.Services.GetFakeLogCollector().GetSnapshot()
            .Concat(services.Api.Services.GetFakeLogCollector().GetSnapshot()).ToList();
        Assert.NotEmpty(logs);

        foreach (var text in spans.SelectMany(SpanTexts).Concat(logs.SelectMany(LogTexts)))
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"telemetry holds a secret: {text}");
            }
        }
    }

    private static IEnumerable<string> SignatureAndPayloadOf(string token)
    {
        var parts = token.Split('.');
        return [parts[1], parts[2]];
    }

    /// <summary>The base64 body lines of every private key in the store (each is key material on its own).</summary>
    private IEnumerable<string> PrivateKeyLines() =>
        Directory.EnumerateFiles(services.KeysDirectory, "*.pem", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .Where(pem => pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
            .SelectMany(pem => pem.Split('\n'))
            .Where(line => line.Length >= 40 && !line.StartsWith("-----", StringComparison.Ordinal))
            .DefaultIfEmpty()
            .Select(line => line ?? throw new InvalidOperationException("The key store holds no private key to look for."));

    private static IEnumerable<string> SpanTexts(Activity span) =>
        [
            span.DisplayName,
            span.StatusDescription ?? "",
            .. span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"),
            .. span.Events.SelectMany(e => e.Tags.Select(tag => $"{e.Name}:{tag.Key}={tag.Value}")),
            .. span.Baggage.Select(item => $"{item.Key}={item.Value}"),
        ];

    private static IEnumerable<string> LogTexts(FakeLogRecord record) =>
        [
            record.Message,
            record.Exception?.ToString() ?? "",
            .. (record.StructuredState ?? []).Select(pair => $"{pair.Key}={pair.Value}"),
            .. record.Scopes.Select(scope => scope?.ToString() ?? ""),
        ];

    public void Dispose() => _spans.Dispose();
}
