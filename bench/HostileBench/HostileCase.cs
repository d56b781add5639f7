namespace AspireProber.HostileBench;

/// <summary>One case of the hostile session: what it calls, how many calls a round makes, and the calls themselves.</summary>
/// <param name="Service">The service called: prober, stock or runner.</param>
/// <param name="Name">What the case sends, as the report names it.</param>
/// <param name="Calls">How many calls one round makes, each counted in the case's <see cref="Outcomes"/>.</param>
/// <param name="RunAsync">Makes one round's calls, counting each one's outcome.</param>
internal sealed record HostileCase(string Service, string Name, int Calls, Func<Outcomes, CancellationToken, Task> RunAsync);
