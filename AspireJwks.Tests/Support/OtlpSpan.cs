using System.Text.Json;

namespace AspireJwks.Tests.Support;

/// <summary>A span as the dashboard's telemetry API returns it (OTLP JSON), with the resource that sent it.</summary>
/// <param name="Resource">The sender's <c>service.name</c>: <c>auth</c> for every replica of auth.</param>
/// <param name="Instance">The sender's <c>service.instance.id</c>: which replica it is.</param>
public sealed record OtlpSpan(
    string Resource, string Instance, string Scope, string Name, string TraceId, string SpanId, string? ParentSpanId,
    IReadOnlyDictionary<string, string> Attributes)
{
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;

    /// <summary>Flattens <c>data.resourceSpans[].scopeSpans[].spans[]</c>.</summary>
    public static IReadOnlyList<OtlpSpan> Parse(JsonDocument? document)
    {
        if (document is null)
        {
            return [];
        }
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var sender = ReadAttributes(resourceSpans.GetProperty("resource"));
            var resource = sender["service.name"];
            var instance = sender.GetValueOrDefault("service.instance.id", "");
            foreach (var scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                var scope = scopeSpans.GetProperty("scope").GetProperty("name").GetString()!;
                spans.AddRange(scopeSpans.GetProperty("spans").EnumerateArray().Select(span => new OtlpSpan(
                    resource, instance, scope,
                    span.GetProperty("name").GetString()!,
                    span.GetProperty("traceId").GetString()!,
                    span.GetProperty("spanId").GetString()!,
                    span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                    ReadAttributes(span))));
            }
        }
        return spans;
    }

    /// <summary>The string form of each attribute (OTLP wraps every value in a typed object).</summary>
    public static Dictionary<string, string> ReadAttributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner.TryGetProperty("attributes", out var list))
        {
            foreach (var attribute in list.EnumerateArray())
            {
                var value = attribute.GetProperty("value").EnumerateObject().First().Value;
                attributes[attribute.GetProperty("key").GetString()!] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.ToString();
            }
        }
        return attributes;
    }
}
