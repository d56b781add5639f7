using System.Text;
using Microsoft.AspNetCore.Http;

namespace AspireProber.Dashboard.Components.Live;

/// <summary>
/// <c>GET /ui/events</c>: a Server-Sent Events stream of <see cref="LiveUpdates"/> topics, one <c>data:</c> line each.
/// A comment line every 15 s keeps proxies and idle-connection timers from closing a quiet stream.
/// </summary>
internal static class LiveEventsEndpoint
{
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext context, LiveUpdates updates)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Tells the browser the stream is open (it refetches everything on "open", covering changes missed while away).
        await response.WriteAsync(": connected\n\n", context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);

        var aborted = context.RequestAborted;
        await using var topics = updates.SubscribeAsync(aborted).GetAsyncEnumerator(aborted);
        var next = topics.MoveNextAsync().AsTask();
        try
        {
            while (true)
            {
                var finished = await Task.WhenAny(next, Task.Delay(KeepAliveInterval, aborted));
                if (finished != next)
                {
                    await response.WriteAsync(": keep-alive\n\n", aborted);
                }
                else if (await next)
                {
                    await response.WriteAsync("data: " + topics.Current + "\n\n", Encoding.UTF8, aborted);
                    next = topics.MoveNextAsync().AsTask();
                }
                else
                {
                    return;
                }
                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The browser left; nothing to report.
        }
        finally
        {
            // The enumerator's DisposeAsync may not run while MoveNextAsync is pending; observe it first.
            await next.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
