using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireProber.Hosting.Tests.Infrastructure;

namespace AspireProber.Hosting.Tests;

/// <summary>The env-var contract of DESIGN.md §3, read back from the launched processes themselves.</summary>
public sealed class EnvironmentContractTests(EnvironmentContractTests.RunningApp fixture) : IClassFixture<EnvironmentContractTests.RunningApp>
{
    private readonly DistributedApplication _app = fixture.App;

    /// <summary>One model for the whole class: three backend replicas (http + grpc) and a frontend referencing them.</summary>
    public sealed class RunningApp : IAsyncLifetime
    {
        public DistributedApplication App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var builder = TestApps.CreateBuilder("--AppHost:OtlpEndpoint=http://127.0.0.1:4317");
            var backend = builder.AddEcho("backend")
                .WithEndpoint(name: "grpc", transport: EndpointTransports.Http2)
                .WithGrpcHealthCheck()
                .WithReplicas(3);
            builder.AddEcho("frontend")
                .WithReference(backend)
                .WithEnvironment("CUSTOM_SETTING", "from-apphost")
                .WaitFor(backend);
            App = builder.Build();
            await App.StartAsync();
            await App.WaitHealthyAsync("frontend");
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    [Fact]
    public async Task A_reference_gives_one_services_variable_per_replica_and_endpoint_and_nothing_else()
    {
        var env = await _app.GetEnvAsync("frontend");

        var expected = new Dictionary<string, string?>();
        for (var i = 0; i < 3; i++)
        {
            expected[$"services__backend__http__{i}"] = _app.Url("backend", i);
            expected[$"services__backend__grpc__{i}"] = _app.Url("backend", i, "grpc");
        }
        Assert.Equal(expected.OrderBy(e => e.Key), env.Where(e => e.Key.StartsWith("services__", StringComparison.Ordinal)).OrderBy(e => e.Key));
        Assert.Equal("from-apphost", env["CUSTOM_SETTING"]);
    }

    [Fact]
    public async Task Every_replica_gets_its_own_ports_kestrel_endpoints_and_instance_id()
    {
        var ports = new HashSet<int>();
        for (var i = 0; i < 3; i++)
        {
            var env = await _app.GetEnvAsync("backend", i);
            var http = new Uri(_app.Url("backend", i));
            var grpc = new Uri(_app.Url("backend", i, "grpc"));
            Assert.Equal($"http://127.0.0.1:{http.Port}", env["Kestrel__Endpoints__http__Url"]);
            Assert.Equal("Http1", env["Kestrel__Endpoints__http__Protocols"]);
            Assert.Equal($"http://127.0.0.1:{grpc.Port}", env["Kestrel__Endpoints__grpc__Url"]);
            Assert.Equal("Http2", env["Kestrel__Endpoints__grpc__Protocols"]);
            Assert.Equal($"service.instance.id=backend-{i}", env["OTEL_RESOURCE_ATTRIBUTES"]);
            Assert.Equal("backend", env["OTEL_SERVICE_NAME"]);
            ports.Add(http.Port);
            ports.Add(grpc.Port);
        }
        Assert.Equal(6, ports.Count);
    }

    [Fact]
    public async Task Projects_get_the_environment_name_and_the_otlp_settings()
    {
        var env = await _app.GetEnvAsync("frontend");

        Assert.Equal("Development", env["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("http://127.0.0.1:4317", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("1000", env["OTEL_METRIC_EXPORT_INTERVAL"]);
        Assert.Equal("1000", env["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", env["OTEL_BLRP_SCHEDULE_DELAY"]);
        Assert.False(env.ContainsKey("ASPNETCORE_URLS"));
    }

    [Fact]
    public void Replica_snapshots_list_their_urls()
    {
        var snapshot = _app.ResourceNotifications.GetCurrentState("backend", 2)!.Snapshot;

        Assert.Equal([_app.Url("backend", 2), _app.Url("backend", 2, "grpc")], snapshot.Urls);
        Assert.True(snapshot.IsHealthy);
    }
}
