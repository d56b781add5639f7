using AspireProber.ProbeRunner.Backpressure;

namespace AspireProber.ProbeRunner.Tests;

/// <summary>The backpressure view's reading of Prometheus' text exposition: one counter, summed by consumer.</summary>
public sealed class PrometheusExpositionTests
{
    private const string Metric = "stock_updates_sent_total";

    private static IReadOnlyDictionary<string, double> Sent(string exposition) => PrometheusExposition.SumByLabel(exposition, Metric, "consumer");

    [Fact]
    public void Reads_the_consumer_label_among_others_in_any_order_with_exponents_and_timestamps()
    {
        var sent = Sent("""
            # HELP stock_updates_sent_total Updates whose write to a consumer completed.
            # TYPE stock_updates_sent_total counter
            stock_updates_sent_total{otel_scope_name="AspireProber.Stock",consumer="fast"} 1.5e+03 1700000000000
            stock_updates_sent_total{consumer="slow",otel_scope_name="AspireProber.Stock"} 42
            """);

        Assert.Equal(new Dictionary<string, double> { ["fast"] = 1500, ["slow"] = 42 }, sent);
    }

    [Fact]
    public void Undoes_the_escapes_of_label_values()
    {
        var sent = Sent("stock_updates_sent_total{consumer=\"a \\\"quoted\\\" \\\\ name\\non two lines\",other=\"}, \\\"\"} 3\n");

        Assert.Equal("a \"quoted\" \\ name\non two lines", Assert.Single(sent).Key);
        Assert.Equal(3, sent.Values.Single());
    }

    [Fact]
    public void Sums_the_series_of_one_consumer_and_counts_a_series_without_the_label_under_the_empty_name()
    {
        var sent = Sent("""
            stock_updates_sent_total{consumer="fast",otel_scope_version="1"} 10
            stock_updates_sent_total{consumer="fast",otel_scope_version="2"} 5
            stock_updates_sent_total 4
            stock_updates_sent_total{} 1
            """);

        Assert.Equal(new Dictionary<string, double> { ["fast"] = 15, [""] = 5 }, sent);
    }

    [Fact]
    public void Skips_comments_other_metrics_windows_line_ends_and_lines_it_cannot_read()
    {
        var sent = Sent(string.Join("\r\n",
            "# stock_updates_sent_total{consumer=\"comment\"} 1",
            "stock_updates_sent_total_created{consumer=\"fast\"} 1700000000",
            "stock_updates_received_total{consumer=\"fast\"} 99",
            "stock_updates_sent_total{consumer=\"unclosed} 1",
            "stock_updates_sent_total{consumer=\"no value\"}",
            "stock_updates_sent_total{consumer=\"not a number\"} many",
            "stock_updates_sent_total{consumer=\"fast\"} 8",
            ""));

        Assert.Equal(new Dictionary<string, double> { ["fast"] = 8 }, sent);
    }
}
