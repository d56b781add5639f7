using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AspireProber.Grpc.Generator;

/// <summary>
/// Generates grpc-dotnet-shaped client and server stubs for the services of every .proto AdditionalFile,
/// as the <c>GrpcServices</c> metadata of its <c>Protobuf</c> item asks (build/GrpcProtos.targets passes it on).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrpcStubGenerator : IIncrementalGenerator
{
    /// <summary>The compiler-visible metadata GrpcProtos.targets sets on each .proto AdditionalFile.</summary>
    internal const string GrpcStubsMetadata = "build_metadata.AdditionalFiles.GrpcStubs";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Parsing is per file and cached by content; resolution needs every file (imports) and is cheap.
        var sources = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".proto", StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) =>
            {
                var (text, options) = pair;
                var content = text.GetText(cancellationToken)?.ToString() ?? "";
                options.GetOptions(text).TryGetValue(GrpcStubsMetadata, out var grpcStubs);
                return new ProtoSource(ProtoParser.Parse(text.Path, content), grpcStubs);
            });

        var files = sources.Collect().SelectMany(static (all, _) => StubModelBuilder.Build(all));

        context.RegisterSourceOutput(files, static (output, file) =>
        {
            foreach (var diagnostic in file.Diagnostics)
            {
                output.ReportDiagnostic(GeneratorDiagnostics.Create(diagnostic));
            }
            foreach (var service in file.Services)
            {
                output.AddSource(service.HintName, StubEmitter.Emit(service));
            }
        });
    }
}
