using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireProber.Hosting.Tests.Infrastructure;

namespace AspireProber.Hosting.Tests;

/// <summary>Console output: captured line by line per replica, stdout and stderr told apart, kept in a bounded ring.</summary>
public sealed class ConsoleLogTests
{
    [Fact]
    public async Task Output_is_captured_per_replica_and_only_the_last_lines_are_kept()
    {
        var builder = TestApps.CreateBuilder("--AppHost:LogLinesPerReplica=100");
        // stdout and stderr are separate pipes read separately, so lines are numbered in the order they are read, not
        // written: the stderr line comes a second after stdout is done, so it is read last even on a loaded machine.
        builder.AddExecutable("chatty", "bash", ".", "-c", "for i in $(seq 1 300); do echo \"out $i\"; done; sleep 1; echo oops >&2; sleep 300");
        await using var app = builder.Build();

        await app.StartAsync();
        await LifecycleTests.WaitForLogAsync(app, "chatty-0", "oops");

        var backlog = app.ResourceLogs.GetBacklog("chatty-0");
        Assert.Equal(100, backlog.Count);
        Assert.Equal(301, backlog[^1].LineNumber);
        Assert.Contains(backlog, line => line is { Content: "oops", IsErrorMessage: true });
        Assert.Contains(backlog, line => line is { Content: "out 300", IsErrorMessage: false });
        Assert.DoesNotContain(backlog, line => line.Content == "out 1");
    }

    [Fact]
    public async Task A_watch_gets_the_backlog_then_new_lines()
    {
        using var logs = new ResourceLoggerService(maxLinesPerReplica: 3);
        for (var i = 1; i <= 5; i++)
        {
            logs.Write("app-0", $"line {i}", isErrorMessage: false);
        }
        await using var watch = logs.WatchAsync("app-0").GetAsyncEnumerator();

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(["line 3", "line 4", "line 5"], watch.Current.Select(l => l.Content));
        logs.Write("app-0", "line 6", isErrorMessage: true);
        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(AppExtensions.Timeout));
        Assert.Equal(new LogLine(6, "line 6", true), Assert.Single(watch.Current));
    }
}
