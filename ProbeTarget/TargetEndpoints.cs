using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AspireProber.ProbeTarget;

/// <summary>The scripted endpoints: each answers one way, so every success and failure path of a probe can be exercised.</summary>
public static class TargetEndpoints
{
    /// <summary>Longest /slow delay: long enough for any demo, short enough that a typo cannot park a request for hours.</summary>
    public const int MaxDelayMs = 60_000;

    /// <summary>Largest /bytes body (10 MiB).</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    private const int ChunkSize = 16 * 1024;

    /// <summary>Maps /fast, /slow, /status/{code}, /flaky, /bytes, /hang and /redirect.</summary>
    public static IEndpointRouteBuilder MapTargetEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // HEAD too: probes may ask for headers only (Kestrel drops the body of a HEAD response).
        string[] getAndHead = [HttpMethods.Get, HttpMethods.Head];
        endpoints.MapMethods("/fast", getAndHead, () => Results.Text("fast\n"));
        endpoints.MapMethods("/slow", getAndHead, SlowAsync);
        endpoints.MapMethods("/status/{code}", getAndHead, (string code) => Status(code));
        endpoints.MapMethods("/flaky", getAndHead, Flaky);
        endpoints.MapMethods("/bytes", getAndHead, BytesAsync);
        endpoints.MapMethods("/hang", getAndHead, HangAsync);
        endpoints.MapMethods("/redirect", getAndHead, Redirect);
        return endpoints;
    }

    private static async Task<IResult> SlowAsync(HttpContext context, IHostApplicationLifetime lifetime)
    {
        if (!QueryParameters.TryGetInt(context.Request, "ms", 0, MaxDelayMs, 100, out var ms, out var error))
        {
            return error!;
        }
        // Stopping the app ends the wait too, so shutdown does not sit out a long delay.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        // Timers run on a coarse clock and may fire a little early; a target meant to measure against must wait at least ms.
        var started = Stopwatch.GetTimestamp();
        for (TimeSpan left; (left = TimeSpan.FromMilliseconds(ms) - Stopwatch.GetElapsedTime(started)) > TimeSpan.Zero;)
        {
            await Task.Delay(left.TotalMilliseconds < 1 ? TimeSpan.FromMilliseconds(1) : left, stop.Token);
        }
        return Results.Text($"slept {ms} ms\n");
    }

    private static IResult Status(string code)
    {
        // 1xx cannot be a final response, and Kestrel rejects codes outside 100-999.
        if (!int.TryParse(code, out var status) || status is < 200 or > 599)
        {
            return QueryParameters.BadRequest($"The status code must be a number from 200 to 599, e.g. /status/404; got '{code}'.");
        }
        return Results.Text($"status {status}\n", statusCode: status);
    }

    private static IResult Flaky(HttpContext context, FlakyDice dice)
    {
        if (!QueryParameters.TryGetFraction(context.Request, "failure_rate", 0.5, out var rate, out var error))
        {
            return error!;
        }
        return dice.Roll(rate)
            ? Results.Text("flaky: failed this time\n", statusCode: StatusCodes.Status500InternalServerError)
            : Results.Text("flaky: ok this time\n");
    }

    private static async Task BytesAsync(HttpContext context)
    {
        if (!QueryParameters.TryGetInt(context.Request, "size", 0, MaxBodyBytes, 1024, out var size, out var error))
        {
            await error!.ExecuteAsync(context);
            return;
        }
        var response = context.Response;
        response.ContentType = "application/octet-stream";
        response.ContentLength = size;
        var writer = response.BodyWriter;
        for (var left = size; left > 0;)
        {
            var chunk = (int)Math.Min(left, ChunkSize);
            writer.GetSpan(chunk)[..chunk].Fill((byte)'x');
            writer.Advance(chunk);
            left -= chunk;
            await writer.FlushAsync(context.RequestAborted);
        }
    }

    private static async Task HangAsync(HttpContext context, TargetActivity activity, IHostApplicationLifetime lifetime)
    {
        activity.HangStarted();
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // The client left (or the app is stopping): there is nobody to answer.
        }
        finally
        {
            activity.HangEnded();
        }
    }

    private static IResult Redirect(HttpContext context)
    {
        var to = context.Request.Query["to"].ToString();
        var valid = to.StartsWith('/') && !to.StartsWith("//", StringComparison.Ordinal)
            || Uri.TryCreate(to, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
        if (!valid)
        {
            return QueryParameters.BadRequest($"'to' must be a path starting with / or an absolute http(s) URL, e.g. /redirect?to=/fast; got '{to}'.");
        }
        if (!QueryParameters.TryGetInt(context.Request, "code", 300, 399, 302, out var code, out var error) || code is not (301 or 302 or 303 or 307 or 308))
        {
            return error ?? QueryParameters.BadRequest($"'code' must be one of 301, 302, 303, 307, 308; got '{code}'.");
        }
        context.Response.Headers.Location = to;
        return Results.StatusCode((int)code);
    }
}
