using Grpc.AspNetCore.Server.Internal;
using Grpc.Core;
using Grpc.Reflection.V1;

namespace Grpc.Reflection;

/// <summary>
/// Server reflection (grpc.reflection.v1 and, through <see cref="ReflectionServiceV1AlphaImpl"/>, v1alpha):
/// lists the mapped services and returns the .proto files that define them with all their imports, so tools
/// like grpcurl and grpc-js reflection clients can call the server without local .proto files.
/// </summary>
public class ReflectionServiceImpl : ServerReflection.ServerReflectionBase
{
    private readonly GrpcServiceRegistry _registry;
    private ReflectionIndex? _index;

    internal ReflectionServiceImpl(GrpcServiceRegistry registry) => _registry = registry;

    /// <inheritdoc />
    public override async Task ServerReflectionInfo(IAsyncStreamReader<ServerReflectionRequest> requestStream,
        IServerStreamWriter<ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        // Built at the first question, when every service has been mapped.
        var index = _index ??= new ReflectionIndex(_registry.Services.Keys, _registry.Services.Values.OfType<Google.Protobuf.Reflection.ServiceDescriptor>());
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(Answer(index, request)).ConfigureAwait(false);
        }
    }

    private static ServerReflectionResponse Answer(ReflectionIndex index, ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                response.ListServicesResponse = new ListServiceResponse();
                response.ListServicesResponse.Service.AddRange(index.ServiceNames.Select(name => new ServiceResponse { Name = name }));
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.FindFileByName(request.FileByFilename), $"File '{request.FileByFilename}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.FindFileBySymbol(request.FileContainingSymbol), $"Symbol '{request.FileContainingSymbol}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = request.FileContainingExtension;
                SetFile(response, index.FindFileByExtension(extension.ContainingType, extension.ExtensionNumber),
                    $"Extension {extension.ExtensionNumber} of '{extension.ContainingType}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.ExtensionNumbers(request.AllExtensionNumbersOfType) is { } numbers)
                {
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                    response.AllExtensionNumbersResponse.ExtensionNumber.AddRange(numbers);
                }
                else
                {
                    SetError(response, StatusCode.NotFound, $"Type '{request.AllExtensionNumbersOfType}' not found.");
                }
                break;
            default:
                SetError(response, StatusCode.InvalidArgument, "The request sets none of the message_request fields.");
                break;
        }
        return response;
    }

    private static void SetFile(ServerReflectionResponse response, Google.Protobuf.Reflection.FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, StatusCode.NotFound, notFound);
            return;
        }
        response.FileDescriptorResponse = new FileDescriptorResponse();
        response.FileDescriptorResponse.FileDescriptorProto.AddRange(ReflectionIndex.WithDependencies(file));
    }

    private static void SetError(ServerReflectionResponse response, StatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };
}

/// <summary>
/// The same service under its older package name, grpc.reflection.v1alpha, which many tools still ask for.
/// The two versions' messages are identical on the wire, so v1's implementation serves both.
/// </summary>
[BindServiceMethod(typeof(ServerReflectionV1AlphaBinding), nameof(ServerReflectionV1AlphaBinding.BindService))]
public class ReflectionServiceV1AlphaImpl : ReflectionServiceImpl
{
    internal ReflectionServiceV1AlphaImpl(GrpcServiceRegistry registry) : base(registry) { }
}

/// <summary>Binds <see cref="ReflectionServiceV1AlphaImpl"/> under the v1alpha service name with v1's message types.</summary>
public static class ServerReflectionV1AlphaBinding
{
    /// <summary>The v1alpha service descriptor, for reflection's own listing.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => V1Alpha.ServerReflection.Descriptor;

    private static readonly Method<ServerReflectionRequest, ServerReflectionResponse> InfoMethod = new(
        MethodType.DuplexStreaming, V1Alpha.ServerReflection.Descriptor.FullName, "ServerReflectionInfo",
        Marshallers.ForMessage(ServerReflectionRequest.Parser), Marshallers.ForMessage(ServerReflectionResponse.Parser));

    /// <summary>Adds the one method of the service.</summary>
    public static void BindService<TService>(ServiceBinder<TService> binder) where TService : ReflectionServiceV1AlphaImpl =>
        binder.AddMethod(InfoMethod, new DuplexStreamingServiceMethod<TService, ServerReflectionRequest, ServerReflectionResponse>(
            static (service, requests, responses, context) => service.ServerReflectionInfo(requests, responses, context)));
}
