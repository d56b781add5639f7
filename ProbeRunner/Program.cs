using AspireProber.ProbeRunner;
using AspireProber.ProbeRunner.Cli;

// One executable, two roles: `probe ...` is the CLI; anything else runs the worker and server.
if (args is [ProbeCommand.Name, ..])
{
    return await ProbeCommand.InvokeAsync(args, Console.Out, Console.Error, CliConfiguration.Load());
}

await RunnerHost.Build(args).RunAsync();
return 0;
