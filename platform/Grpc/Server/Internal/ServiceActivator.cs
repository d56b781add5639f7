using Microsoft.Extensions.DependencyInjection;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>
/// Gets the service instance for a call: the one registered in DI if there is one (its lifetime is DI's),
/// otherwise a new instance per call built from DI (disposed when the call ends), as grpc-dotnet does.
/// </summary>
internal sealed class ServiceActivator<TService> where TService : class
{
    // Built on first use: a service that DI provides needs no constructor the activator can call.
    private ObjectFactory<TService>? _factory;

    public (TService Instance, bool Created) Create(IServiceProvider services)
    {
        var registered = services.GetService<TService>();
        if (registered is not null)
        {
            return (registered, false);
        }
        _factory ??= ActivatorUtilities.CreateFactory<TService>(Type.EmptyTypes);
        return (_factory(services, null), true);
    }

    public static ValueTask ReleaseAsync(TService instance, bool created)
    {
        if (!created)
        {
            return ValueTask.CompletedTask;
        }
        if (instance is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }
        (instance as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }
}
