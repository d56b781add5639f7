using Grpc.Core;
using Grpc.Net.Client.Internal;

namespace Grpc.Net.Client;

/// <summary>
/// Starts the calls of a <see cref="GrpcChannel"/> over its HttpClient, each on an address picked by the channel's
/// balancer, or always on one address (the invokers of <see cref="GrpcChannel.FanOutAsync{TResponse}"/>).
/// </summary>
public sealed class HttpClientCallInvoker : CallInvoker
{
    private readonly GrpcChannel _channel;
    private readonly Uri? _address;

    internal HttpClientCallInvoker(GrpcChannel channel, Uri? address)
    {
        _channel = channel;
        _address = address;
    }

    /// <summary>The channel the calls go through.</summary>
    public GrpcChannel Channel => _channel;

    /// <inheritdoc />
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        using var call = AsyncUnaryCall(method, host, options, request);
        return call.ResponseAsync.GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateCall(method, MethodType.Unary, options).StartUnary(request);
    }

    /// <inheritdoc />
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateCall(method, MethodType.ServerStreaming, options).StartServerStreaming(request);
    }

    /// <inheritdoc />
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        CreateCall(method, MethodType.ClientStreaming, options).StartClientStreaming();

    /// <inheritdoc />
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        CreateCall(method, MethodType.DuplexStreaming, options).StartDuplexStreaming();

    private GrpcCall<TRequest, TResponse> CreateCall<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType shape, CallOptions options)
        where TRequest : class where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(method);
        _channel.ThrowIfDisposed();
        return new GrpcCall<TRequest, TResponse>(_channel, _address, method, shape, options);
    }
}
