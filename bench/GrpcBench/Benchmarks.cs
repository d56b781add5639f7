namespace AspireProber.GrpcBench;

/// <summary>
/// The three cases of the gRPC benchmark (bench/README.md). The servers of a case are started together, each proven to answer real
/// gRPC successes and warmed up, then loaded one at a time in rounds (A, B, C, A, B, C, ...): only one
/// server works at any moment, so none competes for the 2 cores, and a busy phase of the machine hits
/// every server alike instead of whichever happened to run then. Each case stops its servers at the end.
/// </summary>
internal sealed class Benchmarks(BenchSettings settings, byte[] unaryRequest, string unaryRequestFile, CancellationToken cancellationToken)
{
    /// <summary>Unary throughput under h2load, requests per second.</summary>
    public Task<IReadOnlyList<ThroughputMeasurement>> UnaryAsync(IReadOnlyList<ServerUnderTest> servers) =>
        InRoundsAsync("unary", servers, settings.Requests,
            server => UnaryCallCheck.RunAsync(server.Name, server.Port, unaryRequest, cancellationToken),
            server => H2Load.RunAsync(server.Port, unaryRequestFile, settings, cancellationToken));

    /// <summary>Server-streaming throughput to the grpc-go reader, messages per second (the reader checks every call).</summary>
    public Task<IReadOnlyList<ThroughputMeasurement>> StreamingAsync(IReadOnlyList<ServerUnderTest> servers, string streamClient) =>
        InRoundsAsync("streaming", servers, settings.StreamMessages,
            _ => Task.CompletedTask,
            server => StreamClient.RunAsync(streamClient, server.Port, settings, cancellationToken));

    /// <summary>
    /// Bytes allocated per unary call by a server hosted in this process: the process-wide allocation
    /// counter across an h2load run, divided by its calls (h2load is a separate process, and the bench
    /// itself only waits meanwhile). A last run with <see cref="AllocationSampler"/> splits them by type.
    /// </summary>
    public async Task<AllocationMeasurement> AllocationsAsync(string name, Func<WebApplication> createServer)
    {
        Progress($"allocations: {name}");
        await using var app = createServer();
        await app.StartAsync(cancellationToken);
        var port = InProcessServers.Port(app);
        await UnaryCallCheck.RunAsync(name, port, unaryRequest, cancellationToken);
        for (var i = 0; i < settings.WarmupRuns; i++)
        {
            await H2Load.RunAsync(port, unaryRequestFile, settings, cancellationToken);
        }
        var runs = new List<double>();
        for (var i = 0; i < settings.Repeats; i++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await H2Load.RunAsync(port, unaryRequestFile, settings, cancellationToken);
            runs.Add((double)(GC.GetTotalAllocatedBytes(precise: true) - before) / settings.Requests);
        }
        using var sampler = new AllocationSampler();
        await H2Load.RunAsync(port, unaryRequestFile, settings, cancellationToken);
        var topTypes = sampler.Top(12);
        await app.StopAsync(cancellationToken);
        return new AllocationMeasurement(new Measurement(name, runs), topTypes);
    }

    /// <summary>Progress goes to stderr, so stdout holds the report alone.</summary>
    public static void Progress(string step) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {step}");

    private sealed record Running(string Name, ServerProcess Process)
    {
        public int Port => Process.Port;
    }

    /// <summary>Start, check and warm up every server, then the measured rounds, each run with the server's CPU time per operation.</summary>
    private async Task<IReadOnlyList<ThroughputMeasurement>> InRoundsAsync(string kind, IReadOnlyList<ServerUnderTest> servers,
        int operationsPerRun, Func<Running, Task> check, Func<Running, Task<double>> run)
    {
        var running = new List<Running>();
        try
        {
            foreach (var server in servers)
            {
                Progress($"{kind}: starting and warming up {server.Name}");
                var started = new Running(server.Name, await server.StartAsync(cancellationToken));
                running.Add(started);
                await check(started);
                for (var i = 0; i < settings.WarmupRuns; i++)
                {
                    await run(started);
                }
            }
            var perSecond = servers.Select(_ => new List<double>()).ToArray();
            var cpuPerOperation = servers.Select(_ => new List<double>()).ToArray();
            for (var round = 1; round <= settings.Repeats; round++)
            {
                Progress($"{kind}: round {round} of {settings.Repeats}");
                for (var i = 0; i < running.Count; i++)
                {
                    var cpuBefore = running[i].Process.ProcessorTime;
                    perSecond[i].Add(await run(running[i]));
                    cpuPerOperation[i].Add((running[i].Process.ProcessorTime - cpuBefore).TotalMicroseconds / operationsPerRun);
                }
            }
            return running.Select((server, i) =>
                new ThroughputMeasurement(new Measurement(server.Name, perSecond[i]), new Measurement(server.Name, cpuPerOperation[i]))).ToList();
        }
        finally
        {
            foreach (var server in running)
            {
                await server.Process.DisposeAsync();
            }
        }
    }
}
