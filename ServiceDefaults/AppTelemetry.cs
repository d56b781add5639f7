using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The app's own ActivitySource and Meter, both named after the application (<see cref="IHostEnvironment.ApplicationName"/>),
/// which AddServiceDefaults subscribes to: inject this to create spans and instruments that reach every exporter.
/// </summary>
public sealed class AppTelemetry : IDisposable
{
    /// <summary>Creates the source and, through the host's meter factory, the meter (disposed with the host).</summary>
    public AppTelemetry(IHostEnvironment environment, IMeterFactory meterFactory)
    {
        Name = environment.ApplicationName;
        ActivitySource = new ActivitySource(Name);
        Meter = meterFactory.Create(Name);
    }

    /// <summary>The name of the source and the meter: the application name.</summary>
    public string Name { get; }

    /// <summary>Starts the app's spans.</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary>Creates the app's instruments.</summary>
    public Meter Meter { get; }

    /// <inheritdoc />
    public void Dispose() => ActivitySource.Dispose();
}
