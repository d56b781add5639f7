namespace Grpc.Net.Client.Configuration;

/// <summary>Settings for the methods named in <see cref="Names"/>.</summary>
public sealed class MethodConfig
{
    /// <summary>The methods this config applies to.</summary>
    public IList<MethodName> Names { get; } = new List<MethodName>();

    /// <summary>How failed calls of these methods are retried; null for no retries.</summary>
    public RetryPolicy? RetryPolicy { get; set; }
}

/// <summary>
/// Names one method (<see cref="Service"/> and <see cref="Method"/>), every method of a service (only
/// <see cref="Service"/>), or every method of every service (neither: <see cref="Default"/>).
/// </summary>
public sealed class MethodName
{
    /// <summary>A name that matches every method.</summary>
    public static MethodName Default => new();

    /// <summary>The fully qualified service name, e.g. <c>prober.v1.Prober</c>; null for any service.</summary>
    public string? Service { get; set; }

    /// <summary>The method name, e.g. <c>Probe</c>; null for any method of <see cref="Service"/>.</summary>
    public string? Method { get; set; }
}
