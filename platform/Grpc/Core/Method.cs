namespace Grpc.Core;

/// <summary>What every method description exposes, whatever its message types.</summary>
public interface IMethod
{
    /// <summary>The call shape.</summary>
    MethodType Type { get; }

    /// <summary>The fully qualified service name, e.g. <c>prober.v1.Prober</c>.</summary>
    string ServiceName { get; }

    /// <summary>The method name, e.g. <c>Probe</c>.</summary>
    string Name { get; }

    /// <summary>The HTTP/2 path: <c>/{ServiceName}/{Name}</c>.</summary>
    string FullName { get; }
}

/// <summary>A method of a service with the marshallers for its messages.</summary>
public sealed class Method<TRequest, TResponse> : IMethod
{
    /// <summary>Creates a method description.</summary>
    public Method(MethodType type, string serviceName, string name, Marshaller<TRequest> requestMarshaller, Marshaller<TResponse> responseMarshaller)
    {
        Type = type;
        ServiceName = serviceName;
        Name = name;
        RequestMarshaller = requestMarshaller;
        ResponseMarshaller = responseMarshaller;
        FullName = "/" + serviceName + "/" + name;
    }

    /// <inheritdoc />
    public MethodType Type { get; }

    /// <inheritdoc />
    public string ServiceName { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string FullName { get; }

    /// <summary>Turns requests into bytes and back.</summary>
    public Marshaller<TRequest> RequestMarshaller { get; }

    /// <summary>Turns responses into bytes and back.</summary>
    public Marshaller<TResponse> ResponseMarshaller { get; }
}
