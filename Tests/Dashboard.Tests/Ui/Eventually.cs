namespace AspireProber.Dashboard.Tests;

/// <summary>Waits for a condition that background work makes true, failing with a message after a timeout.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }
            await Task.Delay(20);
        }
    }
}
