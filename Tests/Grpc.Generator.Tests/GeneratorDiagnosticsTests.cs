using AspireProber.Grpc.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AspireProber.Grpc.Generator.Tests;

public class GeneratorDiagnosticsTests
{
    [Fact]
    public void UnknownTypeIsAnErrorAtItsPlaceInTheProto()
    {
        var result = GeneratorHarness.Run(new ProtoInput("/p/svc.proto", """
            syntax = "proto3";
            package demo.v1;
            message Known {}
            service Demo {
              rpc Call(Known) returns (Unknown);
            }
            """));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("APGRPC001", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("response type of rpc demo.v1.Demo.Call", diagnostic.GetMessage());
        Assert.Contains("\"Unknown\" is not defined", diagnostic.GetMessage());
        var location = diagnostic.Location.GetLineSpan();
        Assert.Equal("/p/svc.proto", location.Path);
        Assert.Equal((4, 27), (location.StartLinePosition.Line, location.StartLinePosition.Character));
        Assert.Empty(result.GeneratedSources);
        Assert.Null(result.Exception);
    }

    [Fact]
    public void SyntaxErrorIsReportedAndNothingIsGenerated()
    {
        var result = GeneratorHarness.Run(new ProtoInput("/p/broken.proto", "syntax = \"proto3\";\nservice Demo {\n  rpc Call(M) returns (M)\n}\nmessage M {}"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("APGRPC002", diagnostic.Id);
        Assert.Contains("Expected \";\"", diagnostic.GetMessage());
        Assert.Equal(3, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void SyntaxErrorsOfMessageOnlyFilesAreLeftToProtoc()
    {
        var result = GeneratorHarness.Run(new ProtoInput("/p/broken.proto", "message {", GrpcServices: "None"));

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void InvalidGrpcServicesValueIsReported()
    {
        var result = GeneratorHarness.Run(new ProtoInput("/p/a.proto", "service S {}", GrpcServices: "Clients"));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("APGRPC003", diagnostic.Id);
        Assert.Contains("GrpcServices=\"Clients\"", diagnostic.GetMessage());
    }

    [Fact]
    public void ServiceDefinedTwiceIsReportedOnTheSecondFile()
    {
        const string proto = "package p; message M {} service S { rpc A(M) returns (M); }";
        var result = GeneratorHarness.Run(new ProtoInput("/p/b.proto", proto), new ProtoInput("/p/a.proto", proto));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("APGRPC004", diagnostic.Id);
        Assert.Equal("/p/b.proto", diagnostic.Location.GetLineSpan().Path);
        Assert.Single(result.GeneratedSources);
    }

    [Fact]
    public void OneBadServiceDoesNotStopTheOthers()
    {
        var result = GeneratorHarness.Run(new ProtoInput("/p/two.proto", """
            package p;
            message M {}
            service Bad { rpc A(Nope) returns (M); }
            service Good { rpc A(M) returns (M); }
            """));

        Assert.Equal("APGRPC001", Assert.Single(result.Diagnostics).Id);
        Assert.Equal("p.Good.g.cs", Assert.Single(result.GeneratedSources).HintName);
    }
}
