using AspireProber.Grpc.Generator;

namespace AspireProber.Grpc.Generator.Tests;

public class CSharpNamesTests
{
    [Theory]
    [InlineData("grpc.reflection.v1alpha", "Grpc.Reflection.V1Alpha")]
    [InlineData("prober.v1", "Prober.V1")]
    [InlineData("generator_tests.v1alpha", "GeneratorTests.V1Alpha")]
    [InlineData("foo_bar.baz2x__q", "FooBar.Baz2XQ")]
    [InlineData("Mixed.camelCase", "Mixed.CamelCase")]
    [InlineData("_1st.pkg", "_1St.Pkg")]
    [InlineData("", "")]
    public void PackageBecomesNamespaceLikeProtoc(string package, string expected)
    {
        Assert.Equal(expected, CSharpNames.FileNamespace(File(package, csharpNamespace: null)));
    }

    [Theory]
    [InlineData("Explicit.Namespace")]
    [InlineData("")]
    public void CSharpNamespaceOptionWinsEvenWhenEmpty(string csharpNamespace)
    {
        Assert.Equal(csharpNamespace, CSharpNames.FileNamespace(File("some.package", csharpNamespace)));
    }

    [Theory]
    [InlineData("prober.proto", "ProberReflection")]
    [InlineData("/src/Protos/grpc/testing/field_mask.proto", "FieldMaskReflection")]
    [InlineData(@"C:\src\Protos\health_v1.proto", "HealthV1Reflection")]
    [InlineData("a/my-file.v2.proto", "MyFileV2Reflection")]
    public void ReflectionClassIsThePascalCasedFileName(string path, string expected)
    {
        Assert.Equal(expected, CSharpNames.ReflectionClassName(path));
    }

    [Theory]
    [InlineData("a.b", "Ns", "Outer", "global::Ns.Outer")]
    [InlineData("a.b", "Ns", "Outer.Inner.Deepest", "global::Ns.Outer.Types.Inner.Types.Deepest")]
    [InlineData("", "", "Top", "global::Top")]
    public void NestedTypesLiveUnderTypes(string package, string csharpNamespace, string name, string expected)
    {
        Assert.Equal(expected, CSharpNames.TypeName(File(package, csharpNamespace), name));
    }

    private static ProtoFile File(string package, string? csharpNamespace) =>
        new("f.proto", package, csharpNamespace, default, default, default, SyntaxError: null);
}
