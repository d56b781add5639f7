using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace AspireProber.ServiceDefaults.Prometheus;

/// <summary>
/// The pull side of /metrics: a MetricReader whose exporter renders each collection as Prometheus text. Every
/// scrape collects fresh; scrapes take turns (the reader collects one batch at a time and the exporter renders
/// into one buffer).
/// </summary>
internal sealed class PrometheusScraper
{
    private static readonly TimeSpan CollectTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ScrapeExporter _exporter = new();

    public PrometheusScraper() => Reader = new BaseExportingMetricReader(_exporter);

    /// <summary>The reader to add to the MeterProvider; the provider owns and disposes it.</summary>
    public MetricReader Reader { get; }

    /// <summary>Collects now and returns the exposition, or null when the provider could not collect (not started, shut down).</summary>
    public async Task<byte[]?> ScrapeAsync(bool openMetrics, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _exporter.Begin(openMetrics);
            // A pull-only reader collects only through the delegate it hands its exporter.
            var collected = _exporter.Collect?.Invoke((int)CollectTimeout.TotalMilliseconds) ?? false;
            return collected ? _exporter.End() : null;
        }
        finally
        {
            _exporter.Reset();
            _turn.Release();
        }
    }

    /// <summary>Renders the batch of the scrape in progress; collections outside a scrape (e.g. at shutdown) are dropped.</summary>
    [ExportModes(ExportModes.Pull)]
    private sealed class ScrapeExporter : BaseExporter<Metric>, IPullMetricExporter
    {
        public Func<int, bool>? Collect { get; set; }

        private readonly StringBuilder _text = new();
        private bool _scraping;
        private bool _openMetrics;

        public void Begin(bool openMetrics)
        {
            _text.Clear();
            _openMetrics = openMetrics;
            _scraping = true;
        }

        public byte[] End() => Encoding.UTF8.GetBytes(_text.ToString());

        public void Reset()
        {
            _scraping = false;
            _text.Clear();
        }

        public override ExportResult Export(in Batch<Metric> batch)
        {
            if (_scraping)
            {
                PrometheusSerializer.Write(_text, batch, ParentProvider?.GetResource(), _openMetrics);
            }
            return ExportResult.Success;
        }
    }
}
