using System.Diagnostics;

namespace AspireProber.DashboardBench;

/// <summary>Times full page loads over HTTP (request to last byte of the rendered HTML), one request at a time.</summary>
internal sealed class PageTimings(Uri ui) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = ui };

    /// <summary>The median and slowest of <paramref name="samples"/> loads of <paramref name="path"/> after two unmeasured ones, with the page's size.</summary>
    public async Task<(double MedianMs, double MaxMs, int Bytes)> MeasureAsync(string path, int samples)
    {
        var bytes = 0;
        for (var i = 0; i < 2; i++)
        {
            bytes = (await LoadAsync(path)).Length;
        }
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await LoadAsync(path);
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[^1], bytes);
    }

    private async Task<byte[]> LoadAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        // A page that fails to render must not be timed as a fast one.
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    public void Dispose() => _http.Dispose();
}
