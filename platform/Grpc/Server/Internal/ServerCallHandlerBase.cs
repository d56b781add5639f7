using Grpc.Core;
using Grpc.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>
/// What every call shape shares: reject what is not a gRPC request, set the call up, run the shape's
/// handling, and turn its outcome into the status sent to the client.
/// </summary>
internal abstract class ServerCallHandlerBase<TService, TRequest, TResponse>
    where TService : class where TRequest : class where TResponse : class
{
    protected ServerCallHandlerBase(Method<TRequest, TResponse> method, ServiceActivator<TService> activator, ServerMethodSettings settings, ILogger logger)
    {
        Method = method;
        Activator = activator;
        Settings = settings;
        Logger = logger;
    }

    protected Method<TRequest, TResponse> Method { get; }

    protected ServerMethodSettings Settings { get; }

    protected ILogger Logger { get; }

    protected ServiceActivator<TService> Activator { get; }

    public async Task HandleCallAsync(HttpContext httpContext)
    {
        if (!IsValidGrpcRequest(httpContext))
        {
            return;
        }

        var call = new HttpContextServerCallContext(httpContext, Method, Settings, Logger);
        try
        {
            if (call.Initialize() is { } rejection)
            {
                await call.RejectAsync(rejection).ConfigureAwait(false);
                return;
            }
            await HandleCallCoreAsync(call).ConfigureAwait(false);
            await call.EndCallAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await call.EndCallWithErrorAsync(ex).ConfigureAwait(false);
        }
        finally
        {
            call.Complete();
        }
    }

    protected abstract Task HandleCallCoreAsync(HttpContextServerCallContext call);

    /// <summary>Reads the one request message of a unary or server-streaming call: exactly one, no more, no less.</summary>
    protected async ValueTask<TRequest> ReadSingleMessageAsync(HttpContextServerCallContext call)
    {
        var reader = call.HttpContext.Request.BodyReader;
        var request = await MessageFraming.ReadMessageAsync(reader, Method.RequestMarshaller, call.ReadSettings, call.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The request ended without a message; this method takes exactly one."));
        call.MessagesRead = 1;
        if (await MessageFraming.ReadMessageAsync(reader, Method.RequestMarshaller, call.ReadSettings, call.CancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "The request has more than one message; this method takes exactly one."));
        }
        return request;
    }

    private static bool IsValidGrpcRequest(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!GrpcProtocolConstants.IsGrpcContentType(request.ContentType))
        {
            RejectNonGrpc(httpContext, StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{request.ContentType}' is not supported: gRPC requests use 'application/grpc'.");
            return false;
        }
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            RejectNonGrpc(httpContext, StatusCodes.Status426UpgradeRequired,
                $"Request protocol '{request.Protocol}' is not supported: gRPC needs HTTP/2.");
            httpContext.Response.Headers.Upgrade = "h2c";
            return false;
        }
        return true;
    }

    private static void RejectNonGrpc(HttpContext httpContext, int httpStatus, string message)
    {
        // An HTTP status the client maps itself (http-grpc-status-mapping.md), plus the gRPC status for clients that read it.
        var response = httpContext.Response;
        response.StatusCode = httpStatus;
        response.Headers[GrpcProtocolConstants.StatusTrailer] = ((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocolConstants.MessageTrailer] = PercentEncoding.Encode(message);
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }
}
