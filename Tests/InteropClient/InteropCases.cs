using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Testing;

namespace AspireProber.InteropClient;

/// <summary>The client side of each interop case: the procedure and the asserts of doc/interop-test-descriptions.md.</summary>
internal sealed class InteropCases(GrpcChannel channel)
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";
    private const string RequestEncodingKey = "grpc-internal-encoding-request";

    private readonly TestService.TestServiceClient _client = new(channel);

    public static readonly string[] Names =
    [
        "empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
        "custom_metadata", "status_code_and_message", "special_status_message", "unimplemented_method",
        "unimplemented_service", "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
        "client_compressed_unary", "server_compressed_unary", "server_compressed_streaming",
    ];

    public Task RunAsync(string name) => name switch
    {
        "empty_unary" => EmptyUnaryAsync(),
        "large_unary" => LargeUnaryAsync(),
        "client_streaming" => ClientStreamingAsync(),
        "server_streaming" => ServerStreamingAsync(),
        "ping_pong" => PingPongAsync(),
        "empty_stream" => EmptyStreamAsync(),
        "custom_metadata" => CustomMetadataAsync(),
        "status_code_and_message" => StatusCodeAndMessageAsync(),
        "special_status_message" => SpecialStatusMessageAsync(),
        "unimplemented_method" => UnimplementedMethodAsync(),
        "unimplemented_service" => UnimplementedServiceAsync(),
        "cancel_after_begin" => CancelAfterBeginAsync(),
        "cancel_after_first_response" => CancelAfterFirstResponseAsync(),
        "timeout_on_sleeping_server" => TimeoutOnSleepingServerAsync(),
        "client_compressed_unary" => ClientCompressedUnaryAsync(),
        "server_compressed_unary" => ServerCompressedUnaryAsync(),
        "server_compressed_streaming" => ServerCompressedStreamingAsync(),
        _ => throw new ArgumentException($"Unknown test case '{name}'; cases: {string.Join(", ", Names)}"),
    };

    private async Task EmptyUnaryAsync()
    {
        var response = await _client.EmptyCallAsync(new Empty());
        Check(response is not null, "EmptyCall returned no message");
    }

    private async Task LargeUnaryAsync()
    {
        var response = await _client.UnaryCallAsync(new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) });
        CheckPayload(response.Payload, 314159);
    }

    private async Task ClientStreamingAsync()
    {
        using var call = _client.StreamingInputCall();
        foreach (var size in new[] { 27182, 8, 1828, 45904 })
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) });
        }
        await call.RequestStream.CompleteAsync();
        var response = await call;
        Check(response.AggregatedPayloadSize == 74922, $"aggregated_payload_size {response.AggregatedPayloadSize}, expected 74922");
    }

    private async Task ServerStreamingAsync()
    {
        int[] sizes = [31415, 9, 2653, 58979];
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(sizes.Select(size => new ResponseParameters { Size = size }));
        using var call = _client.StreamingOutputCall(request);
        var received = await call.ResponseStream.ReadAllAsync().Select(r => r.Payload.Body.Length).ToListAsync();
        Check(received.SequenceEqual(sizes), $"response sizes [{string.Join(",", received)}], expected [{string.Join(",", sizes)}]");
    }

    private async Task PingPongAsync()
    {
        int[] requestSizes = [27182, 8, 1828, 45904];
        int[] responseSizes = [31415, 9, 2653, 58979];
        using var call = _client.FullDuplexCall();
        for (var i = 0; i < requestSizes.Length; i++)
        {
            await call.RequestStream.WriteAsync(DuplexRequest(responseSizes[i], requestSizes[i]));
            Check(await call.ResponseStream.MoveNext(CancellationToken.None), $"no response to ping {i}");
            CheckPayload(call.ResponseStream.Current.Payload, responseSizes[i]);
        }
        await call.RequestStream.CompleteAsync();
        Check(!await call.ResponseStream.MoveNext(CancellationToken.None), "a response after the last pong");
    }

    private async Task EmptyStreamAsync()
    {
        using var call = _client.FullDuplexCall();
        await call.RequestStream.CompleteAsync();
        Check(!await call.ResponseStream.MoveNext(CancellationToken.None), "responses on an empty stream");
    }

    private async Task CustomMetadataAsync()
    {
        var trailingValue = new byte[] { 0xab, 0xab, 0xab };
        Metadata Headers() => new() { { EchoInitialKey, "test_initial_metadata_value" }, { EchoTrailingKey, trailingValue } };
        void CheckEchoed(Metadata responseHeaders, Metadata trailers, string call)
        {
            Check(responseHeaders.GetValue(EchoInitialKey) == "test_initial_metadata_value", $"{call}: initial metadata not echoed");
            Check(trailers.GetValueBytes(EchoTrailingKey) is { } bytes && bytes.SequenceEqual(trailingValue), $"{call}: trailing metadata not echoed");
        }

        using (var unary = _client.UnaryCallAsync(new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) }, Headers()))
        {
            CheckPayload((await unary).Payload, 314159);
            CheckEchoed(await unary.ResponseHeadersAsync, unary.GetTrailers(), "UnaryCall");
        }

        using var duplex = _client.FullDuplexCall(Headers());
        await duplex.RequestStream.WriteAsync(DuplexRequest(314159, 271828));
        await duplex.RequestStream.CompleteAsync();
        Check(await duplex.ResponseStream.MoveNext(CancellationToken.None), "FullDuplexCall: no response");
        CheckPayload(duplex.ResponseStream.Current.Payload, 314159);
        Check(!await duplex.ResponseStream.MoveNext(CancellationToken.None), "FullDuplexCall: more than one response");
        CheckEchoed(await duplex.ResponseHeadersAsync, duplex.GetTrailers(), "FullDuplexCall");
    }

    private Task StatusCodeAndMessageAsync() => EchoStatusAsync("test status message", alsoDuplex: true);

    private Task SpecialStatusMessageAsync() =>
        EchoStatusAsync("\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n", alsoDuplex: false);

    private async Task EchoStatusAsync(string message, bool alsoDuplex)
    {
        var status = new EchoStatus { Code = (int)StatusCode.Unknown, Message = message };
        var unary = await ExpectRpcExceptionAsync(() => _client.UnaryCallAsync(new SimpleRequest { ResponseStatus = status }).ResponseAsync);
        CheckStatus(unary, StatusCode.Unknown, message);
        if (!alsoDuplex)
        {
            return;
        }
        using var duplex = _client.FullDuplexCall();
        await duplex.RequestStream.WriteAsync(new StreamingOutputCallRequest { ResponseStatus = status });
        await duplex.RequestStream.CompleteAsync();
        CheckStatus(await ExpectRpcExceptionAsync(() => duplex.ResponseStream.MoveNext(CancellationToken.None)), StatusCode.Unknown, message);
    }

    private async Task UnimplementedMethodAsync() =>
        CheckStatus(await ExpectRpcExceptionAsync(() => _client.UnimplementedCallAsync(new Empty()).ResponseAsync), StatusCode.Unimplemented);

    private async Task UnimplementedServiceAsync() =>
        CheckStatus(await ExpectRpcExceptionAsync(() => new UnimplementedService.UnimplementedServiceClient(channel).UnimplementedCallAsync(new Empty()).ResponseAsync),
            StatusCode.Unimplemented);

    private async Task CancelAfterBeginAsync()
    {
        using var cts = new CancellationTokenSource();
        using var call = _client.StreamingInputCall(cancellationToken: cts.Token);
        cts.Cancel();
        CheckStatus(await ExpectRpcExceptionAsync(() => call.ResponseAsync), StatusCode.Cancelled);
    }

    private async Task CancelAfterFirstResponseAsync()
    {
        using var cts = new CancellationTokenSource();
        using var call = _client.FullDuplexCall(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(DuplexRequest(31415, 27182));
        Check(await call.ResponseStream.MoveNext(CancellationToken.None), "no first response");
        CheckPayload(call.ResponseStream.Current.Payload, 31415);
        cts.Cancel();
        CheckStatus(await ExpectRpcExceptionAsync(() => call.ResponseStream.MoveNext(CancellationToken.None)), StatusCode.Cancelled);
    }

    private async Task TimeoutOnSleepingServerAsync()
    {
        using var call = _client.FullDuplexCall(deadline: DateTime.UtcNow.AddMilliseconds(1));
        try
        {
            await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { Payload = Zeros(27182) });
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
        {
            // The spec allows the deadline to strike while the request is still being written.
        }
        CheckStatus(await ExpectRpcExceptionAsync(() => call.ResponseStream.MoveNext(CancellationToken.None)), StatusCode.DeadlineExceeded);
    }

    private async Task ClientCompressedUnaryAsync()
    {
        // Probe: a server that checks expect_compressed must refuse an uncompressed request that claims otherwise.
        var probe = await ExpectRpcExceptionAsync(() => _client.UnaryCallAsync(new SimpleRequest
        {
            ExpectCompressed = new BoolValue { Value = true }, ResponseSize = 314159, Payload = Zeros(271828),
        }).ResponseAsync);
        CheckStatus(probe, StatusCode.InvalidArgument);

        var compressed = await _client.UnaryCallAsync(
            new SimpleRequest { ExpectCompressed = new BoolValue { Value = true }, ResponseSize = 314159, Payload = Zeros(271828) },
            new Metadata { { RequestEncodingKey, "gzip" } });
        CheckPayload(compressed.Payload, 314159);

        var plain = await _client.UnaryCallAsync(new SimpleRequest
        {
            ExpectCompressed = new BoolValue { Value = false }, ResponseSize = 314159, Payload = Zeros(271828),
        });
        CheckPayload(plain.Payload, 314159);
    }

    private async Task ServerCompressedUnaryAsync()
    {
        // The public call API does not expose a message's compressed flag (neither does grpc-dotnet's); the
        // platform's own tests check it on the wire. Here: both variants must arrive intact.
        foreach (var compress in new[] { true, false })
        {
            var response = await _client.UnaryCallAsync(new SimpleRequest
            {
                ResponseCompressed = new BoolValue { Value = compress }, ResponseSize = 314159, Payload = Zeros(271828),
            });
            CheckPayload(response.Payload, 314159);
        }
    }

    private async Task ServerCompressedStreamingAsync()
    {
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(new ResponseParameters { Compressed = new BoolValue { Value = true }, Size = 31415 });
        request.ResponseParameters.Add(new ResponseParameters { Compressed = new BoolValue { Value = false }, Size = 92653 });
        using var call = _client.StreamingOutputCall(request);
        var sizes = await call.ResponseStream.ReadAllAsync().Select(r => r.Payload.Body.Length).ToListAsync();
        Check(sizes.SequenceEqual([31415, 92653]), $"response sizes [{string.Join(",", sizes)}], expected [31415,92653]");
    }

    private static StreamingOutputCallRequest DuplexRequest(int responseSize, int payloadSize)
    {
        var request = new StreamingOutputCallRequest { Payload = Zeros(payloadSize) };
        request.ResponseParameters.Add(new ResponseParameters { Size = responseSize });
        return request;
    }

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    private static void CheckPayload(Payload? payload, int size)
    {
        Check(payload is not null, "response has no payload");
        Check(payload!.Body.Length == size, $"payload of {payload.Body.Length} bytes, expected {size}");
        Check(payload.Body.Span.IndexOfAnyExcept((byte)0) < 0, "payload is not all zeros");
    }

    private static void CheckStatus(RpcException ex, StatusCode code, string? message = null)
    {
        Check(ex.StatusCode == code, $"status {ex.StatusCode} ({ex.Status.Detail}), expected {code}");
        Check(message is null || ex.Status.Detail == message, $"status message '{ex.Status.Detail}', expected '{message}'");
    }

    private static async Task<RpcException> ExpectRpcExceptionAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException ex)
        {
            return ex;
        }
        throw new InvalidOperationException("the call succeeded, but it should have failed");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
