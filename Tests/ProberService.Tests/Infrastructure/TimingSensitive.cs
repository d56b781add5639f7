namespace AspireProber.ProberService.Tests.Infrastructure;

/// <summary>
/// Tests that assert wall-clock bounds run in this collection: alone, after the parallel ones, so the other tests'
/// CPU use on a 2-core machine does not skew what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "timing-sensitive";
}
