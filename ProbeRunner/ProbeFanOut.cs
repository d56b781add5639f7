using System.Diagnostics;
using AspireProber.Prober.V1;
using AspireProber.ServiceDefaults;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Options;

namespace AspireProber.ProbeRunner;

/// <summary>Calls Probe on every prober replica in parallel, each with its own deadline, and records each call.</summary>
public sealed class ProbeFanOut(ReplicaChannels channels, RunnerMetrics metrics, IOptions<RunnerOptions> options)
{
    private readonly Metadata? _headers = ProberApiKey.Headers(options.Value.ProberApiKey);

    /// <summary>The resource name of the prober replicas (<c>services__prober__grpc__{i}</c>).</summary>
    public const string ProberServiceName = "prober";

    /// <summary>True when prober replicas are configured; a runner started alone has none and says so instead of failing.</summary>
    public bool IsConfigured => channels.IsConfigured(ProberServiceName);

    /// <summary>The replica addresses, as service discovery gives them.</summary>
    public Task<IReadOnlyList<Uri>> GetReplicasAsync(CancellationToken cancellationToken) =>
        channels.GetReplicaAddressesAsync(ProberServiceName, cancellationToken);

    /// <summary>
    /// Waits until every replica answers grpc.health.v1 with SERVING, or until <paramref name="grace"/> has passed, and
    /// returns the replicas that did not.
    /// </summary>
    public async Task<IReadOnlyList<Uri>> WaitUntilServingAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var replicas = await GetReplicasAsync(cancellationToken);
        var until = DateTime.UtcNow + grace;
        var serving = await Task.WhenAll(replicas.Select(address => IsServingByAsync(address, until, cancellationToken)));
        return [.. replicas.Where((_, i) => !serving[i])];
    }

    private async Task<bool> IsServingByAsync(Uri address, DateTime until, CancellationToken cancellationToken)
    {
        var health = new Health.HealthClient(channels.Get(ProberServiceName, address));
        while (DateTime.UtcNow < until)
        {
            try
            {
                // WaitForReady: while the replica is not listening yet, the call waits for it instead of failing at once.
                var options = new CallOptions(deadline: until, cancellationToken: cancellationToken).WithWaitForReady();
                if ((await health.CheckAsync(new HealthCheckRequest(), options)).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return true;
                }
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                // not up yet, or not within the grace: asked again, or given up below
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                return true;   // it serves no health service: it answers, which is all there is to wait for
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        return false;
    }

    /// <summary>
    /// Probes through every replica at once and returns each one's outcome in discovery order. A replica that is down
    /// or slower than <paramref name="deadline"/> gives its status; it never fails the others.
    /// </summary>
    public async Task<IReadOnlyList<ReplicaOutcome>> ProbeAsync(ProbeRequest request, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var replicas = await GetReplicasAsync(cancellationToken);
        var callDeadline = DateTime.UtcNow + deadline;
        var outcomes = await Task.WhenAll(replicas.Select(address => ProbeReplicaAsync(address, request, callDeadline, cancellationToken)));
        foreach (var outcome in outcomes)
        {
            metrics.ProbeCallCompleted(outcome.Replica, outcome.Status.StatusCode, outcome.Duration);
        }
        return outcomes;
    }

    // Each call is timed and its RpcException handed back as a value: a failed call's duration (how fast UNAVAILABLE,
    // how late DEADLINE_EXCEEDED) is as telling as a reply's.
    private async Task<ReplicaOutcome> ProbeReplicaAsync(Uri address, ProbeRequest request, DateTime deadline, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var client = new Prober.V1.Prober.ProberClient(channels.Get(ProberServiceName, address));
            var reply = await client.ProbeAsync(request, _headers, deadline, cancellationToken);
            return new ReplicaOutcome(address, reply, Status.DefaultSuccess, Stopwatch.GetElapsedTime(start));
        }
        catch (RpcException ex)
        {
            return new ReplicaOutcome(address, null, ex.Status, Stopwatch.GetElapsedTime(start));
        }
        catch (ObjectDisposedException)
        {
            // The replica left discovery while this call started, and a concurrent round disposed its channel.
            return new ReplicaOutcome(address, null, new Status(StatusCode.Unavailable, "The replica left service discovery."), Stopwatch.GetElapsedTime(start));
        }
    }
}
