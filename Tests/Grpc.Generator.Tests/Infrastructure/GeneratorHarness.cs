using AspireProber.Grpc.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AspireProber.Grpc.Generator.Tests.Infrastructure;

/// <summary>A .proto given to the generator as an AdditionalFile, with the GrpcServices its Protobuf item would carry.</summary>
internal sealed record ProtoInput(string Path, string Text, string? GrpcServices = "Both")
{
    /// <summary>One instance per input, so a test can later replace exactly this text in a driver.</summary>
    public AdditionalText AdditionalText { get; } = new InMemoryText(Path, Text);
}

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class InMemoryText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>Runs <see cref="GrpcStubGenerator"/> in memory, the way the compiler does, with step tracking on.</summary>
internal static class GeneratorHarness
{
    public static GeneratorDriver CreateDriver(params ProtoInput[] protos) =>
        CSharpGeneratorDriver.Create(
            new[] { new GrpcStubGenerator().AsSourceGenerator() },
            protos.Select(proto => proto.AdditionalText),
            CSharpParseOptions.Default,
            new StubsOptionsProvider(protos.ToDictionary(proto => proto.Path, proto => proto.GrpcServices)),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRunResult Run(params ProtoInput[] protos) =>
        CreateDriver(protos).RunGenerators(EmptyCompilation()).GetRunResult().Results.Single();

    /// <summary>The generated file with the given hint name.</summary>
    public static string Source(this GeneratorRunResult result, string hintName) =>
        result.GeneratedSources.Single(source => source.HintName == hintName).SourceText.ToString();

    public static CSharpCompilation EmptyCompilation() =>
        CSharpCompilation.Create("GeneratorHarness", references: ReferencesOfThisTestRun(),
            options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    // The test host's trusted assemblies: the framework, Google.Protobuf, AspireProber.Grpc and this test
    // assembly, whose protoc-generated messages let generated stubs be compiled for real.
    private static IEnumerable<MetadataReference> ReferencesOfThisTestRun() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(path => MetadataReference.CreateFromFile(path));

    private sealed class StubsOptionsProvider(Dictionary<string, string?> grpcServicesByPath) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(null);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new Options(grpcServicesByPath.TryGetValue(textFile.Path, out var value) ? value : null);
    }

    private sealed class Options(string? grpcStubs) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            value = grpcStubs ?? "";
            return key == GrpcStubGenerator.GrpcStubsMetadata && grpcStubs is not null;
        }
    }
}
