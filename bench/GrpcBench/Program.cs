using AspireProber.GrpcBench;
using static AspireProber.GrpcBench.Report;

// The benchmark of issue #2 (bench/README.md):
//   dotnet run -c Release --project bench/GrpcBench
// It also runs itself as the raw-Kestrel server process (GrpcBench serve-raw-kestrel), started and
// stopped by the benchmark like every other server.
if (args is [ServerUnderTest.ServeRawKestrelCommand])
{
    await using var rawKestrel = InProcessServers.CreateRawKestrelEcho();
    await rawKestrel.StartAsync();
    Console.WriteLine($"LISTENING {InProcessServers.Port(rawKestrel)}");
    await rawKestrel.WaitForShutdownAsync();
    return 0;
}
if (args.Length > 0)
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/GrpcBench   (no arguments)");
    return 2;
}

using var stopSignals = new StopSignals();
var cancellationToken = stopSignals.Token;

try
{
    // Described first: the load average is of the machine before the bench adds its own.
    var environment = await RunEnvironment.DescribeAsync(cancellationToken);
    var settings = new BenchSettings();
    using var work = new WorkDirectory();
    Benchmarks.Progress("building the grpc-go echo server and streaming client");
    var go = await GoPrograms.BuildAsync(work, cancellationToken);
    var unaryRequest = GrpcMessages.Frame(GrpcMessages.UnaryRequest(settings));
    var unaryRequestFile = work.PathOf("unary-request.bin");
    await File.WriteAllBytesAsync(unaryRequestFile, unaryRequest, cancellationToken);
    var benchmarks = new Benchmarks(settings, unaryRequest, unaryRequestFile, cancellationToken);
    var grpcGo = ServerUnderTest.GrpcGo(go);

    // [0] platform/Grpc, [1] grpc-go, [2] raw Kestrel, [3] grpc-dotnet: the same TestServiceImpl on the real package.
    ServerUnderTest[] servers = [ServerUnderTest.Ours, grpcGo, ServerUnderTest.RawKestrel, ServerUnderTest.GrpcDotnet];
    var unary = await benchmarks.UnaryAsync(servers);
    var streaming = await benchmarks.StreamingAsync(servers, go.StreamClient);
    var ourAllocations = await benchmarks.AllocationsAsync("ours (TestServiceImpl)", InProcessServers.CreateOurs);
    var rawAllocations = await benchmarks.AllocationsAsync("raw Kestrel (echo)", InProcessServers.CreateRawKestrelEcho);

    var report = new Report(environment, settings);
    report.Header();
    report.Throughput($"Unary: {H2Load.Arguments(settings)}, UnaryCall with an {settings.UnaryPayloadSize}-byte payload", "requests/s",
        "call", unary);
    report.Throughput($"Server streaming: one StreamingOutputCall of {settings.StreamMessages} × {GrpcMessages.StreamResponseSize(settings)}-byte "
        + "responses to the grpc-go client", "messages/s", "message", streaming);
    report.Table("Allocated per unary call by the server, hosted in-process (GC.GetTotalAllocatedBytes)", "bytes/call",
        [ourAllocations.BytesPerCall, rawAllocations.BytesPerCall]);
    var messageBytes = MessageAllocations.BytesPerCall(GrpcMessages.UnaryRequest(settings));
    report.Note($"  the messages themselves (parse SimpleRequest, build SimpleResponse as TestServiceImpl does): {messageBytes:0} bytes/call");
    report.AllocationsByType(ourAllocations);
    report.AllocationsByType(rawAllocations);
    report.Goals(
    [
        Goal.AtLeast("unary: ours / grpc-go", unary[0].PerSecond.Median / unary[1].PerSecond.Median, 1.0),
        Goal.AtLeast("unary: ours / raw Kestrel", unary[0].PerSecond.Median / unary[2].PerSecond.Median, 0.8),
        Goal.AtLeast("streaming: ours / grpc-go", streaming[0].PerSecond.Median / streaming[1].PerSecond.Median, 1.0),
        Goal.Info("streaming: ours / raw Kestrel (ceiling)", streaming[0].PerSecond.Median / streaming[2].PerSecond.Median),
        Goal.Info("streaming: raw Kestrel / grpc-go", streaming[2].PerSecond.Median / streaming[1].PerSecond.Median),
        Goal.Info("unary: grpc-dotnet / grpc-go", unary[3].PerSecond.Median / unary[1].PerSecond.Median),
        Goal.Info("unary: grpc-dotnet / ours (platform/Grpc)", unary[3].PerSecond.Median / unary[0].PerSecond.Median),
        Goal.Info("streaming: grpc-dotnet / grpc-go", streaming[3].PerSecond.Median / streaming[1].PerSecond.Median),
        Goal.Below("allocated: ours − raw Kestrel − messages [B]",
            ourAllocations.BytesPerCall.Median - rawAllocations.BytesPerCall.Median - messageBytes, 1024),
    ]);
    Console.Write(report);
    return 0;
}
catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
{
    Console.Error.WriteLine("stopped; every server was shut down");
    return 130;
}
catch (Exception e)
{
    Console.Error.WriteLine($"benchmark failed: {e.Message}");
    return 1;
}
