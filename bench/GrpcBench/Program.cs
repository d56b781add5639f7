using AspireProber.GrpcBench;
using static AspireProber.GrpcBench.Report;

// The gRPC benchmark (bench/README.md, GrpcBench):
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

    // [0] grpc-dotnet, [1] grpc-go, [2] raw Kestrel.
    ServerUnderTest[] servers = [ServerUnderTest.GrpcDotnet, grpcGo, ServerUnderTest.RawKestrel];
    var unary = await benchmarks.UnaryAsync(servers);
    var streaming = await benchmarks.StreamingAsync(servers, go.StreamClient);
    var grpcDotnetAllocations = await benchmarks.AllocationsAsync("grpc-dotnet (TestServiceImpl)", InProcessServers.CreateGrpcDotnet);
    var rawAllocations = await benchmarks.AllocationsAsync("raw Kestrel (echo)", InProcessServers.CreateRawKestrelEcho);

    var report = new Report(environment, settings);
    report.Header();
    report.Throughput($"Unary: {H2Load.Arguments(settings)}, UnaryCall with an {settings.UnaryPayloadSize}-byte payload", "requests/s",
        "call", unary);
    report.Throughput($"Server streaming: one StreamingOutputCall of {settings.StreamMessages} × {GrpcMessages.StreamResponseSize(settings)}-byte "
        + "responses to the grpc-go client", "messages/s", "message", streaming);
    report.Table("Allocated per unary call by the server, hosted in-process (GC.GetTotalAllocatedBytes)", "bytes/call",
        [grpcDotnetAllocations.BytesPerCall, rawAllocations.BytesPerCall]);
    var messageBytes = MessageAllocations.BytesPerCall(GrpcMessages.UnaryRequest(settings));
    report.Note($"  the messages themselves (parse SimpleRequest, build SimpleResponse as TestServiceImpl does): {messageBytes:0} bytes/call");
    report.AllocationsByType(grpcDotnetAllocations);
    report.AllocationsByType(rawAllocations);
    report.Goals(
    [
        // Published grpc_bench figures put grpc-dotnet at about 1.3× grpc-go for unary calls.
        Goal.AtLeast("unary: grpc-dotnet / grpc-go", unary[0].PerSecond.Median / unary[1].PerSecond.Median, 1.0),
        Goal.Info("unary: grpc-dotnet / raw Kestrel (ceiling)", unary[0].PerSecond.Median / unary[2].PerSecond.Median),
        Goal.Info("streaming: grpc-dotnet / grpc-go", streaming[0].PerSecond.Median / streaming[1].PerSecond.Median),
        Goal.Info("streaming: grpc-dotnet / raw Kestrel (ceiling)", streaming[0].PerSecond.Median / streaming[2].PerSecond.Median),
        Goal.Info("streaming: raw Kestrel / grpc-go", streaming[2].PerSecond.Median / streaming[1].PerSecond.Median),
        Goal.Info("allocated: grpc-dotnet − raw Kestrel − messages [B]",
            grpcDotnetAllocations.BytesPerCall.Median - rawAllocations.BytesPerCall.Median - messageBytes),
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
