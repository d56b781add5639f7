using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace AspireProber.Hosting.Tests.Infrastructure;

/// <summary>Paths of the test apps and a builder that launches them prebuilt (the test project's build built them).</summary>
internal static class TestApps
{
    public static readonly string RepoRoot = FindRepoRoot();

    /// <summary>The configuration this test assembly (and so the test apps) was built in.</summary>
    public static readonly string Configuration = typeof(TestApps).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    public static string EchoProject => Path.Combine(RepoRoot, "Tests", "Hosting.Tests.Apps", "EchoApp", "EchoApp.csproj");

    public static string EchoDll => Path.Combine(RepoRoot, "Tests", "Hosting.Tests.Apps", "EchoApp", "bin", Configuration, "net10.0", "EchoApp.dll");

    public static string TestAppHostDll => Path.Combine(RepoRoot, "Tests", "Hosting.Tests.Apps", "TestAppHost", "bin", Configuration, "net10.0", "TestAppHost.dll");

    /// <summary>Prebuilt projects, no container engine, quick stop timeout, quiet logs; <paramref name="extraArgs"/> override.</summary>
    public static IDistributedApplicationBuilder CreateBuilder(params string[] extraArgs) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [.. CommonArgs, .. extraArgs],
            AppHostDirectory = RepoRoot,
        });

    public static string[] CommonArgs =>
    [
        "--AppHost:BuildProjects=false",
        $"--AppHost:ProjectConfiguration={Configuration}",
        "--AppHost:ContainerRuntime=none",
        "--AppHost:StopTimeout=00:00:05",
        "--Logging:LogLevel:Default=Warning",
    ];

    public static IResourceBuilder<ProjectResource> AddEcho(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddProject(name, EchoProject).WithHttpEndpoint().WithHttpHealthCheck("/health");

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AspireProber.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("AspireProber.sln not found above " + AppContext.BaseDirectory);
    }
}
