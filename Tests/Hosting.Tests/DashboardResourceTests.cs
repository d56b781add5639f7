using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireProber.Hosting.Tests.Infrastructure;

namespace AspireProber.Hosting.Tests;

/// <summary>
/// The implicit dashboard resource, with EchoApp standing in for the dashboard (AppHost:DashboardPath): what it is
/// given (its ports, browser token, OTLP key and the resource service, in the variables Aspire's dashboard reads), what
/// the other resources are given, and that it starts first.
/// </summary>
public sealed class DashboardResourceTests
{
    [Fact]
    public async Task The_dashboard_gets_its_ports_secrets_and_the_resource_service_and_projects_export_to_it_with_the_key()
    {
        var builder = TestApps.CreateBuilder($"--AppHost:DashboardPath={TestApps.EchoDll}");
        builder.AddEcho("web").WithReplicas(2);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.WaitHealthyAsync("web");

        var dashboard = app.Model.GetResource("aspire-dashboard");
        Assert.IsType<ExecutableResource>(dashboard);
        var annotation = Assert.Single(dashboard.Annotations.OfType<DashboardAnnotation>());
        var dashboardEnv = await app.GetEnvAsync("aspire-dashboard");
        Assert.Equal(app.Url("aspire-dashboard"), dashboardEnv["ASPNETCORE_URLS"]);
        var otlpGrpc = app.Url("aspire-dashboard", endpointName: "otlp-grpc");
        Assert.Equal(otlpGrpc, dashboardEnv["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"]);
        Assert.Equal(app.Url("aspire-dashboard", endpointName: "otlp-http"), dashboardEnv["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]);
        Assert.Equal(app.ResourceServiceUrl, dashboardEnv["DOTNET_RESOURCE_SERVICE_ENDPOINT_URL"]);
        Assert.Equal("BrowserToken", dashboardEnv["Dashboard__Frontend__AuthMode"]);
        Assert.Equal(annotation.BrowserToken, dashboardEnv["Dashboard__Frontend__BrowserToken"]);
        Assert.Equal("ApiKey", dashboardEnv["Dashboard__Otlp__AuthMode"]);
        Assert.Equal(annotation.OtlpApiKey, dashboardEnv["Dashboard__Otlp__PrimaryApiKey"]);
        Assert.Matches("^[0-9a-f]{32}$", annotation.BrowserToken);
        Assert.NotEqual(annotation.BrowserToken, annotation.OtlpApiKey);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", dashboardEnv.Keys);

        for (var i = 0; i < 2; i++)
        {
            var env = await app.GetEnvAsync("web", i);
            Assert.Equal(otlpGrpc, env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("grpc", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
            Assert.Equal($"x-otlp-api-key={annotation.OtlpApiKey}", env["OTEL_EXPORTER_OTLP_HEADERS"]);
            Assert.Equal("web", env["OTEL_SERVICE_NAME"]);
            Assert.Equal($"service.instance.id=web-{i}", env["OTEL_RESOURCE_ATTRIBUTES"]);
            Assert.Equal("1000", env["OTEL_METRIC_EXPORT_INTERVAL"]);
        }
    }

    [Fact]
    public async Task The_others_start_only_once_the_dashboards_OTLP_port_accepts_connections_and_the_dashboard_stops_last()
    {
        var builder = TestApps.CreateBuilder($"--AppHost:DashboardPath={TestApps.EchoDll}");
        builder.AddExecutable("quick", "sleep", ".", "300");
        await using var app = builder.Build();
        await app.StartAsync();

        var quick = await app.WaitForStateAsync("quick", KnownResourceStates.Running);

        // The stand-in binds its OTLP port only once its host has started, well after its process started.
        var dashboard = app.ResourceNotifications.GetCurrentState("aspire-dashboard")!.Snapshot;
        Assert.Equal(KnownResourceStates.Running, dashboard.State);
        Assert.True(quick.Snapshot.StartTime > dashboard.StartTime + TimeSpan.FromMilliseconds(100),
            $"quick started at {quick.Snapshot.StartTime:O}, the dashboard at {dashboard.StartTime:O}");

        await app.StopAsync();

        var quickStopped = app.ResourceNotifications.GetCurrentState("quick")!.Snapshot.StopTime;
        var dashboardStopped = app.ResourceNotifications.GetCurrentState("aspire-dashboard")!.Snapshot.StopTime;
        Assert.True(dashboardStopped >= quickStopped, $"quick stopped at {quickStopped:O}, the dashboard at {dashboardStopped:O}");
    }

    [Fact]
    public async Task Launch_profile_variables_pin_the_dashboards_ports_as_in_Aspire()
    {
        var builder = TestApps.CreateBuilder($"--AppHost:DashboardPath={TestApps.EchoDll}", "--ASPNETCORE_URLS=http://127.0.0.1:18888",
            "--DOTNET_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:18889", "--DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:18890");
        await using var app = builder.Build();

        var dashboard = app.Model.GetResource("aspire-dashboard");
        Assert.Equal(18888, dashboard.GetEndpoint(DashboardAnnotation.UiEndpointName)!.Port);
        Assert.Equal(18889, dashboard.GetEndpoint(DashboardAnnotation.OtlpGrpcEndpointName)!.Port);
        Assert.Equal(18890, dashboard.GetEndpoint(DashboardAnnotation.OtlpHttpEndpointName)!.Port);
        Assert.Equal(EndpointTransports.Http2, dashboard.GetEndpoint(DashboardAnnotation.OtlpGrpcEndpointName)!.Transport);
    }

    [Fact]
    public async Task Without_a_dashboard_projects_export_to_AppHost_OtlpEndpoint_without_a_key()
    {
        var builder = TestApps.CreateBuilder($"--AppHost:DashboardPath={TestApps.EchoDll}", "--AppHost:DashboardEnabled=false", "--AppHost:OtlpEndpoint=http://127.0.0.1:4317");
        builder.AddEcho("web");
        await using var app = builder.Build();
        await app.StartAsync();
        await app.WaitHealthyAsync("web");

        Assert.DoesNotContain(app.Model.Resources, r => r.Name == "aspire-dashboard");
        var env = await app.GetEnvAsync("web");
        Assert.Equal("http://127.0.0.1:4317", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_HEADERS", env.Keys);
    }

    [Fact]
    public async Task A_dashboard_that_exits_at_once_does_not_hold_the_others_back()
    {
        // `dotnet /bin/true` fails at once; the start timeout is longer than the test's wait, so only noticing the exit passes.
        var builder = TestApps.CreateBuilder("--AppHost:DashboardPath=/bin/true", "--AppHost:DashboardStartTimeout=00:05:00");
        builder.AddEcho("web");
        await using var app = builder.Build();
        await app.StartAsync();

        await app.WaitHealthyAsync("web");

        Assert.Equal(KnownResourceStates.Exited, app.ResourceNotifications.GetCurrentState("aspire-dashboard")!.Snapshot.State);
    }
}
