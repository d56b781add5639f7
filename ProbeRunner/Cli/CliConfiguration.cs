namespace AspireProber.ProbeRunner.Cli;

/// <summary>The configuration the CLI reads its defaults from: the runner's appsettings.json and environment variables.</summary>
public static class CliConfiguration
{
    /// <summary>Loads appsettings.json (next to the executable) and the environment, e.g. <c>services__prober__grpc__0</c>.</summary>
    public static IConfiguration Load() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
}
