using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace AspireProber.AppHost.Tests;

/// <summary><c>AspireProber.AppHost publish --output &lt;dir&gt;</c>: the real model as a docker-compose.yaml, nothing started.</summary>
public sealed class AppHostPublishTests : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private readonly string _output = Directory.CreateTempSubdirectory("apphost-publish-").FullName;

    [Fact]
    public async Task Publish_writes_every_replica_as_a_service_wired_by_compose_names_and_starts_nothing()
    {
        var (exitCode, output) = await RunAppHostAsync("publish", "--output", _output);

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("started: pid", output);
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(_output, "docker-compose.yaml")))
        {
            yaml.Load(reader);
        }
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents.Single().RootNode).Children["services"];
        Assert.Equal(
            new[] { "aspire-dashboard", "prober-0", "prober-1", "prober-2", "probetarget", "runner", "stock" },
            services.Children.Keys.Select(k => k.ToString()).Order());

        var runner = (YamlMappingNode)services.Children["runner"];
        Assert.Equal("aspireprober-runner:latest", runner.Children["image"].ToString());
        var env = ((YamlMappingNode)runner.Children["environment"]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString());
        for (var i = 0; i < 3; i++)
        {
            // The prober's first endpoint (grpc) listens on 8080 in its container.
            Assert.Equal($"http://prober-{i}:8080", env[$"services__prober__grpc__{i}"]);
        }
        Assert.DoesNotContain("services__prober__grpc__3", env.Keys);
        Assert.Equal("http://stock:8080", env["services__stock__grpc__0"]);
        Assert.Equal("http://probetarget:8080", env["services__probetarget__http__0"]);
        Assert.Equal("http://aspire-dashboard:18889", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var dependsOn = (YamlMappingNode)runner.Children["depends_on"];
        Assert.Equal(new[] { "prober-0", "prober-1", "prober-2", "probetarget", "stock" }, dependsOn.Children.Keys.Select(k => k.ToString()).Order());
        Assert.All(dependsOn.Children.Values, d => Assert.Equal("service_healthy", ((YamlMappingNode)d).Children["condition"].ToString()));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);

    /// <summary>Runs the built AppHost to its exit (killed, with anything it started, if it outlives the limit).</summary>
    private static async Task<(int ExitCode, string Output)> RunAppHostAsync(params string[] args)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppHostProcess.Dll)!,
        };
        foreach (var arg in (string[])[AppHostProcess.Dll, .. args])
        {
            startInfo.ArgumentList.Add(arg);
        }
        using var process = Process.Start(startInfo)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(s_limit);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
