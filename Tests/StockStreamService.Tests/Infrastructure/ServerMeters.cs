using System.Diagnostics.Metrics;
using AspireProber.StockStreamService;

namespace AspireProber.StockStreamService.Tests.Infrastructure;

/// <summary>
/// Reads one server's stock instruments as a metrics exporter would: counters summed per consumer, gauges observed
/// on demand, histograms' largest value per consumer. Only the meters of that server's <see cref="IMeterFactory"/>
/// are heard, so servers of tests running in parallel do not mix.
/// </summary>
public sealed class ServerMeters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Instrument, string? Consumer), long> _counters = [];
    private readonly Dictionary<(string Instrument, string? Consumer), long> _observed = [];
    private readonly Dictionary<(string Instrument, string? Consumer), (long Count, double Max)> _histograms = [];

    public ServerMeters(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StockMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = (instrument.Name, Consumer(tags));
            lock (_lock)
            {
                if (instrument.IsObservable)
                {
                    _observed[key] = value;
                }
                else
                {
                    _counters[key] = _counters.GetValueOrDefault(key) + value;
                }
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var key = (instrument.Name, Consumer(tags));
            lock (_lock)
            {
                var (count, max) = _histograms.GetValueOrDefault(key);
                _histograms[key] = (count + 1, Math.Max(max, value));
            }
        });
        _listener.Start();
    }

    /// <summary>stock.updates.sent for <paramref name="consumer"/>: completed writes.</summary>
    public long Sent(string consumer) => Counter("stock.updates.sent", consumer);

    /// <summary>stock.stream.lag for <paramref name="consumer"/> now, or null when it has no open stream.</summary>
    public long? Lag(string consumer) => Observe("stock.stream.lag", consumer);

    /// <summary>stock.log.size now.</summary>
    public long LogSize() => Observe("stock.log.size", null) ?? throw new InvalidOperationException("stock.log.size reported nothing.");

    /// <summary>stock.updates.published now.</summary>
    public long Published() => Observe("stock.updates.published", null) ?? throw new InvalidOperationException("stock.updates.published reported nothing.");

    /// <summary>How many writes stock.write.blocked.duration recorded for <paramref name="consumer"/>, and the longest, in seconds.</summary>
    public (long Count, double MaxSeconds) WriteBlocked(string consumer)
    {
        lock (_lock)
        {
            return _histograms.GetValueOrDefault(("stock.write.blocked.duration", consumer));
        }
    }

    public void Dispose() => _listener.Dispose();

    private long Counter(string instrument, string consumer)
    {
        lock (_lock)
        {
            return _counters.GetValueOrDefault((instrument, consumer));
        }
    }

    private long? Observe(string instrument, string? consumer)
    {
        lock (_lock)
        {
            foreach (var key in _observed.Keys.Where(k => k.Instrument == instrument).ToList())
            {
                _observed.Remove(key);
            }
        }
        _listener.RecordObservableInstruments();
        lock (_lock)
        {
            return _observed.TryGetValue((instrument, consumer), out var value) ? value : null;
        }
    }

    private static string? Consumer(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "consumer")
            {
                return (string?)tag.Value;
            }
        }
        return null;
    }
}
