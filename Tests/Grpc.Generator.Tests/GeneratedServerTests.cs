using System.Reflection;
using AspireProber.Generator.Tests.Shared;
using AspireProber.Grpc.Generator.Tests.Infrastructure;
using Grpc.Core;
using GeneratorTests.V1Alpha;

namespace AspireProber.Grpc.Generator.Tests;

/// <summary>The server side and descriptions the build generated from Protos/echo_lab.proto.</summary>
public class GeneratedServerTests
{
    [Fact]
    public void BaseMethodsAnswerUnimplemented()
    {
        var methods = typeof(EchoLab.EchoLabBase).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        var service = new NothingOverridden();

        Assert.Equal(new[] { "Chat", "Collect", "Echo", "EchoOptions", "Expand" }, methods.Select(method => method.Name).Order());
        Assert.All(methods, method =>
        {
            Assert.True(method.IsVirtual);
            var thrown = Assert.Throws<TargetInvocationException>(() => method.Invoke(service, new object?[method.GetParameters().Length]));
            Assert.Equal(StatusCode.Unimplemented, Assert.IsType<RpcException>(thrown.InnerException).StatusCode);
        });
    }

    [Fact]
    public void ServerSignaturesMatchGrpcDotnet()
    {
        Assert.Equal(typeof(Task<EchoReply>), Method("Echo", typeof(EchoRequest), typeof(ServerCallContext)).ReturnType);
        Assert.Equal(typeof(Task<Envelope>), Method("Collect", typeof(IAsyncStreamReader<EchoRequest>), typeof(ServerCallContext)).ReturnType);
        Assert.Equal(typeof(Task), Method("Expand", typeof(Envelope.Types.Header), typeof(IServerStreamWriter<EchoReply>), typeof(ServerCallContext)).ReturnType);
        Assert.Equal(typeof(Task), Method("Chat", typeof(IAsyncStreamReader<Google.Protobuf.WellKnownTypes.Empty>),
            typeof(IServerStreamWriter<Google.Protobuf.WellKnownTypes.Timestamp>), typeof(ServerCallContext)).ReturnType);

        static MethodInfo Method(string name, params System.Type[] parameters) =>
            typeof(EchoLab.EchoLabBase).GetMethod(name, parameters) ?? throw new Xunit.Sdk.XunitException("No " + name + " with those parameters");
    }

    [Fact]
    public void BindServiceRegistersEveryMethodWithItsShapeAndPath()
    {
        var binder = new RecordingServiceBinder<EchoImplementation>();

        EchoLab.BindService(binder);

        Assert.Equal(
            new[]
            {
                ("/generator_tests.v1alpha.EchoLab/Echo", MethodType.Unary, typeof(UnaryServiceMethod<EchoImplementation, EchoRequest, EchoReply>)),
                ("/generator_tests.v1alpha.EchoLab/Collect", MethodType.ClientStreaming, typeof(ClientStreamingServiceMethod<EchoImplementation, EchoRequest, Envelope>)),
                ("/generator_tests.v1alpha.EchoLab/Expand", MethodType.ServerStreaming, typeof(ServerStreamingServiceMethod<EchoImplementation, Envelope.Types.Header, EchoReply>)),
                ("/generator_tests.v1alpha.EchoLab/Chat", MethodType.DuplexStreaming,
                    typeof(DuplexStreamingServiceMethod<EchoImplementation, Google.Protobuf.WellKnownTypes.Empty, Google.Protobuf.WellKnownTypes.Timestamp>)),
                ("/generator_tests.v1alpha.EchoLab/EchoOptions", MethodType.Unary,
                    typeof(UnaryServiceMethod<EchoImplementation, EchoRequest.Types.Options, EchoRequest.Types.Options>)),
            },
            binder.Methods.Select(entry => (entry.Method.FullName, entry.Method.Type, entry.Handler.GetType())));
    }

    [Fact]
    public async Task BoundHandlersCallTheOverridesOfTheInstanceTheyAreGiven()
    {
        var binder = new RecordingServiceBinder<EchoImplementation>();
        EchoLab.BindService(binder);
        var echo = (UnaryServiceMethod<EchoImplementation, EchoRequest, EchoReply>)binder.Methods.Single(entry => entry.Method.Name == "Echo").Handler;

        var reply = await echo(new EchoImplementation(), new EchoRequest { Text = "ping" }, null!);

        Assert.Equal("echo: ping", reply.Text);
    }

    [Fact]
    public void BindServiceMethodAttributeLeadsToTheBindMethod()
    {
        var attribute = typeof(EchoImplementation).GetCustomAttribute<BindServiceMethodAttribute>();
        var binder = new RecordingServiceBinder<EchoImplementation>();

        Assert.NotNull(attribute);
        Assert.Equal(typeof(EchoLab), attribute.BindType);
        var bind = attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static);
        Assert.NotNull(bind);
        bind.MakeGenericMethod(typeof(EchoImplementation)).Invoke(null, new object[] { binder });
        Assert.Equal(5, binder.Methods.Count);
    }

    [Fact]
    public void DescriptorsNameTheirServicesAndMethods()
    {
        Assert.Equal(EchoLab.ServiceName, EchoLab.Descriptor.FullName);
        Assert.Equal("generator_tests.v1alpha.Pinger", Pinger.Descriptor.FullName);
        Assert.Equal("shared.common.Archive", Archive.Descriptor.FullName);
        Assert.Equal(new[] { "Echo", "Collect", "Expand", "Chat", "EchoOptions" }, EchoLab.Descriptor.Methods.Select(method => method.Name));
        Assert.Equal(typeof(EchoLab).Namespace, typeof(EchoRequest).Namespace);
    }

    private sealed class NothingOverridden : EchoLab.EchoLabBase
    {
    }

    private sealed class EchoImplementation : EchoLab.EchoLabBase
    {
        public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
            Task.FromResult(new EchoReply { Text = "echo: " + request.Text });
    }
}
