using AspireProber.ServiceDefaults.Prometheus;
using OpenTelemetry.Metrics;

namespace AspireProber.ServiceDefaults.Tests;

/// <summary>OpenTelemetry → Prometheus naming rules, one case per rule.</summary>
public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("ms", MetricType.Histogram, "milliseconds")]
    [InlineData("s", MetricType.Histogram, "seconds")]
    [InlineData("By", MetricType.LongSum, "bytes")]
    [InlineData("{request}", MetricType.LongSum, "")]
    [InlineData("By/s", MetricType.DoubleGauge, "bytes_per_second")]
    [InlineData("{packet}/s", MetricType.DoubleGauge, "per_second")]
    [InlineData("1", MetricType.DoubleGauge, "ratio")]
    [InlineData("1", MetricType.LongSumNonMonotonic, "ratio")]
    [InlineData("1", MetricType.LongSum, "")]
    [InlineData("{thread}1", MetricType.DoubleGauge, "ratio")]
    [InlineData("widgets", MetricType.LongSum, "widgets")]
    [InlineData("", MetricType.LongSum, "")]
    public void Units_become_prometheus_words(string unit, MetricType type, string expected) =>
        Assert.Equal(expected, PrometheusNames.UnitWord(unit, type));

    [Theory]
    [InlineData("http.server.request.duration", "http_server_request_duration")]
    [InlineData("my-metric..name", "my_metric_name")]
    [InlineData("1st.metric", "_1st_metric")]
    [InlineData("ns:metric", "ns:metric")]
    [InlineData("ünits", "_nits")]
    public void Metric_names_are_sanitized(string name, string expected) => Assert.Equal(expected, PrometheusNames.MetricName(name));

    [Theory]
    [InlineData("rpc.grpc.status_code", "rpc_grpc_status_code")]
    [InlineData("9lives", "key_9lives")]
    [InlineData("ns:label", "ns_label")]
    [InlineData("__reserved", "_reserved")]
    public void Label_names_are_sanitized(string name, string expected) => Assert.Equal(expected, PrometheusNames.LabelName(name));
}
