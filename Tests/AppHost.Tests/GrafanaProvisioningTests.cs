using System.Text.Json;
using Aspire.Hosting;
using YamlDotNet.RepresentationModel;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// grafana/ checked without a Grafana (none runs here): the files parse, the datasource is wired to what the AppHost
/// injects, every panel queries it with PromQL. That the queries run and name real metrics is the end-to-end test's job.
/// </summary>
public sealed class GrafanaProvisioningTests
{
    [Fact]
    public void Every_provisioning_file_is_YAML_and_the_datasource_URL_is_the_variable_the_AppHost_sets()
    {
        var files = GrafanaFiles.ProvisioningFiles().ToArray();
        Assert.All(files, file => Assert.Matches(@"\.yaml$", file));
        var documents = files.Select(GrafanaFiles.LoadYaml).ToArray();

        var datasource = Assert.Single(DataSources());
        Assert.Equal("prometheus", Scalar(datasource, "type"));
        Assert.Equal($"${{{GrafanaExtensions.PrometheusUrlVariable}}}", Scalar(datasource, "url"));
        var provider = (YamlMappingNode)Assert.Single(documents.Where(d => d.Children.ContainsKey("providers")).SelectMany(d => (YamlSequenceNode)d["providers"]));
        Assert.Equal(GrafanaExtensions.DashboardsPath, Scalar((YamlMappingNode)provider["options"], "path"));
    }

    [Fact]
    public void The_Backpressure_Probers_and_gRPC_dashboards_parse_with_unique_uids_and_panel_ids()
    {
        var dashboards = GrafanaFiles.DashboardFiles().Select(GrafanaFiles.LoadJson).ToArray();

        Assert.Equal(["Backpressure", "Probers", "gRPC"], dashboards.Select(d => d.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(dashboards.Length, dashboards.Select(d => d.GetProperty("uid").GetString()).Distinct().Count());
        Assert.All(dashboards, dashboard =>
        {
            var panels = GrafanaFiles.Panels(dashboard).ToArray();
            Assert.NotEmpty(panels);
            Assert.Equal(panels.Length, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
            Assert.All(panels, p => Assert.True(p.GetProperty("gridPos").GetProperty("w").GetInt32() > 0, p.GetProperty("title").GetString()));
        });
    }

    [Fact]
    public void Every_panel_queries_the_provisioned_datasource_with_PromQL_naming_a_metric()
    {
        var uids = DataSources().Select(d => Scalar(d, "uid")).ToHashSet();

        foreach (var file in GrafanaFiles.DashboardFiles())
        {
            foreach (var panel in GrafanaFiles.Panels(GrafanaFiles.LoadJson(file)).Where(p => p.GetProperty("type").GetString() != "row"))
            {
                var where = $"{Path.GetFileName(file)}: panel '{panel.GetProperty("title").GetString()}'";
                var targets = panel.GetProperty("targets").EnumerateArray().ToArray();
                Assert.True(targets.Length > 0, $"{where} has no query.");
                foreach (var target in targets)
                {
                    // A target's own datasource wins over the panel's; one of them must name the provisioned uid.
                    var datasource = target.TryGetProperty("datasource", out var own) ? own : panel.GetProperty("datasource");
                    Assert.True(uids.Contains(datasource.GetProperty("uid").GetString()), $"{where} uses datasource {datasource}, not one of {string.Join(", ", uids)}.");
                    Assert.NotEmpty(PromQl.MetricNames(target.GetProperty("expr").GetString()!));
                }
            }
        }
    }

    [Fact]
    public void The_dashboards_chart_what_they_are_named_for()
    {
        var names = GrafanaFiles.Queries().GroupBy(q => q.Dashboard).ToDictionary(g => g.Key, g => g.SelectMany(q => PromQl.MetricNames(q.Expression)).ToHashSet());

        Assert.Superset(new HashSet<string> { "stock_updates_sent_total", "stock_updates_received_total", "stock_stream_lag", "stock_write_blocked_duration_seconds_sum" }, names["Backpressure"]);
        Assert.Superset(new HashSet<string> { "prober_probe_latency_seconds", "prober_attempts_total", "prober_attempt_duration_seconds_bucket" }, names["Probers"]);
        // grpc-dotnet's calls are ASP.NET Core requests (route /package.Service/Method, tagged with the gRPC status).
        Assert.Superset(new HashSet<string> { "http_server_request_duration_seconds_count", "http_server_request_duration_seconds_bucket", "http_client_request_duration_seconds_bucket" }, names["gRPC"]);
        var quantiles = GrafanaFiles.Queries().Where(q => q.Dashboard == "gRPC" && q.Expression.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal)).Select(q => q.Expression).ToArray();
        Assert.All(["histogram_quantile(0.5,", "histogram_quantile(0.95,", "histogram_quantile(0.99,"], q => Assert.Contains(quantiles, e => e.StartsWith(q, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("sum by (consumer) (rate(stock_updates_sent_total{consumer=\"a{b}\"}[$__rate_interval]))", "stock_updates_sent_total")]
    [InlineData("histogram_quantile(0.95, sum(rate(x_bucket[5m] offset 1m)) by (le)) / on (job) group_left (instance) up", "x_bucket up")]
    [InlineData("a:recorded - ignoring(le) b * 1e3 > bool 2", "a:recorded b")]
    public void PromQl_names_the_metrics_and_nothing_else(string expression, string names)
    {
        Assert.Equal(names.Split(' ').Order(), PromQl.MetricNames(expression).Order());
    }

    private static IEnumerable<YamlMappingNode> DataSources() =>
        GrafanaFiles.ProvisioningFiles().Select(GrafanaFiles.LoadYaml).Where(d => d.Children.ContainsKey("datasources"))
            .SelectMany(d => ((YamlSequenceNode)d["datasources"]).Cast<YamlMappingNode>());

    private static string? Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value;
}
