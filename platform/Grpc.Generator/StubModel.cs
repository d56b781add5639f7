using Microsoft.CodeAnalysis;

namespace AspireProber.Grpc.Generator;

/// <summary>The four call shapes; member names match <c>Grpc.Core.MethodType</c> so they can be emitted verbatim.</summary>
internal enum StubMethodType
{
    Unary,
    ClientStreaming,
    ServerStreaming,
    DuplexStreaming,
}

/// <summary>One service, resolved to C# names: everything <see cref="StubEmitter"/> needs and nothing from the syntax tree.</summary>
/// <param name="Namespace">The C# namespace, empty for the global namespace.</param>
/// <param name="DescriptorExpression">The protoc reflection expression for the service descriptor.</param>
internal sealed record ServiceStub(
    string HintName,
    string ProtoFileName,
    string Namespace,
    string FullName,
    string ClassName,
    string Comment,
    string DescriptorExpression,
    bool Server,
    bool Client,
    EquatableArray<MarshallerStub> Marshallers,
    EquatableArray<MethodStub> Methods);

/// <summary>A static marshaller field for one message type.</summary>
internal sealed record MarshallerStub(string FieldName, string MessageType);

/// <summary>One rpc with its message types and the marshaller fields that serialize them.</summary>
internal sealed record MethodStub(
    string Name,
    string Comment,
    StubMethodType Type,
    string RequestType,
    string ResponseType,
    string RequestMarshaller,
    string ResponseMarshaller);

/// <summary>
/// A diagnostic kept as plain data (a Roslyn Location holds a syntax tree or file state and does not compare by
/// value), so results stay cacheable; <see cref="GeneratorDiagnostics.Create"/> turns it into a Roslyn one.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, string Message, string Path, SourceSpan Span);

/// <summary>What one .proto file contributes: the services to emit and the problems to report.</summary>
internal sealed record ProtoFileStubs(EquatableArray<ServiceStub> Services, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A parsed .proto file with the raw <c>GrpcStubs</c> metadata its project gave it (null when absent).</summary>
internal sealed record ProtoSource(ProtoFile File, string? GrpcStubs);
