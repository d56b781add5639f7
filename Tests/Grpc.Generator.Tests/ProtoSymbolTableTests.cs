using AspireProber.Grpc.Generator;

namespace AspireProber.Grpc.Generator.Tests;

public class ProtoSymbolTableTests
{
    private static readonly ProtoFile Common = ProtoParser.Parse("/repo/Protos/shared/common.proto", """
        package shared.common;
        option csharp_namespace = "Shared";
        message Envelope { message Header {} }
        enum Color { COLOR_UNSPECIFIED = 0; }
        """);

    private static readonly ProtoFile Reexporter = ProtoParser.Parse("/repo/Protos/reexport.proto", """
        package reexport;
        import public "shared/common.proto";
        """);

    private static readonly ProtoFile Main = ProtoParser.Parse("/repo/Protos/a/b/main.proto", """
        package a.b;
        import "reexport.proto";
        import "google/protobuf/empty.proto";
        message Local { message Nested {} }
        message shared {}
        """);

    private static readonly ProtoFile[] All = { Common, Reexporter, Main };

    [Theory]
    [InlineData("Local", "global::A.B.Local")]
    [InlineData("Local.Nested", "global::A.B.Local.Types.Nested")]
    [InlineData("b.Local", "global::A.B.Local")]
    [InlineData("a.b.Local", "global::A.B.Local")]
    [InlineData(".a.b.Local.Nested", "global::A.B.Local.Types.Nested")]
    [InlineData(".shared.common.Envelope.Header", "global::Shared.Envelope.Types.Header")]
    [InlineData("google.protobuf.Empty", "global::Google.Protobuf.WellKnownTypes.Empty")]
    [InlineData("shared", "global::A.B.shared")]
    public void ResolvesLikeProtoc(string written, string expectedCSharp)
    {
        var resolution = ProtoSymbolTable.ForFile(Main, All).ResolveMessage(written, "a.b.Service.Method");

        Assert.Null(resolution.Error);
        Assert.Equal(expectedCSharp, resolution.Message!.CSharpName);
    }

    [Fact]
    public void ACompoundNameBindsToTheInnermostScopeHavingItsFirstPart()
    {
        // "shared" is the message a.b.shared here, so "shared.common.Envelope" is looked up inside it, as protoc does.
        var resolution = ProtoSymbolTable.ForFile(Main, All).ResolveMessage("shared.common.Envelope", "a.b.Service.Method");

        Assert.Null(resolution.Message);
        Assert.Contains("is resolved to \"a.b.shared.common.Envelope\", which is not defined", resolution.Error);
    }

    [Theory]
    [InlineData("Missing", "\"Missing\" is not defined")]
    [InlineData(".shared.common.Color", "is the enum \"shared.common.Color\"")]
    [InlineData("a.b", "is a package")]
    [InlineData("google.protobuf.Timestamp", "\"google.protobuf.Timestamp\" is not defined")]
    public void ExplainsWhatIsWrong(string written, string expectedError)
    {
        var resolution = ProtoSymbolTable.ForFile(Main, All).ResolveMessage(written, "a.b.Service.Method");

        Assert.Null(resolution.Message);
        Assert.Contains(expectedError, resolution.Error);
    }

    [Fact]
    public void OnlyImportedFilesAreVisible()
    {
        var isolated = ProtoParser.Parse("/repo/Protos/isolated.proto", "package iso; message Own {}");
        var table = ProtoSymbolTable.ForFile(isolated, new[] { Common, isolated });

        Assert.NotNull(table.ResolveMessage("Own", "iso.S.M").Message);
        Assert.NotNull(table.ResolveMessage(".shared.common.Envelope", "iso.S.M").Error);
    }

    [Theory]
    [InlineData("shared/common.proto", "/repo/Protos/shared/common.proto")]
    [InlineData("common.proto", "/repo/Protos/shared/common.proto")]
    [InlineData("mmon.proto", null)]
    [InlineData("google/protobuf/timestamp.proto", "google/protobuf/timestamp.proto")]
    public void ImportsMatchByPathSuffixAtAFolderBoundary(string import, string? expectedPath)
    {
        Assert.Equal(expectedPath, ProtoSymbolTable.FindImport(import, All)?.Path);
    }
}
