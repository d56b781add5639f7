using AspireProber.Dashboard.Authentication;

namespace AspireProber.Dashboard;

/// <summary>The dashboard's settings: the <c>Dashboard</c> configuration section (e.g. <c>Dashboard__Otlp__AuthMode</c>).</summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>Who may send telemetry.</summary>
    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>Who may open the pages and APIs of the UI endpoint (read by the UI's authentication).</summary>
    public FrontendOptions Frontend { get; set; } = new();

    /// <summary>How much telemetry the store keeps.</summary>
    public TelemetryLimits TelemetryLimits { get; set; } = new();

    /// <summary>A telemetry export (JSON, as from GET /api/telemetry/export) loaded at startup; also <c>--import &lt;file&gt;</c>.</summary>
    public string? ImportFile { get; set; }
}

/// <summary>How OTLP senders are authenticated.</summary>
public enum OtlpAuthMode
{
    /// <summary>Anyone who can reach the OTLP endpoints may send (the default: they bind to loopback).</summary>
    Unsecured,
    /// <summary>Senders must pass <see cref="OtlpOptions.PrimaryApiKey"/> in the <c>x-otlp-api-key</c> header.</summary>
    ApiKey,
}

/// <summary>OTLP receiver settings (<c>Dashboard:Otlp</c>).</summary>
public sealed class OtlpOptions
{
    /// <summary>The header (HTTP) or metadata key (gRPC) carrying the API key.</summary>
    public const string ApiKeyHeaderName = "x-otlp-api-key";

    /// <summary>Whether an API key is required.</summary>
    public OtlpAuthMode AuthMode { get; set; } = OtlpAuthMode.Unsecured;

    /// <summary>The API key senders must present in <see cref="OtlpAuthMode.ApiKey"/> mode.</summary>
    public string? PrimaryApiKey { get; set; }
}

/// <summary>The store's bounds (<c>Dashboard:TelemetryLimits</c>); beyond them the oldest data is dropped first.</summary>
public sealed class TelemetryLimits
{
    /// <summary>Traces kept; the trace that arrived first is dropped with all its spans.</summary>
    public int MaxTraceCount { get; set; } = 10_000;

    /// <summary>Log records kept.</summary>
    public int MaxLogCount { get; set; } = 10_000;

    /// <summary>Points kept per metric series (one attribute set of one instrument on one replica).</summary>
    public int MaxMetricsCount { get; set; } = 10_000;

    /// <summary>Attributes kept per span, event, log record, resource or data point; the rest are dropped.</summary>
    public int MaxAttributeCount { get; set; } = 128;

    /// <summary>Characters kept of an attribute value; longer ones are cut.</summary>
    public int MaxAttributeLength { get; set; } = 4096;

    /// <summary>Events kept per span.</summary>
    public int MaxSpanEventCount { get; set; } = 128;

    /// <summary>Throws when a limit is not positive, naming the setting to fix.</summary>
    public void Validate()
    {
        Check(MaxTraceCount, nameof(MaxTraceCount));
        Check(MaxLogCount, nameof(MaxLogCount));
        Check(MaxMetricsCount, nameof(MaxMetricsCount));
        Check(MaxAttributeCount, nameof(MaxAttributeCount));
        Check(MaxAttributeLength, nameof(MaxAttributeLength));
        Check(MaxSpanEventCount, nameof(MaxSpanEventCount));

        static void Check(int value, string name)
        {
            if (value <= 0)
            {
                throw new InvalidOperationException($"Dashboard:TelemetryLimits:{name} is {value}; it must be at least 1.");
            }
        }
    }
}
