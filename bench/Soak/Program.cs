// The load of bench/soak: each kind of request at its own steady rate from --start-unix-ms for
// --duration-seconds, every response judged (SoakRequests), one JSON line of counters per window in
// --windows-file, and each failure with its time in --failures-file. bench/soak starts the system,
// this load, the rotations and the replica kill, and samples the processes on the same windows.
using System.Text.Json;
using AspireJwks.Bench.Soak;

SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var time = TimeProvider.System;
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};

// New connections now and then, as a long-running client's pool makes them, so the AppHost's
// proxy spreads them over the replicas, and a restarted replica gets its share again.
using var handler = new SocketsHttpHandler
{
    PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15),
    ConnectTimeout = TimeSpan.FromSeconds(5),
};
using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };

var windowCount = (int)Math.Ceiling(options.Duration / options.Window);
var end = options.Start + options.Duration;
var current = new WindowStats();
var failuresInWindow = 0;
const int FailureLinesPerWindow = 200;
var failureLines = new Lock();
await using var failures = new StreamWriter(options.FailuresFile, append: false) { AutoFlush = true };

void Record(string kind, Outcome outcome, string? detail, double milliseconds)
{
    Volatile.Read(ref current).Record(kind, outcome, detail, milliseconds);
    if (outcome is Outcome.Ok or Outcome.Changed)
    {
        return;
    }
    lock (failureLines)
    {
        if (failuresInWindow++ < FailureLinesPerWindow)
        {
            failures.WriteLine($"{time.GetUtcNow():O} {kind} {outcome} {detail} ({milliseconds:0} ms)");
        }
    }
}

using var requests = new SoakRequests(options, http, time, Record);
using var dpop = new DPoPRequests(options, time, options.ClientKey, requests.SendAsync);
var kinds = new (string Kind, Func<CancellationToken, Task<bool>> Send)[]
{
    (RequestKinds.Token, async ct => { await requests.TokenAsync(ct); return true; }),
    (RequestKinds.ProtectedReused, async ct => { await requests.ProtectedReusedAsync(ct); return true; }),
    (RequestKinds.ProtectedFresh, requests.ProtectedFreshAsync),
    (RequestKinds.Invalid, async ct => { await requests.InvalidAsync(ct); return true; }),
    (RequestKinds.Jwks, async ct => { await requests.JwksAsync(ct); return true; }),
    (RequestKinds.JwksNotModified, async ct => { await requests.JwksNotModifiedAsync(ct); return true; }),
    (RequestKinds.TokenDPoP, async ct => { await dpop.TokenAsync(ct); return true; }),
    (RequestKinds.ProtectedDPoP, dpop.ProtectedAsync),
};

await requests.WarmUpAsync(stopping.Token);
if (options.Rates[RequestKinds.ProtectedDPoP] > 0)
{
    await dpop.WarmUpAsync(stopping.Token);
}
var wait = options.Start - time.GetUtcNow();
if (wait > TimeSpan.Zero)
{
    await Task.Delay(wait, stopping.Token);
}
Console.WriteLine($"load started: {string.Join(", ", options.Rates.Select(rate => $"{rate.Key} {rate.Value}/s"))}; " +
    $"{windowCount} window(s) of {options.Window.TotalSeconds:0} s");

var loads = kinds.Select(kind => RunAtRateAsync(kind.Kind, options.Rates[kind.Kind], kind.Send)).ToList();
await using (var windows = new StreamWriter(options.WindowsFile, append: false) { AutoFlush = true })
{
    for (var window = 0; window < windowCount; window++)
    {
        var windowStart = options.Start + window * options.Window;
        var windowEnd = window == windowCount - 1 ? end : windowStart + options.Window;
        var untilEnd = windowEnd - time.GetUtcNow();
        if (untilEnd > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(untilEnd, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                windowEnd = time.GetUtcNow();
            }
        }
        if (window == windowCount - 1 || stopping.IsCancellationRequested)
        {
            // The last window also holds what was still in flight at the end (each request times out after 10 s).
            try
            {
                await Task.WhenAll(loads).WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException)
            {
                Console.WriteLine("some requests were still in flight 15 s after the end; the last window leaves them out");
            }
        }
        var finished = Interlocked.Exchange(ref current, new WindowStats());
        lock (failureLines)
        {
            failuresInWindow = 0;
        }
        await using (var json = new Utf8JsonWriter(windows.BaseStream))
        {
            finished.WriteJson(json, window, windowStart, windowEnd);
        }
        await windows.WriteLineAsync();
        Console.WriteLine($"window {window + 1}/{windowCount} written");
        if (stopping.IsCancellationRequested)
        {
            break;
        }
    }
}
return 0;

// Sends one kind at its rate on a fixed schedule (start + i / rate), not waiting for answers, with at
// most 32 in flight. A slot missed by more than a second is skipped and counted, never sent late in a
// burst: a stall of the system must not turn into a flood when it ends.
async Task RunAtRateAsync(string kind, double rate, Func<CancellationToken, Task<bool>> send)
{
    if (rate <= 0)
    {
        return;
    }
    const int MaximumInFlight = 32;
    using var inFlight = new SemaphoreSlim(MaximumInFlight);
    var interval = TimeSpan.FromSeconds(1 / rate);
    long slot = 0;
    try
    {
        while (!stopping.IsCancellationRequested)
        {
            var due = options.Start + slot * interval;
            if (due >= end)
            {
                break;
            }
            var now = time.GetUtcNow();
            if (now - due > TimeSpan.FromSeconds(1))
            {
                var caughtUp = (long)Math.Ceiling((now - options.Start) / interval);
                for (var missed = slot; missed < caughtUp; missed++)
                {
                    Volatile.Read(ref current).Skip(kind, "missed_schedule");
                }
                slot = caughtUp;
                continue;
            }
            if (due > now)
            {
                await Task.Delay(due - now, stopping.Token);
            }
            await inFlight.WaitAsync(stopping.Token);
            slot++;
            _ = SendOneAsync();
        }
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
    }
    // Every request still in flight ends (or times out) before the last window is written.
    for (var i = 0; i < MaximumInFlight; i++)
    {
        await inFlight.WaitAsync(CancellationToken.None);
    }

    async Task SendOneAsync()
    {
        try
        {
            if (!await send(stopping.Token))
            {
                Volatile.Read(ref current).Skip(kind, "nothing_to_send");
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            inFlight.Release();
        }
    }
}
