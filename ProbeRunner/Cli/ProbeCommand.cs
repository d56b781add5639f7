using System.CommandLine;
using System.CommandLine.Parsing;
using AspireProber.Prober.V1;
using Grpc.Core;
using AspireProber.ServiceDefaults;
using Spectre.Console;

namespace AspireProber.ProbeRunner.Cli;

/// <summary>
/// <c>probe &lt;endpoint&gt; --repetitions N [--prober &lt;url&gt; ...] [--timeout 1s]</c>: probes through every prober
/// replica at once with a progress display, then prints each replica's statistics. Exit codes: 0 every replica answered,
/// 1 a replica failed, 2 bad arguments.
/// </summary>
public static class ProbeCommand
{
    /// <summary>The verb that selects the CLI.</summary>
    public const string Name = "probe";

    /// <summary>Exit code when every replica answered.</summary>
    public const int Ok = 0;

    /// <summary>Exit code when at least one replica's call failed.</summary>
    public const int ReplicaFailed = 1;

    /// <summary>Exit code for arguments that cannot be used.</summary>
    public const int BadArguments = 2;

    /// <summary>Parses <paramref name="args"/> (starting with <c>probe</c>) and runs the probe, writing to the given writers.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The absolute http:// or https:// URL to probe, e.g. http://127.0.0.1:5200/fast." };
        endpoint.Validators.Add(result => RequireHttpUrl(result, "endpoint", result.GetValueOrDefault<string>()));

        var repetitions = new Option<int>("--repetitions", "-n") { Description = "Attempts each replica makes.", DefaultValueFactory = _ => 10 };
        repetitions.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"--repetitions must be at least 1, got {result.GetValueOrDefault<int>()}.");
            }
        });

        var probers = new Option<string[]>("--prober")
        {
            Description = "A prober replica's gRPC address; repeat for several. Default: services__prober__grpc__* from the environment.",
        };
        probers.Validators.Add(result =>
        {
            foreach (var address in result.GetValueOrDefault<string[]>() ?? [])
            {
                RequireHttpUrl(result, "--prober", address);
            }
        });

        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "Deadline of each replica's call, e.g. 500ms, 1s, 2m.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
            CustomParser = ParseTimeout,
        };

        var probe = new Command(Name, "Probe an endpoint through every prober replica at once and print each replica's statistics.")
        {
            endpoint, repetitions, probers, timeout,
        };
        var root = new RootCommand("AspireProber runner. Without a command it runs the probe worker, the stock consumers and the runner.v1.Runner service.")
        {
            probe,
        };

        probe.SetAction(async (parsed, ct) =>
        {
            // The same service discovery and per-replica channels the runner's fan-out uses.
            await using var services = new ServiceCollection()
                .AddSingleton(configuration)
                .AddLogging()
                .AddServiceDiscovery()
                .AddSingleton<ReplicaChannels>()
                .BuildServiceProvider();
            var channels = services.GetRequiredService<ReplicaChannels>();
            var addresses = parsed.GetValue(probers) is { Length: > 0 } given
                ? given.Select(a => new Uri(a)).ToArray()
                : await ConfiguredProbersAsync(channels, error, ct);
            if (addresses is null)
            {
                return BadArguments;
            }
            var request = new ProbeRequest { Endpoint = parsed.GetRequiredValue(endpoint), Repetitions = parsed.GetValue(repetitions) };
            return await RunAsync(request, addresses, channels, parsed.GetValue(timeout), output, ct);
        });

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }
            await error.WriteLineAsync($"Usage: {Name} <endpoint> --repetitions N [--prober <url> ...] [--timeout 1s]  (see '{Name} --help')");
            return BadArguments;
        }
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static async Task<int> RunAsync(ProbeRequest request, IReadOnlyList<Uri> addresses, ReplicaChannels channels, TimeSpan timeout,
        TextWriter output, CancellationToken cancellationToken)
    {
        var console = ProbeReport.CreateConsole(output);
        console.MarkupLineInterpolated($"Probing [bold]{request.Endpoint}[/] {request.Repetitions} times through {addresses.Count} prober replicas (deadline {timeout.TotalSeconds:0.###} s)");

        var deadline = DateTime.UtcNow + timeout;
        var results = await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(progress => Task.WhenAll(addresses.Select(address =>
                StreamAttemptsAsync(address, new Prober.V1.Prober.ProberClient(channels.Get(ProbeFanOut.ProberServiceName, address)), request, deadline, progress, cancellationToken))));

        ProbeReport.Write(console, results);
        return results.All(r => r.Attempts is not null) ? Ok : ReplicaFailed;
    }

    // ProbeStream rather than Probe, so the display moves with each attempt; a replica's row appears with its first
    // attempt, named by the instance it reports.
    private static async Task<ReplicaAttempts> StreamAttemptsAsync(Uri address, Prober.V1.Prober.ProberClient client, ProbeRequest request,
        DateTime deadline, ProgressContext progress, CancellationToken cancellationToken)
    {
        var attempts = new List<ProbeAttempt>(request.Repetitions);
        ProgressTask? row = null;
        try
        {
            using var call = client.ProbeStream(request, deadline: deadline, cancellationToken: cancellationToken);
            await foreach (var attempt in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                attempts.Add(attempt);
                row ??= progress.AddTask(Markup.Escape(attempt.Replica.Length > 0 ? attempt.Replica : "replica"), maxValue: request.Repetitions);
                row.Increment(1);
            }
            return new ReplicaAttempts(address, attempts, Grpc.Core.Status.DefaultSuccess);
        }
        catch (RpcException ex)
        {
            return new ReplicaAttempts(address, null, ex.Status);
        }
        finally
        {
            row?.StopTask();
        }
    }

    private static async Task<IReadOnlyList<Uri>?> ConfiguredProbersAsync(ReplicaChannels channels, TextWriter error, CancellationToken cancellationToken)
    {
        if (channels.IsConfigured(ProbeFanOut.ProberServiceName))
        {
            var configured = await channels.GetReplicaAddressesAsync(ProbeFanOut.ProberServiceName, cancellationToken);
            if (configured.Count > 0)
            {
                return configured;
            }
        }
        await error.WriteLineAsync($"No prober replica to probe through: pass --prober <url> (e.g. --prober http://127.0.0.1:5101) or set services__{ProbeFanOut.ProberServiceName}__grpc__0.");
        return null;
    }

    private static void RequireHttpUrl(SymbolResult result, string name, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            result.AddError($"{name} '{value}' is not an absolute http:// or https:// URL; write it like http://127.0.0.1:5200/fast.");
        }
    }

    private static TimeSpan ParseTimeout(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DurationParser.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }
        result.AddError($"--timeout '{text}' is not a positive duration; write it like 500ms, 1s or 2m.");
        return default;
    }
}
