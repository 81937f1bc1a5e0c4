using System.Collections.Concurrent;
using System.Diagnostics;

namespace AspireJwks.Tests.Support;

/// <summary>
/// Collects every span that stops in this process. It never votes on sampling (the services'
/// own sampler decides), so it sees exactly what would be exported.
/// </summary>
public sealed class ActivityCapture : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public ActivityCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) =>
        _stopped.Where(activity => activity.TraceId == traceId && activity.Recorded).ToList();

    public Activity SingleSpan(ActivityTraceId traceId, string operationName)
    {
        var matches = InTrace(traceId).Where(activity => activity.OperationName == operationName).ToList();
        return Assert.Single(matches);
    }

    public IReadOnlyList<Activity> All => [.. _stopped];

    /// <summary>A <c>traceparent</c> for a new, sampled trace, so a test can find its own spans among everyone's.</summary>
    public static (string TraceParent, ActivityTraceId TraceId) NewTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        return ($"00-{traceId}-{ActivitySpanId.CreateRandom()}-01", traceId);
    }

    public void Dispose() => _listener.Dispose();
}
