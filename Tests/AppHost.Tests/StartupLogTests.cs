using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace AspireProber.AppHost.Tests;

/// <summary>
/// What a learner reads first: the runner's log from its start. It waits for the prober replicas to serve before its
/// first round, so that round succeeds on every replica and nothing before it warns about a fault that is none.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed partial class StartupLogTests(SystemFixture system, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task The_runners_first_round_succeeds_on_every_replica_and_nothing_before_it_warns()
    {
        var runner = await system.App.ResourceNotifications.WaitForResourceAsync("runner", _ => true);
        var lines = new List<string>();
        var timed = new List<string>();   // as the resource log has them, with their timestamps, for the test's output
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            // The console log from the runner's start (the resource logger replays what came before).
            await foreach (var batch in system.App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(runner.ResourceId).WithCancellation(timeout.Token))
            {
                lines.AddRange(batch.Select(line => Plain(line.Content)));
                timed.AddRange(batch.Select(line => line.Content));
                if (lines.Any(IsFirstRound))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // asserted below, with what the log held
        }

        var log = string.Join("\n", lines);
        output.WriteLine(string.Join("\n", timed.Where(line => line.Contains("Starting process", StringComparison.Ordinal)
            || line.Contains("serving after", StringComparison.Ordinal) || IsFirstRound(line)).Take(3)));
        var firstRound = lines.FindIndex(IsFirstRound);
        Assert.True(firstRound >= 0, "no round was logged within 60 s:\n" + log);
        Assert.Contains(lines.Take(firstRound), line => line.Contains("All 3 prober replicas serving after", StringComparison.Ordinal));
        // The first round's own level: a failed replica would have made it a warning.
        Assert.StartsWith("info:", lines.Take(firstRound).Last(line => line.StartsWith("info:", StringComparison.Ordinal) || line.StartsWith("warn:", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines.Take(firstRound + 1), line => line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal));
        Assert.Contains(": 3 replicas ok, 0 failed", lines[firstRound]);
    }

    // A line as the console logger wrote it ("info: Category[id]", then the message on the next line): without the
    // timestamp the resource log puts before it and without the logger's colours.
    private static string Plain(string content) => AnsiOrTimestamp().Replace(content, "");

    [GeneratedRegex(@"^\S+Z |\x1B\[[0-9;]*m")]
    private static partial Regex AnsiOrTimestamp();

    private static bool IsFirstRound(string line) => line.Contains("replicas ok,", StringComparison.Ordinal) && line.Contains("Probed ", StringComparison.Ordinal);
}
