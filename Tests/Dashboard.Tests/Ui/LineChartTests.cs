using System.Xml.Linq;
using AspireProber.Dashboard.Components.Charts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireProber.Dashboard.Tests.Ui;

/// <summary>The SVG chart rendered by the shared framework's HtmlRenderer: coordinates, ticks, legend, tooltips.</summary>
public sealed class LineChartTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 12, 0, 0, TimeSpan.Zero);

    // Width 640, height 240: the plot spans x 56..628 and y 10..196 (ChartGeometry's margins).
    private static readonly ChartSeries Sent = new("sent", [new(T0, 0), new(T0.AddSeconds(10), 50), new(T0.AddSeconds(20), 100)]);
    private static readonly ChartSeries Received = new("received", [new(T0.AddSeconds(20), 20), new(T0, 100)]);

    [Fact]
    public async Task Series_are_paths_through_their_points_scaled_to_the_plot_area()
    {
        var svg = await RenderAsync(Sent, Received);

        var paths = svg.Descendants("path").ToDictionary(p => p.Element("title")!.Value, p => p.Attribute("d")!.Value);
        Assert.Equal("M56 196 L342 103 L628 10", paths["sent"]);
        // Points given out of order are drawn in time order.
        Assert.Equal("M56 10 L628 158.8", paths["received"]);
    }

    [Fact]
    public async Task Value_axis_has_nice_ticks_from_zero_to_the_rounded_maximum()
    {
        var svg = await RenderAsync(new ChartSeries("latency", [new(T0, 3), new(T0.AddSeconds(1), 87)]));

        var labels = TickLabels(svg, "y-axis");
        Assert.Equal(["0 ms", "20 ms", "40 ms", "60 ms", "80 ms", "100 ms"], labels);
    }

    [Fact]
    public async Task Time_axis_has_ticks_on_round_clock_times()
    {
        var svg = await RenderAsync(Sent);

        Assert.Equal(["12:00:00", "12:00:05", "12:00:10", "12:00:15", "12:00:20"], TickLabels(svg, "x-axis"));
    }

    [Fact]
    public async Task Every_point_has_a_tooltip_and_every_series_a_legend_entry()
    {
        var svg = await RenderAsync(Sent, Received);

        var tooltips = svg.Descendants("circle").Select(c => c.Element("title")!.Value).ToArray();
        Assert.Equal(5, tooltips.Length);
        Assert.Contains("sent · 12:00:10 · 50 ms", tooltips);
        var legend = svg.Descendants("g").Single(g => (string?)g.Attribute("class") == "legend").Descendants("text").Select(t => t.Value);
        Assert.Equal(["sent", "received"], legend);
        Assert.Equal("series-1", svg.Descendants("path").Single(p => p.Element("title")!.Value == "received").Attribute("class")!.Value.Split(' ')[1]);
    }

    [Fact]
    public async Task Negative_values_extend_the_axis_below_zero_and_non_finite_values_are_skipped()
    {
        var svg = await RenderAsync(new ChartSeries("delta", [new(T0, -30), new(T0.AddSeconds(5), double.NaN), new(T0.AddSeconds(10), 40)]));

        Assert.Equal("-40 ms", TickLabels(svg, "y-axis")[0]);
        Assert.Equal(2, svg.Descendants("circle").Count());
    }

    [Theory]
    [InlineData(0.3, 0.5)]
    [InlineData(1, 1)]
    [InlineData(1.2, 2)]
    [InlineData(17, 20)]
    [InlineData(2600, 5000)]
    [InlineData(7, 10)]
    public void Tick_steps_are_one_two_or_five_times_a_power_of_ten(double raw, double expected) =>
        Assert.Equal(expected, ChartGeometry.NiceStep(raw), 9);

    private static string[] TickLabels(XElement svg, string axis) =>
        svg.Descendants("g").Single(g => (string?)g.Attribute("class") == "axis " + axis)
            .Descendants("text").Select(t => t.Value).ToArray();

    private static async Task<XElement> RenderAsync(params ChartSeries[] series)
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(LineChart.Series)] = series,
                [nameof(LineChart.Unit)] = "ms",
                [nameof(LineChart.Title)] = "test chart",
            });
            var output = await renderer.RenderComponentAsync<LineChart>(parameters);
            return output.ToHtmlString();
        });
        // The renderer's entities (&amp; &lt; &quot; and numeric references) are XML's too, so the SVG parses as XML.
        return XElement.Parse(html);
    }
}
