using System.Diagnostics;

namespace AspireProber.HostileBench;

/// <summary>
/// The hostile client: every case of the prober (on one replica), the stock service and the runner, called from
/// <see cref="HostileCaller.Address"/>, one case after another; each call has a deadline and each case a fixed count.
/// </summary>
internal sealed class HostileSession : IDisposable
{
    private readonly HostileCaller _caller = new();
    private readonly List<(HostileCase Case, Outcomes Outcomes)> _cases;

    /// <summary>The session against the replicas at these gRPC addresses, probing <paramref name="probeTarget"/> (its http address).</summary>
    public HostileSession(Uri proberGrpc, Uri stockGrpc, Uri runnerGrpc, Uri probeTarget)
    {
        IEnumerable<HostileCase> cases =
        [
            .. new ProberCases(new Prober.V1.Prober.ProberClient(_caller.ChannelTo(proberGrpc)), probeTarget).Cases(),
            .. new StockCases(new Stock.V1.StockService.StockServiceClient(_caller.ChannelTo(stockGrpc))).Cases(),
            .. new RunnerCases(new Runner.V1.Runner.RunnerClient(_caller.ChannelTo(runnerGrpc)), probeTarget).Cases(),
        ];
        _cases = [.. cases.Select(c => (c, new Outcomes(c.Calls)))];
    }

    /// <summary>Each case with what its calls ended with, over every round so far.</summary>
    public IReadOnlyList<(HostileCase Case, Outcomes Outcomes)> Cases => _cases;

    /// <summary>Whether every case counted an outcome for each of its calls in each of <paramref name="rounds"/> rounds.</summary>
    public bool Complete(int rounds) => _cases.All(c => c.Outcomes.Total == c.Case.Calls * rounds);

    /// <summary>Runs every case once.</summary>
    public async Task RunAsync(int round, CancellationToken cancellationToken)
    {
        foreach (var (hostileCase, outcomes) in _cases)
        {
            var clock = Stopwatch.StartNew();
            await hostileCase.RunAsync(outcomes, cancellationToken);
            Progress.Say($"round {round}: {hostileCase.Service}: {hostileCase.Name}: {outcomes} ({clock.Elapsed.TotalSeconds:0.0} s)");
        }
    }

    public void Dispose() => _caller.Dispose();
}
