using Grpc.Core;

namespace AspireProber.Grpc.Generator.Tests.Infrastructure;

/// <summary>One call a generated client started: which invoker entry point, for which method, with what.</summary>
internal sealed record RecordedCall(string EntryPoint, IMethod Method, CallOptions Options, object? Request);

/// <summary>A call invoker that records each call and completes it at once with a default response.</summary>
internal sealed class RecordingCallInvoker : CallInvoker
{
    public List<RecordedCall> Calls { get; } = new();

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Add(new RecordedCall(nameof(BlockingUnaryCall), method, options, request));
        return NewResponse<TResponse>();
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Add(new RecordedCall(nameof(AsyncUnaryCall), method, options, request));
        return new AsyncUnaryCall<TResponse>(Task.FromResult(NewResponse<TResponse>()), Headers(), () => Status.DefaultSuccess, () => Metadata.Empty, () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Add(new RecordedCall(nameof(AsyncServerStreamingCall), method, options, request));
        return new AsyncServerStreamingCall<TResponse>(null!, Headers(), () => Status.DefaultSuccess, () => Metadata.Empty, () => { });
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        Calls.Add(new RecordedCall(nameof(AsyncClientStreamingCall), method, options, null));
        return new AsyncClientStreamingCall<TRequest, TResponse>(null!, Task.FromResult(NewResponse<TResponse>()), Headers(), () => Status.DefaultSuccess, () => Metadata.Empty, () => { });
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        Calls.Add(new RecordedCall(nameof(AsyncDuplexStreamingCall), method, options, null));
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(null!, null!, Headers(), () => Status.DefaultSuccess, () => Metadata.Empty, () => { });
    }

    private static TResponse NewResponse<TResponse>() => (TResponse)Activator.CreateInstance(typeof(TResponse))!;

    private static Task<Metadata> Headers() => Task.FromResult(Metadata.Empty);
}
