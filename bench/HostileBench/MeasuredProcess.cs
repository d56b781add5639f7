namespace AspireProber.HostileBench;

/// <summary>A process whose memory and <c>/metrics</c> the bench records: a service replica or Prometheus.</summary>
/// <param name="Name">How the report names it.</param>
/// <param name="Pid">Its process id.</param>
/// <param name="Metrics">Its own <c>/metrics</c>.</param>
/// <param name="HeapMetric">The metric on <see cref="Metrics"/> that says how big its managed heap is, summed over its samples.</param>
internal sealed record MeasuredProcess(string Name, int Pid, Uri Metrics, string HeapMetric);
