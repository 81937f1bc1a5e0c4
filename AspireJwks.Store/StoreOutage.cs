using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireJwks.Store;

/// <summary>
/// Counts every store operation that got no answer in time and logs the outage once when it
/// starts, at most once per interval while it lasts, and once when the store answers again, so a
/// flood of refused requests is a few lines, not one per request. A store that flaps (outages that
/// begin again within an interval of the last line) is counted but not logged again until the
/// interval has passed, so the lines stay bounded however often it flaps.
/// </summary>
internal sealed class StoreOutage
{
    private readonly Counter<long> _unavailable;
    private readonly TimeSpan _logInterval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<StoreOutage> _logger;
    private readonly Lock _gate = new();
    private volatile bool _down;
    private DateTimeOffset _since;
    private DateTimeOffset _lastLogged = DateTimeOffset.MinValue;
    private long _failuresSinceLog;
    // Whether this outage's start was logged, so its end is logged too.
    private bool _logged;

    public StoreOutage(IMeterFactory meterFactory, IOptions<StoreOptions> options, TimeProvider timeProvider, ILogger<StoreOutage> logger)
    {
        _unavailable = meterFactory.Create(StoreInstrumentation.MeterName).CreateCounter<long>(
            StoreInstrumentation.Metrics.Unavailable, "{operation}", "Store operations that got no answer in time, by what they were for.");
        _logInterval = options.Value.OutageLogInterval;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Whether the last operation got no answer.</summary>
    public bool IsDown => _down;

    /// <param name="operation">What the operation was for (<see cref="StoreInstrumentation.Operations"/>).</param>
    /// <param name="failure">Why: a timeout or the client's connection error. Only its kind is logged.</param>
    public void Failed(string operation, Exception failure)
    {
        _unavailable.Add(1, new KeyValuePair<string, object?>(StoreInstrumentation.Operations.Attribute, operation));
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_down)
            {
                _down = true;
                _since = now;
                _logged = now - _lastLogged >= _logInterval;
                if (!_logged)
                {
                    _failuresSinceLog++;
                    return;
                }
                _lastLogged = now;
                _failuresSinceLog = 0;
                // The kind of failure only: a client's exception text can name keys and endpoints.
                _logger.LogWarning(
                    "The token store does not answer ({Failure}): DPoP proofs and client assertions get 503 until it does; " +
                    "rate limits count per process and key changes are polled",
                    failure.GetType().Name);
                return;
            }
            _failuresSinceLog++;
            if (now - _lastLogged >= _logInterval)
            {
                _logger.LogWarning("The token store still does not answer after {Duration}: {Failures} operation(s) failed since the last report",
                    now - _since, _failuresSinceLog);
                _lastLogged = now;
                _failuresSinceLog = 0;
                _logged = true;
            }
        }
    }

    public void Answered()
    {
        if (!_down)
        {
            return;
        }
        lock (_gate)
        {
            if (_down)
            {
                _down = false;
                if (_logged)
                {
                    _logger.LogInformation("The token store answers again after {Duration}", _timeProvider.GetUtcNow() - _since);
                }
            }
        }
    }
}
