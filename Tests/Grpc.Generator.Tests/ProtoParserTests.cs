using AspireProber.Grpc.Generator;

namespace AspireProber.Grpc.Generator.Tests;

public class ProtoParserTests
{
    [Fact]
    public void RecordsPackageNamespaceImportsAndServices()
    {
        var file = ProtoParser.Parse("a/b.proto", """
            syntax = "proto3";
            package prober.v1;
            import "google/protobuf/empty.proto";
            import public "shared/common.proto";
            import weak "legacy.proto";
            option java_package = "io.example";
            option csharp_namespace = "AspireProber." "Prober.V1";
            service Prober {
              option deprecated = false;
              rpc Probe(ProbeRequest) returns (ProbeReply);
              rpc ProbeStream(ProbeRequest) returns (stream .prober.v1.ProbeAttempt) {}
              rpc Upload(stream ProbeRequest) returns (ProbeReply) { option idempotency_level = IDEMPOTENT; };
            }
            """);

        Assert.Null(file.SyntaxError);
        Assert.Equal("prober.v1", file.Package);
        Assert.Equal("AspireProber.Prober.V1", file.CSharpNamespace);
        Assert.Equal(
            new[] { ("google/protobuf/empty.proto", false), ("shared/common.proto", true), ("legacy.proto", false) },
            file.Imports.Select(import => (import.Path, import.IsPublic)));
        var service = Assert.Single(file.Services);
        Assert.Equal("Prober", service.Name);
        Assert.Equal(
            new[]
            {
                ("Probe", "ProbeRequest", false, "ProbeReply", false),
                ("ProbeStream", "ProbeRequest", false, ".prober.v1.ProbeAttempt", true),
                ("Upload", "ProbeRequest", true, "ProbeReply", false),
            },
            service.Methods.Select(rpc => (rpc.Name, rpc.InputType, rpc.ClientStreaming, rpc.OutputType, rpc.ServerStreaming)));
    }

    [Fact]
    public void RecordsNestedTypesAndSkipsEverythingElseInMessages()
    {
        var file = ProtoParser.Parse("x.proto", """
            syntax = "proto2";
            message Outer {
              option (my.opt) = { name: "x" nested { a: 1 } list: [1, 2] };
              required int32 id = 1 [default = -5, (custom).value = "}"];
              map<string, Outer.Inner> by_name = 2;
              reserved 3, 5 to 9;
              reserved "old";
              extensions 100 to max;
              oneof choice {
                string text = 10;
                group Picked = 11 { optional int32 n = 1; }
              }
              message Inner {
                enum Mode { MODE_UNSPECIFIED = 0; MODE_FAST = 1 [deprecated = true]; reserved 5; }
                message Deepest {}
              }
              repeated group Result = 12 {
                message InResult {}
              }
              extend google.protobuf.MessageOptions { optional string tag = 50000; }
              enum Kind { option allow_alias = true; KIND_A = 0; KIND_B = 0; }
              ;
            }
            enum Top { TOP_UNSPECIFIED = 0; }
            extend Outer { optional int32 extra = 101; }
            """);

        Assert.Null(file.SyntaxError);
        Assert.Equal(
            new[]
            {
                ("Outer", false), ("Outer.Picked", false), ("Outer.Inner", false), ("Outer.Inner.Mode", true),
                ("Outer.Inner.Deepest", false), ("Outer.Result", false), ("Outer.Result.InResult", false),
                ("Outer.Kind", true), ("Top", true),
            },
            file.Types.Select(type => (type.Name, type.IsEnum)));
    }

    [Fact]
    public void AttachesLeadingCommentsTheWayProtocDoes()
    {
        var file = ProtoParser.Parse("c.proto", """
            // Detached: a blank line separates it from the service.

            // Line one of the service doc.
            //  Line two, indented.
            service Documented {
              rpc A(M) returns (M); // Trailing: documents A, not B.
              /* Block comment
               * for B. */
              rpc B(M) returns (M);

              // Detached from C by the blank line below.

              rpc C(M) returns (M);
            }
            """);

        var service = Assert.Single(file.Services);
        Assert.Equal(" Line one of the service doc.\n  Line two, indented.", service.Comment);
        Assert.Equal("", service.Methods[0].Comment);
        Assert.Equal(" Block comment\n for B.", service.Methods[1].Comment);
        Assert.Equal("", service.Methods[2].Comment);
    }

    [Fact]
    public void StreamIsAKeywordAsInProtocUnlessItIsTheWholeTypeName()
    {
        var file = ProtoParser.Parse("s.proto", "service S { rpc A(stream) returns (stream.Thing); rpc B(stream stream) returns (M); }");

        Assert.Null(file.SyntaxError);
        Assert.Equal(
            new[] { ("stream", false, ".Thing", true), ("stream", true, "M", false) },
            file.Services[0].Methods.Select(rpc => (rpc.InputType, rpc.ClientStreaming, rpc.OutputType, rpc.ServerStreaming)));
    }

    [Theory]
    [InlineData("syntax = \"proto3\"\npackage a;", "Expected \";\"", 1, 0)]
    [InlineData("service S {\n  rpc A(M) returns M;\n}", "Expected \"(\"", 1, 19)]
    [InlineData("service S {\n  rpc A(M) returns (M);\n", "end of file inside service S", 2, 0)]
    [InlineData("message M {\n  int32 a = 1\n}", "Expected \";\" to end the statement that starts with \"int32\" on line 2", 2, 0)]
    [InlineData("/* never closed\nmessage M {}", "never closed", 0, 0)]
    [InlineData("option csharp_namespace = \"unterminated;\n", "never closed", 0, 26)]
    [InlineData("package a;\npackage b;", "Multiple package definitions", 1, 0)]
    [InlineData("message M { int32 a = 1; } €", "Invalid character U+20AC", 0, 27)]
    public void ReportsSyntaxErrorsWithTheirPosition(string source, string expectedMessage, int line, int column)
    {
        var file = ProtoParser.Parse("bad.proto", source);

        var error = Assert.IsType<ProtoSyntaxError>(file.SyntaxError);
        Assert.Contains(expectedMessage, error.Message);
        Assert.Equal((line, column), (error.Span.StartLine, error.Span.StartColumn));
    }

    [Fact]
    public void NeverThrowsOnAnyPrefixOfAValidFile()
    {
        const string source = """
            syntax = "proto3"; package p.q; import "x.proto"; option csharp_namespace = "N\x41\101\u00e9";
            /* doc */ message M { map<string, int32> m = 1 [(o) = { a: [1, 2] }]; oneof c { group G = 2 { } } enum E { A = 0; } }
            service S { rpc U(M) returns (stream .p.q.M) { option (http) = { get: "/v1/{name=*}" }; } }
            """;

        for (var length = 0; length <= source.Length; length++)
        {
            var file = ProtoParser.Parse("prefix.proto", source.Substring(0, length));
            Assert.NotNull(file);
        }
        Assert.Equal("NAAé", ProtoParser.Parse("full.proto", source).CSharpNamespace);
    }
}
