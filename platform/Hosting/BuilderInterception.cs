namespace Aspire.Hosting;

/// <summary>
/// Lets Aspire.Hosting.Testing run an AppHost's entry point unchanged and take over the builder it makes: while a
/// callback is set on the calling flow, <see cref="DistributedApplicationBuilder.Build"/> hands the builder to it
/// instead of building, then throws <see cref="BuilderInterceptedException"/> to end the entry point there (as
/// WebApplicationFactory stops a web app's Program once it has its host).
/// </summary>
internal static class BuilderInterception
{
    // Async-local, not static: tests running in parallel each intercept their own entry point.
    private static readonly AsyncLocal<Action<DistributedApplicationBuilder>?> s_onBuilding = new();

    /// <summary>Called with the builder when the entry point calls Build; null outside an intercepted entry point.</summary>
    public static Action<DistributedApplicationBuilder>? OnBuilding
    {
        get => s_onBuilding.Value;
        set => s_onBuilding.Value = value;
    }
}

/// <summary>Ends an intercepted entry point at its call to Build; the interceptor owns the builder from there.</summary>
internal sealed class BuilderInterceptedException() : Exception("The AppHost's builder was taken over by Aspire.Hosting.Testing before Build.");
