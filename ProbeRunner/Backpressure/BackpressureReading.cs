namespace AspireProber.ProbeRunner.Backpressure;

/// <summary>What <c>/backpressure/consumers</c> answers: the flow of each consumer, and which source it was read from.</summary>
/// <param name="Source">Prometheus, or the services themselves when Prometheus could not be read.</param>
/// <param name="Note">A sentence for the page: where the numbers come from and, read from the services, why not from Prometheus.</param>
/// <param name="Consumers">One flow per consumer, by name.</param>
public sealed record BackpressureReading(FlowSource Source, string Note, IReadOnlyList<ConsumerFlow> Consumers);
