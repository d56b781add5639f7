using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AspireProber.Grpc.Generator;

/// <summary>The diagnostics the generator reports, all errors: each means stubs a project relies on are missing.</summary>
internal static class GeneratorDiagnostics
{
    private const string Category = "AspireProber.Grpc.Generator";

    public static readonly DiagnosticDescriptor UnresolvedType = new(
        "APGRPC001", "gRPC method type cannot be resolved", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SyntaxError = new(
        "APGRPC002", "Invalid .proto syntax", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidGrpcServices = new(
        "APGRPC003", "Invalid GrpcServices value", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateService = new(
        "APGRPC004", "gRPC service defined twice", "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>Rebuilds the Roslyn diagnostic, located in the .proto file.</summary>
    public static Diagnostic Create(DiagnosticInfo info)
    {
        var span = info.Span;
        var location = Location.Create(
            info.Path,
            new TextSpan(span.Start, span.Length),
            new LinePositionSpan(new LinePosition(span.StartLine, span.StartColumn), new LinePosition(span.EndLine, span.EndColumn)));
        return Diagnostic.Create(info.Descriptor, location, info.Message);
    }
}
