namespace AspireProber.ProberService;

/// <summary>Thrown from the connect step when the address a probe would reach is denied by the <see cref="TargetGuard"/>.</summary>
public sealed class TargetBlockedException(string reason) : Exception(reason)
{
    /// <summary>What the guard objected to.</summary>
    public string Reason { get; } = reason;
}
