namespace AspireProber.HostileBench;

/// <summary>Progress lines on stderr, so that stdout holds the report alone.</summary>
internal static class Progress
{
    /// <summary>Writes <paramref name="message"/> with the time of day.</summary>
    public static void Say(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
