namespace AspireProber.StockStreamService.Tests.Infrastructure;

/// <summary>What flow control lets a server write ahead of a consumer that stopped reading.</summary>
public static class Backpressure
{
    /// <summary>HTTP/2's default initial stream window (RFC 9113 §6.9.2), which HttpClient starts with.</summary>
    public const int StreamWindow = 65_535;

    /// <summary>
    /// The most updates of <paramref name="messageSize"/> bytes that may sit between the server's counter and the
    /// consumer: the client's stream window plus Kestrel's response buffer (64 KB by default) and the one pending
    /// write, with room for the window growing once — three windows' worth.
    /// </summary>
    public static long InFlightBound(int messageSize) => 3L * StreamWindow / messageSize;

    /// <summary>
    /// Waits until the server's sent counter for <paramref name="consumer"/> stops moving for half a second while the
    /// stream is behind the log's head (lag &gt; 0): the writer waits for the consumer, not for the next update. A
    /// loaded machine can leave the generator itself idle for half a second, with the writer caught up.
    /// </summary>
    public static async Task<long> WaitForStallAsync(StockTestServer server, string consumer, double seconds = 10)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        var sent = server.Meters.Sent(consumer);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            var now = server.Meters.Sent(consumer);
            if (now == sent && now > 0 && server.Meters.Lag(consumer) > 0)
            {
                return now;
            }
            sent = now;
        }
        Assert.Fail($"The sent counter of '{consumer}' never stalled (at {sent} after {seconds} s): nothing holds the writer back.");
        return 0;
    }
}
