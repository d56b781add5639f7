using System.Text.Json;
using AspireProber.StockStreamService.Tests.Infrastructure;
using AspireProber.Tests.Shared;
using Xunit.Abstractions;

namespace AspireProber.StockStreamService.Tests;

/// <summary>
/// A consumer that is not grpc-dotnet — grpc-js (Tests/Interop.Peers/slow_stock_consumer.js) — stops reading: the
/// server's writes stall within what the HTTP/2 windows hold, then it drains in order when the consumer reads again.
/// </summary>
public sealed class ForeignConsumerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Grpc_js_reads_health_and_reflection_of_the_stock_service()
    {
        await using var server = await StockTestServer.StartAsync("Grpc:Reflection=true");

        var (exitCode, peerOutput) = await NodePeers.RunAsync("health_reflection.js",
            "--server_host=127.0.0.1", $"--server_port={server.Address.Port}", "--expect_services=stock.v1.StockService,grpc.health.v1.Health");

        Assert.True(exitCode == 0, $"grpc-js health/reflection check exited {exitCode}:\n{peerOutput}");
    }

    [Fact]
    public async Task A_stalled_grpc_js_consumer_stalls_the_server_within_the_windows_and_then_gets_every_update_in_order()
    {
        await using var server = await StockTestServer.StartAsync("Stock:UpdatesPerSecond=3000", "Stock:Capacity=100000");
        int messageSize;
        using (var sizing = server.Client.GetUpdates(new AspireProber.Stock.V1.GetUpdatesRequest { Consumer = "sizing" }))
        {
            messageSize = (await sizing.ResponseStream.ReadAsync(1))[0].CalculateSize() + 5;
        }
        using var node = NodePeers.Start("slow_stock_consumer.js",
            "--server_host=127.0.0.1", $"--server_port={server.Address.Port}", "--consumer=jsslow", "--first=20", "--then=300");
        try
        {
            var stderr = node.StandardError.ReadToEndAsync();
            Assert.Equal("stalled after 20", await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));

            // Not reading: the server writes until grpc-js' windows are full, then its write waits.
            var stalledSent = await Backpressure.WaitForStallAsync(server, "jsslow");
            var lagAtStall = server.Meters.Lag("jsslow")!.Value;
            await Task.Delay(500);
            Assert.Equal(stalledSent, server.Meters.Sent("jsslow"));
            Assert.True(server.Meters.Lag("jsslow") > lagAtStall, "the lag should grow while the consumer does not read");
            // Node's HTTP/2 stream and connection windows are 64 KiB each, plus what grpc-js had already parsed.
            var inFlight = stalledSent - 20;
            output.WriteLine($"sent {stalledSent} while the consumer had read 20: {inFlight} in flight (bound {Backpressure.InFlightBound(messageSize)} of {messageSize} B)");
            Assert.InRange(inFlight, 1, Backpressure.InFlightBound(messageSize));

            await node.StandardInput.WriteLineAsync("resume");
            await node.StandardInput.FlushAsync();
            var result = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(node.ExitCode == 0, $"slow_stock_consumer.js exited {node.ExitCode}: {await stderr}");

            var sequences = JsonDocument.Parse(result!).RootElement.GetProperty("sequences").EnumerateArray().Select(s => ulong.Parse(s.GetString()!)).ToList();
            Assert.Equal(320, sequences.Count);
            Assert.Equal(Enumerable.Range(0, 320).Select(i => sequences[0] + (ulong)i), sequences);
        }
        finally
        {
            NodePeers.KillIfRunning(node);
        }
    }
}
