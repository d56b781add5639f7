using System.Diagnostics;
using System.Text;

namespace AspireProber.Bench;

/// <summary>Runs a tool to completion (go build, h2load, the streaming client), killing it if the bench is stopped or it overruns.</summary>
internal static class ChildProcess
{
    public sealed record Output(string StandardOutput, string StandardError);

    public static async Task<Output> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Describe(fileName, start.ArgumentList)} did not finish within {timeout}.");
        }
        var output = new Output(await standardOutput, await standardError);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Describe(fileName, start.ArgumentList)} exited with {process.ExitCode}:\n{output.StandardError}{output.StandardOutput}");
        }
        return output;
    }

    public static string Describe(string fileName, IEnumerable<string> arguments)
    {
        var text = new StringBuilder(Path.GetFileName(fileName));
        foreach (var argument in arguments)
        {
            text.Append(' ').Append(argument.Contains(' ') ? $"'{argument}'" : argument);
        }
        return text.ToString();
    }
}
