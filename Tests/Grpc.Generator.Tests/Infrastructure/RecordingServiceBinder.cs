using Grpc.Core;

namespace AspireProber.Grpc.Generator.Tests.Infrastructure;

/// <summary>A binder that only remembers what a generated <c>BindService</c> registered.</summary>
internal sealed class RecordingServiceBinder<TService> : ServiceBinder<TService> where TService : class
{
    public List<(IMethod Method, Delegate Handler)> Methods { get; } = new();

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServiceMethod<TService, TRequest, TResponse> invoker) =>
        Methods.Add((method, invoker));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServiceMethod<TService, TRequest, TResponse> invoker) =>
        Methods.Add((method, invoker));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServiceMethod<TService, TRequest, TResponse> invoker) =>
        Methods.Add((method, invoker));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServiceMethod<TService, TRequest, TResponse> invoker) =>
        Methods.Add((method, invoker));
}
