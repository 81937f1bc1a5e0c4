using System.Text.Json;

namespace AspireJwks.Tests.Support;

/// <summary>A log record as the dashboard's telemetry API returns it (OTLP JSON).</summary>
public sealed record OtlpLogRecord(string Body, string Severity, string? TraceId, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>Flattens <c>data.resourceLogs[].scopeLogs[].logRecords[]</c>.</summary>
    public static List<OtlpLogRecord> Parse(JsonDocument? document) =>
        document is null
            ? []
            : document.RootElement.GetProperty("data").GetProperty("resourceLogs").EnumerateArray()
                .SelectMany(resource => resource.GetProperty("scopeLogs").EnumerateArray())
                .SelectMany(scope => scope.GetProperty("logRecords").EnumerateArray())
                .Select(record => new OtlpLogRecord(
                    record.TryGetProperty("body", out var body) ? body.EnumerateObject().First().Value.ToString() : "",
                    record.GetProperty("severityText").GetString()!,
                    record.TryGetProperty("traceId", out var traceId) ? traceId.GetString() : null,
                    OtlpSpan.ReadAttributes(record)))
                .ToList();
}
