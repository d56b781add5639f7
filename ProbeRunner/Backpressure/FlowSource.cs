using System.Text.Json.Serialization;

namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>Where a backpressure reading came from (the <c>source</c> of the JSON the page polls).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FlowSource>))]
public enum FlowSource
{
    /// <summary>Prometheus' HTTP API: both counters as last scraped, rates over 10 s.</summary>
    [JsonStringEnumMemberName("prometheus")]
    Prometheus,

    /// <summary>Straight from where the counters live: the stock service's <c>/metrics</c> and the runner's consumers.</summary>
    [JsonStringEnumMemberName("services")]
    Services,
}
