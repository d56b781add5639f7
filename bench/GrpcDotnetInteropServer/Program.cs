using AspireProber.InteropServer;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The interop server of grpc/grpc doc/interop-test-descriptions.md:
//   dotnet run -c Release --project bench/GrpcDotnetInteropServer -- --port=<p>
// --port=0 picks a free port. Once bound it prints "LISTENING <port>" (the test harness waits for it).
var flags = InteropFlags.Parse(args, allowed: ["port", "use_tls"]);
var port = flags.GetInt("port", 0);
if (flags.GetBool("use_tls", false))
{
    Console.Error.WriteLine("--use_tls=true is not supported: this interop server speaks h2c (cleartext HTTP/2) only.");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(System.Net.IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
    // Interop cases send messages up to ~271 KB per stream; the defaults are plenty, but benchmarks open many streams.
    kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
});
builder.Services.AddGrpc();
builder.Services.AddGrpcReflection();
builder.Services.AddGrpcHealthChecks();

var app = builder.Build();
app.MapGrpcService<TestServiceImpl>();
app.MapGrpcHealthChecksService();
app.MapGrpcReflectionService();
await app.StartAsync();

var address = new Uri(app.Urls.Single());
Console.WriteLine($"LISTENING {address.Port}");
await app.WaitForShutdownAsync();
return 0;
