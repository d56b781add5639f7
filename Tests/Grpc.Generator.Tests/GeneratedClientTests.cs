using System.Reflection;
using AspireProber.Generator.Tests.Shared;
using AspireProber.Grpc.Generator.Tests.Infrastructure;
using Grpc.Core;
using GeneratorTests.V1Alpha;

namespace AspireProber.Grpc.Generator.Tests;

/// <summary>The client the build generated from Protos/echo_lab.proto (GrpcServices="Both").</summary>
public class GeneratedClientTests
{
    private const string Loose = "Metadata = default, DateTime? = default, CancellationToken = default";

    [Fact]
    public void HasGrpcDotnetsOverloadSetForEveryCallShape()
    {
        var methods = typeof(EchoLab.EchoLabClient)
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .ToList();

        Assert.All(methods, method => Assert.True(method.IsVirtual, method.Name + " should be virtual"));
        Assert.Equal(
            new[]
            {
                "AsyncClientStreamingCall<EchoRequest, Envelope> Collect(CallOptions)",
                "AsyncClientStreamingCall<EchoRequest, Envelope> Collect(" + Loose + ")",
                "AsyncDuplexStreamingCall<Empty, Timestamp> Chat(CallOptions)",
                "AsyncDuplexStreamingCall<Empty, Timestamp> Chat(" + Loose + ")",
                "AsyncServerStreamingCall<EchoReply> Expand(Header, CallOptions)",
                "AsyncServerStreamingCall<EchoReply> Expand(Header, " + Loose + ")",
                "AsyncUnaryCall<EchoReply> EchoAsync(EchoRequest, CallOptions)",
                "AsyncUnaryCall<EchoReply> EchoAsync(EchoRequest, " + Loose + ")",
                "AsyncUnaryCall<Options> EchoOptionsAsync(Options, CallOptions)",
                "AsyncUnaryCall<Options> EchoOptionsAsync(Options, " + Loose + ")",
                "EchoReply Echo(EchoRequest, CallOptions)",
                "EchoReply Echo(EchoRequest, " + Loose + ")",
                "Options EchoOptions(Options, CallOptions)",
                "Options EchoOptions(Options, " + Loose + ")",
            },
            methods.Select(Signature).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EachMethodStartsItsCallThroughTheMatchingInvokerEntryPoint()
    {
        var invoker = new RecordingCallInvoker();
        var client = new EchoLab.EchoLabClient(invoker);
        var request = new EchoRequest { Text = "hi" };
        var header = new Envelope.Types.Header { Id = "h" };

        client.Echo(request);
        client.EchoAsync(request);
        client.Expand(header);
        client.Collect();
        client.Chat();
        client.EchoOptions(new EchoRequest.Types.Options { Upper = true });

        Assert.Equal(
            new (string, IMethod, object?)[]
            {
                ("BlockingUnaryCall", EchoLab.__Method_Echo, request),
                ("AsyncUnaryCall", EchoLab.__Method_Echo, request),
                ("AsyncServerStreamingCall", EchoLab.__Method_Expand, header),
                ("AsyncClientStreamingCall", EchoLab.__Method_Collect, null),
                ("AsyncDuplexStreamingCall", EchoLab.__Method_Chat, null),
                ("BlockingUnaryCall", EchoLab.__Method_EchoOptions, new EchoRequest.Types.Options { Upper = true }),
            },
            invoker.Calls.Select(call => (call.EntryPoint, call.Method, call.Request)));
    }

    [Fact]
    public void LooseParametersArePassedAsCallOptions()
    {
        var invoker = new RecordingCallInvoker();
        var client = new EchoLab.EchoLabClient(invoker);
        var headers = new Metadata { { "x-probe", "1" } };
        var deadline = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        using var cancellation = new CancellationTokenSource();

        client.Chat(headers, deadline, cancellation.Token);

        var options = Assert.Single(invoker.Calls).Options;
        Assert.Same(headers, options.Headers);
        Assert.Equal(deadline, options.Deadline);
        Assert.Equal(cancellation.Token, options.CancellationToken);
    }

    [Fact]
    public void WithInterceptorsMakesAnotherClientOfTheSameType()
    {
        var client = new EchoLab.EchoLabClient(new RecordingCallInvoker());

        var intercepted = client.WithInterceptors();

        Assert.IsType<EchoLab.EchoLabClient>(intercepted);
        Assert.NotSame(client, intercepted);
    }

    [Fact]
    public void ServerOnlyFilesGetNoClient()
    {
        Assert.NotNull(typeof(Archive).GetNestedType("ArchiveBase"));
        Assert.Null(typeof(Archive).GetNestedType("ArchiveClient"));
        Assert.NotNull(typeof(EchoLab).GetNestedType("EchoLabClient"));
    }

    private static string Signature(MethodInfo method) =>
        TypeName(method.ReturnType) + " " + method.Name + "(" +
        string.Join(", ", method.GetParameters().Select(parameter => TypeName(parameter.ParameterType) + (parameter.HasDefaultValue ? " = default" : ""))) + ")";

    private static string TypeName(System.Type type) =>
        Nullable.GetUnderlyingType(type) is { } underlying ? TypeName(underlying) + "?"
        : type.IsGenericType ? type.Name[..type.Name.IndexOf('`')] + "<" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ">"
        : type.Name;
}
