namespace Grpc.Core;

/// <summary>
/// Receives the methods of a service from its generated <c>BindService</c>. The server's binder maps each to an
/// endpoint that creates <typeparamref name="TService"/> per call and invokes the method on it.
/// </summary>
public abstract class ServiceBinder<TService> where TService : class
{
    /// <summary>Adds a unary method.</summary>
    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServiceMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class where TResponse : class;

    /// <summary>Adds a client-streaming method.</summary>
    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServiceMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class where TResponse : class;

    /// <summary>Adds a server-streaming method.</summary>
    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServiceMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class where TResponse : class;

    /// <summary>Adds a duplex-streaming method.</summary>
    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServiceMethod<TService, TRequest, TResponse> invoker)
        where TRequest : class where TResponse : class;
}

/// <summary>
/// Put by the generator on a service base class: names the static class and method that binds the service
/// (<c>static void BindService&lt;TService&gt;(ServiceBinder&lt;TService&gt;)</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class BindServiceMethodAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public BindServiceMethodAttribute(Type bindType, string bindMethodName)
    {
        BindType = bindType;
        BindMethodName = bindMethodName;
    }

    /// <summary>The generated static class that holds the bind method.</summary>
    public Type BindType { get; }

    /// <summary>The name of the bind method.</summary>
    public string BindMethodName { get; }
}
