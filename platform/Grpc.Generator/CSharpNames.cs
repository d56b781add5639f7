using System.Text;

namespace AspireProber.Grpc.Generator;

/// <summary>
/// protoc's C# naming rules (src/google/protobuf/compiler/csharp/names.cc), reimplemented so the stubs name the
/// same namespaces and classes as the messages protoc generates next to them.
/// </summary>
internal static class CSharpNames
{
    /// <summary>The file's C# namespace: <c>csharp_namespace</c> if set (even empty), else the package Pascal-cased per segment.</summary>
    public static string FileNamespace(ProtoFile file) => file.CSharpNamespace ?? UnderscoresToCamelCase(file.Package, capitalizeNext: true, preservePeriod: true);

    /// <summary>The protoc reflection class of a file, e.g. <c>prober/v1/prober_api.proto</c> → <c>ProberApiReflection</c>.</summary>
    public static string ReflectionClassName(string protoPath)
    {
        var name = protoPath.Replace('\\', '/');
        name = name.Substring(name.LastIndexOf('/') + 1);
        var dot = name.LastIndexOf('.');
        if (dot >= 0)
        {
            name = name.Substring(0, dot);
        }
        return UnderscoresToCamelCase(name, capitalizeNext: true, preservePeriod: false) + "Reflection";
    }

    /// <summary>The fully qualified C# name (with <c>global::</c>) of a type declared in a file, nested types under <c>.Types.</c>.</summary>
    public static string TypeName(ProtoFile file, string nameInPackage) =>
        Qualify(FileNamespace(file), nameInPackage.Replace(".", ".Types."));

    /// <summary><c>global::</c> plus the namespace (if any) plus the name.</summary>
    public static string Qualify(string csharpNamespace, string name) =>
        "global::" + (csharpNamespace.Length == 0 ? name : csharpNamespace + "." + name);

    /// <summary>
    /// protoc's UnderscoresToCamelCase: letters after a non-letter (underscore, digit, separator) are upper-cased,
    /// other separators are dropped, and periods are kept when asked, so <c>grpc.reflection.v1alpha</c> becomes
    /// <c>Grpc.Reflection.V1Alpha</c>.
    /// </summary>
    public static string UnderscoresToCamelCase(string input, bool capitalizeNext, bool preservePeriod)
    {
        var result = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (c >= 'a' && c <= 'z')
            {
                result.Append(capitalizeNext ? (char)(c - 'a' + 'A') : c);
                capitalizeNext = false;
            }
            else if (c >= 'A' && c <= 'Z')
            {
                // protoc lower-cases only a leading capital it was not asked to keep; later capitals stay.
                result.Append(i == 0 && !capitalizeNext ? (char)(c - 'A' + 'a') : c);
                capitalizeNext = false;
            }
            else if (c >= '0' && c <= '9')
            {
                result.Append(c);
                capitalizeNext = true;
            }
            else
            {
                capitalizeNext = true;
                if (c == '.' && preservePeriod)
                {
                    result.Append('.');
                }
            }
        }

        // An identifier cannot start with a digit, so protoc keeps one underscore when "_1abc" would lose it.
        if (result.Length > 0 && char.IsDigit(result[0]) && input.Length > 0 && input[0] == '_')
        {
            result.Insert(0, '_');
        }
        return result.ToString();
    }
}
