namespace AspireProber.Grpc.Generator;

/// <summary>What the generator needs from one .proto file: names, imports and services, nothing about fields.</summary>
/// <param name="Path">The file's path as the compilation knows it (used for diagnostics and import matching).</param>
/// <param name="Package">The proto package, empty when the file declares none.</param>
/// <param name="CSharpNamespace">The <c>csharp_namespace</c> option, or null when absent.</param>
/// <param name="Types">Every message and enum, named relative to the package (nested ones as <c>Outer.Inner</c>).</param>
/// <param name="SyntaxError">Set when the file could not be parsed; the other members are then incomplete.</param>
internal sealed record ProtoFile(
    string Path,
    string Package,
    string? CSharpNamespace,
    EquatableArray<ProtoImport> Imports,
    EquatableArray<ProtoTypeDecl> Types,
    EquatableArray<ProtoService> Services,
    ProtoSyntaxError? SyntaxError);

/// <summary>An <c>import</c> statement; public imports are re-exported to the importer's importers.</summary>
internal sealed record ProtoImport(string Path, bool IsPublic);

/// <summary>A message or enum declaration, named relative to its file's package.</summary>
internal sealed record ProtoTypeDecl(string Name, bool IsEnum);

/// <summary>A <c>service</c> with its leading comment and methods.</summary>
internal sealed record ProtoService(string Name, string Comment, EquatableArray<ProtoRpc> Methods);

/// <summary>An <c>rpc</c>: message type names as written in the file, with where they were written.</summary>
internal sealed record ProtoRpc(
    string Name,
    string Comment,
    string InputType,
    bool ClientStreaming,
    SourceSpan InputSpan,
    string OutputType,
    bool ServerStreaming,
    SourceSpan OutputSpan);

/// <summary>Why a file could not be parsed, and where.</summary>
internal sealed record ProtoSyntaxError(string Message, SourceSpan Span);

/// <summary>A range of a source file: character offsets plus zero-based line/column, enough to build a Roslyn location.</summary>
internal readonly record struct SourceSpan(int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn);
