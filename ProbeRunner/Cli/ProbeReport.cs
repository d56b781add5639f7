using System.Globalization;
using AspireProber.Prober.V1;
using Spectre.Console;

namespace AspireProber.ProbeRunner.Cli;

/// <summary>The CLI's output: a console over any TextWriter, and the table of each replica's statistics.</summary>
public static class ProbeReport
{
    /// <summary>A Spectre console writing to <paramref name="output"/>; plain text when it is not a terminal.</summary>
    public static IAnsiConsole CreateConsole(TextWriter output)
    {
        var target = new AnsiConsoleOutput(output);
        var terminal = target.IsTerminal;
        // Spectre would trust TERM even for a redirected writer; a file or a pipe gets no escape codes.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = target,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Redirected output has no width; wide enough that the table's rows stay on one line.
            console.Profile.Width = 200;
        }
        return console;
    }

    /// <summary>Writes one row per replica, in address order: its statistics, or the status its call failed with.</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<ReplicaAttempts> results)
    {
        var table = new Table().AddColumns("replica", "instance", "status", "ok", "failed", "avg ms", "min ms", "p50 ms", "p90 ms", "p99 ms", "max ms", "http statuses", "failure reasons");
        foreach (var result in results)
        {
            var replica = ReplicaOutcome.NameOf(result.Address);
            if (result.Attempts is not { } attempts)
            {
                table.AddRow(Markup.Escape(replica), "", $"[red]{StatusCodeNames.Of(result.Status.StatusCode)}[/]", "", "", "", "", "", "", "", "", "", Markup.Escape(result.Status.Detail));
                continue;
            }
            var stats = ReplicaStatistics.From(attempts);
            table.AddRow(
                Markup.Escape(replica), Markup.Escape(stats.Instance), "[green]OK[/]",
                Count(stats.Successes), Count(stats.Failures),
                Ms(stats.AverageMs), Ms(stats.MinMs), Ms(stats.P50Ms), Ms(stats.P90Ms), Ms(stats.P99Ms), Ms(stats.MaxMs),
                string.Join(" ", stats.StatusCodeCounts.Select(kv => $"{kv.Key}×{kv.Value}")),
                Markup.Escape(string.Join("; ", stats.FailureReasons)));
        }
        console.Write(table);
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
