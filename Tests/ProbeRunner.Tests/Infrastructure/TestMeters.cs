using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.ProbeRunner.Tests.Infrastructure;

/// <summary>A meter factory of its own per test, with the runner's metrics and a recorder listening to them.</summary>
public sealed class TestMeters : IDisposable
{
    private readonly ServiceProvider _provider = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public TestMeters()
    {
        var factory = _provider.GetRequiredService<IMeterFactory>();
        Recorder = new MetricRecorder(factory);
        Metrics = new RunnerMetrics(factory);
    }

    public RunnerMetrics Metrics { get; }

    public MetricRecorder Recorder { get; }

    public void Dispose()
    {
        Recorder.Dispose();
        _provider.Dispose();
    }
}
