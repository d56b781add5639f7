using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;

namespace AspireProber.InteropServer;

/// <summary>grpc.testing.TestService as doc/interop-test-descriptions.md asks of an interop server.</summary>
public sealed class TestServiceImpl : TestService.TestServiceBase
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";
    private const string RequestEncodingKey = "grpc-internal-encoding-request";
    private static readonly WriteOptions Uncompressed = new(WriteFlags.NoCompress);

    // Payloads are all zeros and never written to, so every payload can be a view of one shared buffer.
    private static byte[] s_zeros = new byte[64 * 1024];

    public override Task<Empty> EmptyCall(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    public override async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        await EchoMetadataAsync(context, compressResponse: request.ResponseCompressed?.Value == true);
        EnsureCompressedIfExpected(request.ExpectCompressed, context);
        ThrowIfStatusRequested(request.ResponseStatus);
        if (request.ResponseCompressed is { Value: false })
        {
            context.WriteOptions = Uncompressed;
        }
        return new SimpleResponse { Payload = CreatePayload(request.ResponseSize) };
    }

    public override Task<SimpleResponse> CacheableUnaryCall(SimpleRequest request, ServerCallContext context) => UnaryCall(request, context);

    public override async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context, compressResponse: request.ResponseParameters.Any(p => p.Compressed?.Value == true));
        ThrowIfStatusRequested(request.ResponseStatus);
        await WriteResponsesAsync(request.ResponseParameters, responseStream, context);
    }

    public override async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context, compressResponse: false);
        var total = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            EnsureCompressedIfExpected(request.ExpectCompressed, context);
            total += request.Payload?.Body.Length ?? 0;
        }
        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public override async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context, compressResponse: false);
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            ThrowIfStatusRequested(request.ResponseStatus);
            await WriteResponsesAsync(request.ResponseParameters, responseStream, context);
        }
    }

    public override async Task HalfDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context, compressResponse: false);
        var requests = new List<StreamingOutputCallRequest>();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            requests.Add(request);
        }
        foreach (var request in requests)
        {
            ThrowIfStatusRequested(request.ResponseStatus);
            await WriteResponsesAsync(request.ResponseParameters, responseStream, context);
        }
    }

    private static async Task WriteResponsesAsync(IEnumerable<ResponseParameters> parameters, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameter.IntervalUs), context.CancellationToken);
            }
            responseStream.WriteOptions = parameter.Compressed?.Value == true ? WriteOptions.Default : Uncompressed;
            await responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = CreatePayload(parameter.Size) });
        }
    }

    /// <summary>
    /// Echoes x-grpc-test-echo-initial as a response header and x-grpc-test-echo-trailing-bin as a trailer, and
    /// turns on gzip for the response when asked (only if the client accepts it).
    /// </summary>
    private static Task EchoMetadataAsync(ServerCallContext context, bool compressResponse)
    {
        if (context.RequestHeaders.Get(EchoTrailingKey) is { } trailing)
        {
            context.ResponseTrailers.Add(trailing);
        }
        var initial = context.RequestHeaders.Get(EchoInitialKey);
        if (initial is null && !compressResponse)
        {
            return Task.CompletedTask;
        }
        var headers = new Metadata();
        if (initial is not null)
        {
            headers.Add(initial);
        }
        if (compressResponse)
        {
            headers.Add(RequestEncodingKey, "gzip");
        }
        return context.WriteResponseHeadersAsync(headers);
    }

    /// <summary>A request that says it was compressed must have come with a compressing grpc-encoding.</summary>
    private static void EnsureCompressedIfExpected(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed?.Value != true)
        {
            return;
        }
        // grpc-encoding is protocol state, not metadata, so it is read from the HTTP request itself.
        var encoding = context.GetHttpContext().Request.Headers["grpc-encoding"].ToString();
        if (string.IsNullOrEmpty(encoding) || encoding == "identity")
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Expected a compressed message, but the request has no grpc-encoding."));
        }
    }

    private static void ThrowIfStatusRequested(EchoStatus? status)
    {
        if (status is { Code: not 0 })
        {
            throw new RpcException(new Status((StatusCode)status.Code, status.Message));
        }
    }

    private static Payload CreatePayload(int size)
    {
        var zeros = s_zeros;
        if (zeros.Length < size)
        {
            // Grown, never shrunk or written: a racing caller at worst allocates a second buffer.
            s_zeros = zeros = new byte[size];
        }
        return new Payload { Type = PayloadType.Compressable, Body = UnsafeByteOperations.UnsafeWrap(zeros.AsMemory(0, size)) };
    }
}
