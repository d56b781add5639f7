using System.Diagnostics;
using System.Runtime.Versioning;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// How the local run chooses Prometheus' runtime (Prometheus:Runtime), with stand-in container CLIs for an engine that
/// answers, refuses or hangs, and the container the model then holds. No container engine runs here: the container is
/// built into the model, not started. The stand-ins are shell scripts, hence Unix only.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrometheusRuntimeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prometheus-runtime-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(null, PrometheusRuntime.Auto)]
    [InlineData("", PrometheusRuntime.Auto)]
    [InlineData("auto", PrometheusRuntime.Auto)]
    [InlineData("Executable", PrometheusRuntime.Executable)]
    [InlineData(" container ", PrometheusRuntime.Container)]
    public void The_setting_names_a_runtime_in_any_case(string? value, PrometheusRuntime expected) =>
        Assert.Equal(expected, PrometheusRuntimes.Parse(value));

    [Theory]
    [InlineData("docker")]
    [InlineData("1")]
    public void Any_other_value_is_refused_with_the_values_to_use(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => PrometheusRuntimes.Parse(value));
        Assert.StartsWith($"Prometheus:Runtime is '{value}': use auto, executable or container.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_whose_info_succeeds_answers_and_one_whose_info_fails_or_is_missing_does_not()
    {
        Assert.True(PrometheusRuntimes.ContainerEngineAnswers(FakeCli("exit 0"), PrometheusRuntimes.EngineTimeout));
        Assert.False(PrometheusRuntimes.ContainerEngineAnswers(FakeCli("echo 'Cannot connect to the Docker daemon' >&2; exit 1"), PrometheusRuntimes.EngineTimeout));
        Assert.False(PrometheusRuntimes.ContainerEngineAnswers(Path.Combine(_folder, "no-such-cli"), PrometheusRuntimes.EngineTimeout));
    }

    [Fact]
    public void An_engine_that_does_not_answer_in_time_does_not_answer_and_its_cli_is_ended()
    {
        var pidFile = Path.Combine(_folder, "cli.pid");
        var cli = FakeCli($"echo $$ > '{pidFile}'; exec sleep 60");

        var clock = Stopwatch.StartNew();
        Assert.False(PrometheusRuntimes.ContainerEngineAnswers(cli, TimeSpan.FromSeconds(1)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        // Gone from /proc: ended and reaped, not left as a zombie.
        Assert.DoesNotContain(pid, ProcessTable.All());
    }

    [Fact]
    public void Auto_takes_an_installed_executable_without_asking_the_engine()
    {
        var asked = Path.Combine(_folder, "asked");
        var configuration = Configuration(("ASPIRE_CONTAINER_RUNTIME", FakeCli($"touch '{asked}'; exit 0")));

        Assert.Equal(PrometheusRuntime.Executable, PrometheusRuntimes.Choose(configuration, FakeCli("exit 0")));
        Assert.False(File.Exists(asked));
    }

    [Fact]
    public void Auto_without_the_executable_takes_the_container_only_when_the_engine_answers()
    {
        var missing = Path.Combine(_folder, "prometheus");

        Assert.Equal(PrometheusRuntime.Container, PrometheusRuntimes.Choose(Configuration(("ASPIRE_CONTAINER_RUNTIME", FakeCli("exit 0"))), missing));
        Assert.Equal(PrometheusRuntime.Executable, PrometheusRuntimes.Choose(Configuration(("ASPIRE_CONTAINER_RUNTIME", FakeCli("exit 1"))), missing));
        // Aspire's older name for the same setting.
        Assert.Equal(PrometheusRuntime.Container, PrometheusRuntimes.Choose(Configuration(("DOTNET_ASPIRE_CONTAINER_RUNTIME", FakeCli("exit 0"))), missing));
    }

    [Fact]
    public void A_runtime_that_is_set_is_taken_as_it_is()
    {
        var refusing = ("ASPIRE_CONTAINER_RUNTIME", FakeCli("exit 1"));

        Assert.Equal(PrometheusRuntime.Container, PrometheusRuntimes.Choose(Configuration(("Prometheus:Runtime", "container"), refusing), FakeCli("exit 0")));
        Assert.Equal(PrometheusRuntime.Executable, PrometheusRuntimes.Choose(Configuration(("Prometheus:Runtime", "executable"), refusing), Path.Combine(_folder, "prometheus")));
    }

    [Fact]
    public void Containers_reach_the_host_by_the_engines_name_for_it_unless_one_is_set()
    {
        Assert.Equal("host.docker.internal", PrometheusRuntimes.ContainerHostName(Configuration()));
        Assert.Equal("host.containers.internal", PrometheusRuntimes.ContainerHostName(Configuration(("ASPIRE_CONTAINER_RUNTIME", "podman"))));
        Assert.Equal("192.168.65.254", PrometheusRuntimes.ContainerHostName(Configuration(("ASPIRE_CONTAINER_RUNTIME", "podman"), ("Prometheus:ContainerHost", "192.168.65.254"))));
    }

    [Fact]
    public async Task The_container_reads_the_generated_configuration_from_a_folder_it_can_read_serves_on_9090_and_is_grafanas_datasource()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(["--Prometheus:Runtime=container"]);
        var prometheus = Assert.IsType<ContainerResource>(builder.Resources.Single(r => r.Name == "prometheus"), exactMatch: false);
        var mount = Assert.Single(prometheus.Annotations.OfType<ContainerMountAnnotation>());
        try
        {
            var image = Assert.Single(prometheus.Annotations.OfType<ContainerImageAnnotation>());
            Assert.Equal((PrometheusExtensions.Image, PrometheusExtensions.ImageTag), (image.Image, image.Tag));
            Assert.Equal((PrometheusExtensions.ContainerConfigFolder, true), (mount.Target, mount.IsReadOnly));
            Assert.Contains("files: ['/etc/prometheus/targets.json']", File.ReadAllText(Path.Combine(mount.Source!, "prometheus.yml")), StringComparison.Ordinal);
            Assert.Equal("[]", File.ReadAllText(Path.Combine(mount.Source!, "targets.json")));
            // The image runs as nobody.
            Assert.True(File.GetUnixFileMode(mount.Source!).HasFlag(UnixFileMode.OtherRead | UnixFileMode.OtherExecute));

            var endpoint = Assert.Single(prometheus.Annotations.OfType<EndpointAnnotation>());
            Assert.Equal(("http", 9090), (endpoint.Name, endpoint.TargetPort));
            Assert.Equal(["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"], await ArgumentsAsync(prometheus));

            // Grafana's datasource is the container's endpoint itself, which Aspire resolves on the containers' network
            // (the executable's is a host.docker.internal address).
            var grafana = builder.Resources.Single(r => r.Name == "grafana");
            var environment = await EnvironmentAsync(builder.ExecutionContext, grafana);
            var datasource = Assert.IsType<EndpointReference>(environment[GrafanaExtensions.PrometheusUrlVariable]);
            Assert.Equal(("prometheus", "http"), (datasource.Resource.Name, datasource.EndpointName));
        }
        finally
        {
            // Only a started run deletes its folder when it stops; this model was only built.
            Directory.Delete(mount.Source!, recursive: true);
        }
    }

    [Fact]
    public async Task A_wrong_runtime_stops_the_AppHost_before_it_starts_anything()
    {
        var error = await Record.ExceptionAsync(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(["--Prometheus:Runtime=podman"]));

        Assert.NotNull(error);
        Assert.Contains("Prometheus:Runtime is 'podman': use auto, executable or container.", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A shell script standing in for docker's CLI: it runs <paramref name="body"/> whatever its arguments.</summary>
    private string FakeCli(string body)
    {
        var path = Path.Combine(_folder, $"cli-{Guid.NewGuid():N}");
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static async Task<string[]> ArgumentsAsync(IResource resource)
    {
        var context = new CommandLineArgsCallbackContext([]);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return context.Args.Select(a => a.ToString()!).ToArray();
    }

    private static async Task<Dictionary<string, object>> EnvironmentAsync(DistributedApplicationExecutionContext executionContext, IResource resource)
    {
        var context = new EnvironmentCallbackContext(executionContext, resource, []);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return context.EnvironmentVariables;
    }
}
