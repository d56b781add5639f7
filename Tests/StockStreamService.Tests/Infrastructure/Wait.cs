namespace AspireProber.StockStreamService.Tests.Infrastructure;

/// <summary>Waiting in tests with a limit, so a broken server fails a test instead of hanging it.</summary>
public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="seconds"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {seconds} s waiting until {what}.");
            }
            await Task.Delay(20);
        }
    }

    public static Task<T> Within<T>(this Task<T> task, double seconds = 10) => task.WaitAsync(TimeSpan.FromSeconds(seconds));

    public static Task Within(this Task task, double seconds = 10) => task.WaitAsync(TimeSpan.FromSeconds(seconds));
}
