-- Shared by every load script: prints the run's figures as one JSON line that bench/run reads.
-- Latencies are wrk's (microseconds, measured from the first byte sent to the last received).
-- A script may add members of its own with a function report_extra() (one-time.lua does).
function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local extra = type(report_extra) == "function" and report_extra() or ""
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"non_2xx":%d}%s}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status, extra))
end
