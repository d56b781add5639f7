using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace AspireProber.GrpcBench;

/// <summary>What the figures were measured on and with, printed above them: numbers mean little without it.</summary>
internal sealed partial record RunEnvironment(DateTimeOffset Date, int Cores, string LoadAverage, string Dotnet, string GrpcGo, string H2Load)
{
    private const string GrpcGoVersionFile = "/usr/share/gocode/src/google.golang.org/grpc/version.go";

    public static async Task<RunEnvironment> DescribeAsync(CancellationToken cancellationToken)
    {
        var h2load = (await ChildProcess.RunAsync("h2load", ["--version"], TimeSpan.FromSeconds(10), cancellationToken)).StandardOutput.Trim();
        var grpcGo = GrpcGoVersion().Match(await File.ReadAllTextAsync(GrpcGoVersionFile, cancellationToken));
        // Other work on the machine skews every figure; the 1-, 5- and 15-minute load averages say how much there was.
        var loadAverage = string.Join(" ", (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ').Take(3));
        return new RunEnvironment(DateTimeOffset.UtcNow, Environment.ProcessorCount, loadAverage, RuntimeInformation.FrameworkDescription,
            grpcGo.Success ? grpcGo.Groups[1].Value : "?", h2load);
    }

    // const Version = "1.33.3"
    [GeneratedRegex(@"const Version = ""([^""]+)""")]
    private static partial Regex GrpcGoVersion();
}
