namespace AspireProber.ProbeTarget;

/// <summary>The random source of /flaky, seeded once so a run's failure pattern can be reproduced (ProbeTarget:Seed).</summary>
public sealed class FlakyDice(int seed)
{
    /// <summary>The seed used when ProbeTarget:Seed is not configured.</summary>
    public const int DefaultSeed = 42;

    private readonly Random _random = new(seed);

    /// <summary>True with probability <paramref name="rate"/>.</summary>
    public bool Roll(double rate)
    {
        // Random is not thread-safe, and Random.Shared cannot be seeded.
        lock (_random)
        {
            return _random.NextDouble() < rate;
        }
    }
}
