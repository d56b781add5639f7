namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>
/// Reads the backpressure view's numbers from Prometheus when it can be read, and otherwise straight from the services
/// (<see cref="DirectFlows"/>), saying in the reading which source it used and why.
/// </summary>
public sealed class BackpressureReader(PrometheusFlows prometheus, DirectFlows direct, SourceTracker tracker, IConfiguration configuration)
{
    /// <summary>One reading, from Prometheus or else from the services.</summary>
    /// <exception cref="BackpressureUnavailableException">Neither source could be read.</exception>
    public async Task<BackpressureReading> ReadAsync(CancellationToken cancellationToken)
    {
        // For the messages: the address service discovery resolves http://prometheus to.
        var address = configuration[$"services:{PrometheusClient.ServiceName}:http:0"] ?? $"http://{PrometheusClient.ServiceName}";
        var prometheusProblem = !configuration.HasService(PrometheusClient.ServiceName)
            ? $"Prometheus could not be read: no address is configured ({PrometheusClient.AddressSetting}, which the AppHost sets "
                + $"for its '{PrometheusClient.ServiceName}' resource)."
            : tracker.RecentPrometheusProblem;
        if (prometheusProblem is null)
        {
            try
            {
                var flows = await prometheus.ReadAsync(cancellationToken);
                tracker.ReadFromPrometheus(address);
                return new BackpressureReading(FlowSource.Prometheus, $"Read from Prometheus at {address}.", flows);
            }
            catch (Exception e) when (PrometheusFlows.IsUnreadable(e) && !cancellationToken.IsCancellationRequested)
            {
                prometheusProblem = $"Prometheus could not be read at {address} ({PrometheusClient.AddressSetting}): {e.Message.TrimEnd('.')}; "
                    + $"it is asked again {SourceTracker.PrometheusRetryDelay.TotalSeconds:0} s after a failure.";
                tracker.PrometheusFailed(prometheusProblem);
            }
        }

        try
        {
            var flows = await direct.ReadAsync(cancellationToken);
            tracker.ReadFromServices(prometheusProblem);
            return new BackpressureReading(FlowSource.Services, prometheusProblem, flows);
        }
        catch (StockMetricsException e)
        {
            tracker.ReadNothing(prometheusProblem, e.Message);
            throw new BackpressureUnavailableException($"{prometheusProblem} {e.Message}");
        }
    }
}

/// <summary>Neither Prometheus nor the stock service's /metrics could be read; the message says why for both.</summary>
public sealed class BackpressureUnavailableException(string message) : Exception(message);
