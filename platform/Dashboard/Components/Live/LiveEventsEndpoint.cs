using System.Text;
using Microsoft.AspNetCore.Http;

namespace AspireProber.Dashboard.Components.Live;

/// <summary>
/// <c>GET /ui/events</c>: a Server-Sent Events stream of <see cref="LiveUpdates"/> topics, one <c>data:</c> line each.
/// A comment line every 15 s keeps proxies and idle-connection timers from closing a quiet stream. The stream ends
/// when the dashboard stops, so an open browser tab does not hold up shutdown (the browser reconnects to the next run).
/// </summary>
internal static class LiveEventsEndpoint
{
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext context, LiveUpdates updates, IHostApplicationLifetime lifetime)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var aborted = ended.Token;
        await using var topics = updates.SubscribeAsync(aborted).GetAsyncEnumerator(aborted);
        // The first MoveNextAsync subscribes; only then is the browser told the stream is open. It refetches every live
        // element on "open", so nothing published after that refetch's rendering can be missed.
        var next = topics.MoveNextAsync().AsTask();
        await response.WriteAsync(": connected\n\n", aborted);
        await response.Body.FlushAsync(aborted);
        // One timer per keep-alive period, not one per topic sent.
        var keepAlive = Task.Delay(KeepAliveInterval, aborted);
        try
        {
            while (true)
            {
                if (await Task.WhenAny(next, keepAlive) == next)
                {
                    if (!await next)
                    {
                        return;
                    }
                    await response.WriteAsync("data: " + topics.Current + "\n\n", Encoding.UTF8, aborted);
                    next = topics.MoveNextAsync().AsTask();
                }
                else
                {
                    await keepAlive;
                    await response.WriteAsync(": keep-alive\n\n", aborted);
                    keepAlive = Task.Delay(KeepAliveInterval, aborted);
                }
                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The browser left or the dashboard is stopping; nothing to report.
        }
        finally
        {
            // The enumerator's DisposeAsync may not run while MoveNextAsync is pending; observe it first.
            await next.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
