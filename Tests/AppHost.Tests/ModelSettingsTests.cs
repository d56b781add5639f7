using System.Diagnostics;
using System.Runtime.Versioning;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// How the AppHost's model follows its settings and what this machine has: Prometheus' runtime (Prometheus:Runtime),
/// Grafana only where a container engine answers, the runner's targets, and a wrong setting refused before anything
/// starts. Stand-in container CLIs play an engine that answers, refuses or hangs; no engine runs here, so containers
/// are built into the model, never started. The stand-ins are shell scripts, hence Unix only.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ModelSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("model-settings-tests-").FullName;

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
        Assert.True(ContainerEngine.Answers(FakeCli("exit 0"), ContainerEngine.Timeout));
        Assert.False(ContainerEngine.Answers(FakeCli("echo 'Cannot connect to the Docker daemon' >&2; exit 1"), ContainerEngine.Timeout));
        Assert.False(ContainerEngine.Answers(Path.Combine(_folder, "no-such-cli"), ContainerEngine.Timeout));
    }

    [Fact]
    public void An_engine_that_does_not_answer_in_time_does_not_answer_and_its_cli_is_ended()
    {
        var pidFile = Path.Combine(_folder, "cli.pid");
        var cli = FakeCli($"echo $$ > '{pidFile}'; exec sleep 60");

        var clock = Stopwatch.StartNew();
        Assert.False(ContainerEngine.Answers(cli, TimeSpan.FromSeconds(1)));

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
        var answering = ("ASPIRE_CONTAINER_RUNTIME", FakeCli("exit 0"));
        var refusing = ("ASPIRE_CONTAINER_RUNTIME", FakeCli("exit 1"));

        Assert.Equal(PrometheusRuntime.Container, PrometheusRuntimes.Choose(Configuration(("Prometheus:Runtime", "container"), answering), FakeCli("exit 0")));
        Assert.Equal(PrometheusRuntime.Executable, PrometheusRuntimes.Choose(Configuration(("Prometheus:Runtime", "executable"), refusing), Path.Combine(_folder, "prometheus")));
    }

    [Fact]
    public void The_container_asked_for_with_no_engine_answering_is_refused_with_what_to_do()
    {
        // Aspire's start would wait for the container to be created, without end.
        var error = Assert.Throws<ArgumentException>(() =>
            PrometheusRuntimes.Choose(Configuration(("Prometheus:Runtime", "container"), ("ASPIRE_CONTAINER_RUNTIME", FakeCli("exit 1"))), FakeCli("exit 0")));

        Assert.StartsWith("Prometheus:Runtime is 'container', but no container engine answers", error.Message, StringComparison.Ordinal);
        Assert.Contains("start Docker or Podman, or use auto or executable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_executable_given_as_a_path_must_exist_and_one_given_as_a_name_is_looked_up_when_prometheus_starts()
    {
        var missingPath = Path.Combine(_folder, "bin", "prometheus");

        var error = Assert.Throws<ArgumentException>(() => PrometheusRuntimes.Executable(Configuration(("Prometheus:Executable", missingPath))));
        Assert.StartsWith($"Prometheus:Executable is '{missingPath}': name the prometheus program", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PrometheusRuntimes.Executable(Configuration(("Prometheus:Executable", " "))));

        Assert.Equal("prometheus", PrometheusRuntimes.Executable(Configuration()));
        Assert.Equal("prometheus-not-installed", PrometheusRuntimes.Executable(Configuration(("Prometheus:Executable", "prometheus-not-installed"))));
        var installed = FakeCli("exit 0");
        Assert.Equal(installed, PrometheusRuntimes.Executable(Configuration(("Prometheus:Executable", installed))));
    }

    [Theory]
    [InlineData("host docker internal")]
    [InlineData("http://host.docker.internal")]
    public void A_container_host_that_is_no_host_name_is_refused(string host)
    {
        var error = Assert.Throws<ArgumentException>(() => PrometheusRuntimes.ContainerHostName(Configuration(("Prometheus:ContainerHost", host))));

        Assert.StartsWith($"Prometheus:ContainerHost is '{host}': give the host name or IP address", error.Message, StringComparison.Ordinal);
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
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(
            ["--Prometheus:Runtime=container", $"--ASPIRE_CONTAINER_RUNTIME={FakeCli("exit 0")}"]);
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

    [Fact]
    public Task Grafana_joins_the_local_run_only_when_a_container_engine_answers() => DeletingNewPrometheusFoldersAsync(async () =>
    {
        // Aspire's start waits for every container to be created: without an engine, a Grafana in the model would hold
        // it for good. Prometheus is named as executable, so only Grafana asks the engine.
        await using var withEngine = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(
            ["--Prometheus:Runtime=executable", $"--ASPIRE_CONTAINER_RUNTIME={FakeCli("exit 0")}"]);
        await using var withoutEngine = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(
            ["--Prometheus:Runtime=executable", $"--ASPIRE_CONTAINER_RUNTIME={FakeCli("exit 1")}"]);

        Assert.Contains(withEngine.Resources, r => r is ContainerResource { Name: "grafana" });
        Assert.DoesNotContain(withoutEngine.Resources, r => r.Name == "grafana");
        Assert.Equal(withEngine.Resources.Count - 1, withoutEngine.Resources.Count);
    });

    [Fact]
    public Task The_runner_probes_the_AppHosts_targets_and_an_empty_entry_drops_one() => DeletingNewPrometheusFoldersAsync(async () =>
    {
        await using var defaults = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(["--Prometheus:Runtime=executable"]);
        await using var given = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(
            ["--Prometheus:Runtime=executable", "--Runner:Targets:0=https://example.test/health", "--Runner:Targets:1="]);

        Assert.Equal(["/fast", "/slow?ms=50"], await TargetsAsync(defaults));
        Assert.Equal(["https://example.test/health"], await TargetsAsync(given));

        static async Task<string[]> TargetsAsync(IDistributedApplicationTestingBuilder builder)
        {
            var runner = builder.Resources.Single(r => r.Name == "runner");
            var environment = await EnvironmentAsync(builder.ExecutionContext, runner, skipThoseNeedingTheApp: true);
            return [.. environment.Where(e => e.Key.StartsWith("Runner__Targets__", StringComparison.Ordinal)).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value.ToString()!)];
        }
    });

    [Fact]
    public Task The_probers_api_key_is_a_secret_parameter_given_to_every_replica_and_the_runner_only_when_set() => DeletingNewPrometheusFoldersAsync(async () =>
    {
        await using var withKey = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(
            ["--Prometheus:Runtime=executable", "--Parameters:prober-api-key=s3cret"]);
        await using var withoutKey = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(["--Prometheus:Runtime=executable"]);

        var key = Assert.Single(withKey.Resources.OfType<ParameterResource>(), p => p.Name == "prober-api-key");
        Assert.True(key.Secret);
        var prober = await EnvironmentAsync(withKey.ExecutionContext, withKey.Resources.Single(r => r.Name == "prober"), skipThoseNeedingTheApp: true);
        var runner = await EnvironmentAsync(withKey.ExecutionContext, withKey.Resources.Single(r => r.Name == "runner"), skipThoseNeedingTheApp: true);
        Assert.Same(key, prober["Prober__ApiKey"]);
        Assert.Same(key, runner["Runner__ProberApiKey"]);

        Assert.DoesNotContain(withoutKey.Resources, r => r.Name == "prober-api-key");
        var open = await EnvironmentAsync(withoutKey.ExecutionContext, withoutKey.Resources.Single(r => r.Name == "prober"), skipThoseNeedingTheApp: true);
        Assert.DoesNotContain("Prober__ApiKey", open.Keys);
    });

    [Theory]
    [InlineData("--Prometheus:Executable=/no/such/prometheus", "Prometheus:Executable is '/no/such/prometheus'")]
    [InlineData("--Prometheus:ContainerHost=not a host", "Prometheus:ContainerHost is 'not a host'")]
    [InlineData("--Runner:Targets:0=ftp://example.test/", "Runner:Targets:0 is 'ftp://example.test/'")]
    [InlineData("--Runner:Targets:1=slow?ms=50", "Runner:Targets:1 is 'slow?ms=50'")]
    [InlineData("--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=localhost:0", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL is 'localhost:0'")]
    [InlineData("--ASPNETCORE_URLS=http://localhost:0;ftp://localhost:0", "ASPNETCORE_URLS is 'http://localhost:0;ftp://localhost:0'")]
    public async Task A_wrong_setting_stops_the_AppHost_before_it_starts_anything_naming_it(string argument, string message)
    {
        await DeletingNewPrometheusFoldersAsync(async () =>
        {
            // ContainerHost is only read where a container reaches the host: Prometheus as a container.
            var error = await Record.ExceptionAsync(() => DistributedApplicationTestingBuilder.CreateAsync<Projects.AspireProber_AppHost>(
                [argument, "--Prometheus:Runtime=container", $"--ASPIRE_CONTAINER_RUNTIME={FakeCli("exit 0")}"]));

            Assert.NotNull(error);
            Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Runs <paramref name="test"/>, then deletes the Prometheus folders it left: building a model makes the run's folder
    /// (AddPrometheus), and only a started run deletes its own. The tests of this assembly run one at a time, so the
    /// folders of this process that are new are the test's.
    /// </summary>
    private static async Task DeletingNewPrometheusFoldersAsync(Func<Task> test)
    {
        var before = PrometheusFoldersOfThisProcess();
        try
        {
            await test();
        }
        finally
        {
            foreach (var folder in PrometheusFoldersOfThisProcess().Except(before))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string[] PrometheusFoldersOfThisProcess() =>
        Directory.GetDirectories(Path.GetTempPath(), $"{PrometheusExtensions.FolderPrefix}{Environment.ProcessId}-*");

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

    /// <summary>
    /// The environment <paramref name="resource"/>'s callbacks give it; with <paramref name="skipThoseNeedingTheApp"/>,
    /// without the callbacks that read the started app (the replica addresses of ReplicaEndpoints), which a model that
    /// is only built cannot answer.
    /// </summary>
    private static async Task<Dictionary<string, object>> EnvironmentAsync(DistributedApplicationExecutionContext executionContext, IResource resource,
        bool skipThoseNeedingTheApp = false)
    {
        var context = new EnvironmentCallbackContext(executionContext, resource, []);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            try
            {
                await callback.Callback(context);
            }
            catch (InvalidOperationException) when (skipThoseNeedingTheApp)
            {
                // "IServiceProvider is not available because the container has not yet been built."
            }
        }
        return context.EnvironmentVariables;
    }
}
