using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>
/// Gets the service instance for a call: the one registered in DI if there is one (its lifetime is DI's),
/// otherwise a new instance per call built from DI, disposed when the call's method finishes, as grpc-dotnet does.
/// </summary>
internal sealed class ServiceActivator<TService> where TService : class
{
    private readonly IServiceProvider _applicationServices;
    private readonly bool _registered;
    private readonly bool _needsNoServices;
    // Built on first use: a service that DI provides needs no constructor the activator can call.
    private ObjectFactory<TService>? _factory;

    public ServiceActivator(IServiceProvider applicationServices)
    {
        _applicationServices = applicationServices;
        _registered = applicationServices.GetService<IServiceProviderIsService>()?.IsService(typeof(TService)) ?? true;
        var constructors = typeof(TService).GetConstructors();
        // Without constructor parameters nothing can come from the request's scope, so none is created for it.
        _needsNoServices = !_registered && constructors.Length == 1 && constructors[0].GetParameters().Length == 0;
    }

    /// <summary>The instance for a call; <paramref name="release"/> says it was created here and must be disposed after the call.</summary>
    public TService Create(HttpContext httpContext, out bool release)
    {
        if (_registered)
        {
            release = false;
            return httpContext.RequestServices.GetRequiredService<TService>();
        }
        _factory ??= ActivatorUtilities.CreateFactory<TService>(Type.EmptyTypes);
        var created = _factory(_needsNoServices ? _applicationServices : httpContext.RequestServices, null);
        // A plain instance needs nothing at the end, so the handler can return the method's own task.
        release = created is IDisposable or IAsyncDisposable;
        return created;
    }

    public static ValueTask DisposeAsync(TService instance)
    {
        if (instance is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }
        (instance as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }
}
