using System.Buffers;
using Grpc.Core;

namespace AspireProber.Grpc.Tests.Infrastructure;

/// <summary>
/// A service written by hand in the shape the generator emits, with string messages, so the runtime is tested
/// independently of protobuf and of the generator. What each method does is set per test via <see cref="TestHandlers"/>.
/// </summary>
public static class TestService
{
    public const string ServiceName = "test.v1.TestService";

    public static readonly Method<string, string> Unary = new(MethodType.Unary, ServiceName, "Unary", Marshallers.StringMarshaller, Marshallers.StringMarshaller);
    public static readonly Method<string, string> ServerStreaming = new(MethodType.ServerStreaming, ServiceName, "ServerStreaming", Marshallers.StringMarshaller, Marshallers.StringMarshaller);
    public static readonly Method<string, string> ClientStreaming = new(MethodType.ClientStreaming, ServiceName, "ClientStreaming", Marshallers.StringMarshaller, Marshallers.StringMarshaller);
    public static readonly Method<string, string> Duplex = new(MethodType.DuplexStreaming, ServiceName, "Duplex", Marshallers.StringMarshaller, Marshallers.StringMarshaller);

    /// <summary>Raw bytes view of <see cref="Unary"/>, for tests that craft frames themselves.</summary>
    public static readonly Method<byte[], byte[]> UnaryBytes = new(MethodType.Unary, ServiceName, "Unary", Marshallers.BytesMarshaller, Marshallers.BytesMarshaller);

    public static void BindService<TService>(ServiceBinder<TService> binder) where TService : TestServiceBase
    {
        binder.AddMethod(Unary, new UnaryServiceMethod<TService, string, string>(static (s, r, c) => s.Unary(r, c)));
        binder.AddMethod(ServerStreaming, new ServerStreamingServiceMethod<TService, string, string>(static (s, r, w, c) => s.ServerStreaming(r, w, c)));
        binder.AddMethod(ClientStreaming, new ClientStreamingServiceMethod<TService, string, string>(static (s, r, c) => s.ClientStreaming(r, c)));
        binder.AddMethod(Duplex, new DuplexStreamingServiceMethod<TService, string, string>(static (s, r, w, c) => s.Duplex(r, w, c)));
    }
}

/// <summary>The base class, as the generator would emit it.</summary>
[BindServiceMethod(typeof(TestService), nameof(TestService.BindService))]
public abstract class TestServiceBase
{
    public virtual Task<string> Unary(string request, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    public virtual Task ServerStreaming(string request, IServerStreamWriter<string> responseStream, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    public virtual Task<string> ClientStreaming(IAsyncStreamReader<string> requestStream, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, ""));
    public virtual Task Duplex(IAsyncStreamReader<string> requestStream, IServerStreamWriter<string> responseStream, ServerCallContext context) => throw new RpcException(new Status(StatusCode.Unimplemented, ""));
}

/// <summary>Per-test behaviour of <see cref="ScriptedTestService"/>; register one as a singleton.</summary>
public sealed class TestHandlers
{
    public Func<string, ServerCallContext, Task<string>> Unary { get; set; } = (request, _) => Task.FromResult(request);
    public Func<string, IServerStreamWriter<string>, ServerCallContext, Task> ServerStreaming { get; set; } = async (request, writer, _) =>
    {
        foreach (var part in request.Split(','))
        {
            await writer.WriteAsync(part);
        }
    };
    public Func<IAsyncStreamReader<string>, ServerCallContext, Task<string>> ClientStreaming { get; set; } = async (reader, context) =>
    {
        var parts = new List<string>();
        await foreach (var item in reader.ReadAllAsync(context.CancellationToken))
        {
            parts.Add(item);
        }
        return string.Join(",", parts);
    };
    public Func<IAsyncStreamReader<string>, IServerStreamWriter<string>, ServerCallContext, Task> Duplex { get; set; } = async (reader, writer, context) =>
    {
        await foreach (var item in reader.ReadAllAsync(context.CancellationToken))
        {
            await writer.WriteAsync(item);
        }
    };
}

/// <summary>The service implementation: every method defers to the registered <see cref="TestHandlers"/>.</summary>
public sealed class ScriptedTestService(TestHandlers handlers) : TestServiceBase
{
    public override Task<string> Unary(string request, ServerCallContext context) => handlers.Unary(request, context);
    public override Task ServerStreaming(string request, IServerStreamWriter<string> responseStream, ServerCallContext context) => handlers.ServerStreaming(request, responseStream, context);
    public override Task<string> ClientStreaming(IAsyncStreamReader<string> requestStream, ServerCallContext context) => handlers.ClientStreaming(requestStream, context);
    public override Task Duplex(IAsyncStreamReader<string> requestStream, IServerStreamWriter<string> responseStream, ServerCallContext context) => handlers.Duplex(requestStream, responseStream, context);
}
