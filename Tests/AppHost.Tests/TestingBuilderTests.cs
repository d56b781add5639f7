using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AspireProber.AppHost.Tests;

/// <summary>What DistributedApplicationTestingBuilder hands a test from the real AppHost's entry point, before anything starts.</summary>
public sealed class TestingBuilderTests
{
    [Fact]
    public async Task The_builder_holds_the_AppHost_model_with_the_test_defaults()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>();

        Assert.Subset(builder.Resources.Select(r => r.Name).ToHashSet(), AppHostModel.SystemResources.ToHashSet());
        Assert.Equal("false", builder.Configuration["AppHost:BuildProjects"]);
        Assert.Equal(Path.GetDirectoryName(new Projects.AspireProber_AppHost().ProjectPath), builder.AppHostDirectory);
    }

    [Fact]
    public async Task Arguments_reach_the_entry_point_and_override_the_test_defaults()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(["--AppHost:BuildProjects=true", "--Custom:Setting=x"]);

        Assert.Equal("true", builder.Configuration["AppHost:BuildProjects"]);
        Assert.Equal("x", builder.Configuration["Custom:Setting"]);
    }

    [Fact]
    public async Task Building_frees_fixed_ports_so_every_endpoint_gets_a_free_one()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>();
        var endpoint = builder.Resources.Single(r => r.Name == "probetarget").Annotations.OfType<EndpointAnnotation>().First();
        endpoint.Port = 1;

        await using var app = await builder.BuildAsync();

        Assert.Null(endpoint.Port);
    }

    [Fact]
    public async Task An_OTLP_sink_becomes_the_endpoint_every_resource_exports_to()
    {
        // A real receiver on a port the OS picked, so the endpoint is one nothing else can be using.
        await using var sink = await InMemoryTelemetry.StartAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>();

        builder.WithOtlpSink(new Uri(sink.OtlpHttpUrl, "/"), "http/protobuf");
        await using var app = await builder.BuildAsync();

        var options = app.Services.GetRequiredService<IOptions<OrchestratorOptions>>().Value;
        Assert.Equal($"http://127.0.0.1:{sink.OtlpHttpUrl.Port}", options.OtlpEndpoint);
        Assert.Equal("http/protobuf", options.OtlpProtocol);
    }

    [Fact]
    public async Task An_OTLP_sink_with_an_unknown_protocol_is_refused()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>();

        var error = Assert.Throws<ArgumentException>(() => builder.WithOtlpSink(new Uri("http://127.0.0.1:4318"), "http/json"));
        Assert.Contains("http/json", error.Message);
    }

    [Fact]
    public async Task A_type_from_an_assembly_without_an_entry_point_is_refused_with_a_reason()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DistributedApplicationTestingBuilder.CreateAsync<DistributedApplication>());
        Assert.Contains("no entry point", error.Message);
    }
}
