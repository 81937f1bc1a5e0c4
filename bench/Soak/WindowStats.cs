using System.Text.Json;

namespace AspireJwks.Bench.Soak;

/// <summary>
/// What one window saw, per kind of request: how many, how many answered as they must, the
/// failures by status or exception, latencies. A request counts in the window in which it ended.
/// </summary>
internal sealed class WindowStats
{
    private readonly Dictionary<string, KindStats> _kinds = [];
    private readonly Lock _lock = new();

    public void Record(string kind, Outcome outcome, string? detail, double milliseconds)
    {
        lock (_lock)
        {
            if (!_kinds.TryGetValue(kind, out var stats))
            {
                _kinds[kind] = stats = new KindStats();
            }
            stats.Record(outcome, detail, milliseconds);
        }
    }

    /// <summary>A slot that was not sent: its schedule was missed (the load fell behind) or it had nothing to send.</summary>
    public void Skip(string kind, string reason)
    {
        lock (_lock)
        {
            if (!_kinds.TryGetValue(kind, out var stats))
            {
                _kinds[kind] = stats = new KindStats();
            }
            stats.Skipped.TryGetValue(reason, out var count);
            stats.Skipped[reason] = count + 1;
        }
    }

    public void WriteJson(Utf8JsonWriter json, int window, DateTimeOffset start, DateTimeOffset end)
    {
        lock (_lock)
        {
            json.WriteStartObject();
            json.WriteNumber("window", window);
            json.WriteNumber("start_unix", start.ToUnixTimeMilliseconds() / 1000.0);
            json.WriteNumber("end_unix", end.ToUnixTimeMilliseconds() / 1000.0);
            json.WriteStartObject("kinds");
            foreach (var (kind, stats) in _kinds.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                json.WritePropertyName(kind);
                stats.WriteJson(json);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    private sealed class KindStats
    {
        private readonly List<double> _latencies = [];
        private readonly Dictionary<Outcome, long> _outcomes = [];
        private readonly Dictionary<string, long> _failures = new(StringComparer.Ordinal);

        public Dictionary<string, long> Skipped { get; } = new(StringComparer.Ordinal);

        public void Record(Outcome outcome, string? detail, double milliseconds)
        {
            _latencies.Add(milliseconds);
            _outcomes.TryGetValue(outcome, out var count);
            _outcomes[outcome] = count + 1;
            if (outcome is not Outcome.Ok and not Outcome.Changed && detail is not null)
            {
                _failures.TryGetValue(detail, out var failures);
                _failures[detail] = failures + 1;
            }
        }

        public void WriteJson(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteNumber("sent", _latencies.Count);
            foreach (var outcome in Enum.GetValues<Outcome>())
            {
                json.WriteNumber(JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString()), _outcomes.GetValueOrDefault(outcome));
            }
            _latencies.Sort();
            json.WriteNumber("p50_ms", Percentile(0.50));
            json.WriteNumber("p99_ms", Percentile(0.99));
            json.WriteNumber("max_ms", _latencies.Count == 0 ? 0 : Math.Round(_latencies[^1], 2));
            json.WriteStartObject("failures");
            foreach (var (detail, count) in _failures.OrderByDescending(pair => pair.Value))
            {
                json.WriteNumber(detail, count);
            }
            json.WriteEndObject();
            json.WriteStartObject("skipped");
            foreach (var (reason, count) in Skipped)
            {
                json.WriteNumber(reason, count);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }

        private double Percentile(double share) =>
            _latencies.Count == 0 ? 0 : Math.Round(_latencies[Math.Min(_latencies.Count - 1, (int)(share * _latencies.Count))], 2);
    }
}

/// <summary>How a response was judged.</summary>
internal enum Outcome
{
    /// <summary>Answered as it must: a valid request succeeded, an invalid token got 401, a known ETag got 304.</summary>
    Ok,

    /// <summary>A conditional JWKS request answered 200 with another ETag: the key set changed (a rotation). Correct.</summary>
    Changed,

    /// <summary>A valid request that did not succeed (a status, a refused or reset connection, a timeout).</summary>
    Failed,

    /// <summary>An invalid token that the API accepted: never allowed.</summary>
    Accepted,

    /// <summary>An invalid token answered with something else than 401 or 2xx (a 5xx, a dropped connection).</summary>
    Error,
}
