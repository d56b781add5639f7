using System.Collections.Generic;
using System.Linq;

namespace AspireProber.Grpc.Generator;

/// <summary>
/// The Google well-known type files, which Google.Protobuf ships compiled (namespace
/// <c>Google.Protobuf.WellKnownTypes</c>) and which therefore are never <c>Protobuf</c> items of a project.
/// An import of one of these paths that no AdditionalFile satisfies resolves here.
/// </summary>
internal static class WellKnownTypes
{
    private static readonly Dictionary<string, ProtoFile> Files = new[]
    {
        File("any", "Any"),
        File("api", "Api", "Method", "Mixin"),
        File("duration", "Duration"),
        File("empty", "Empty"),
        File("field_mask", "FieldMask"),
        File("source_context", "SourceContext"),
        File("struct", "Struct", "Value", "ListValue"),
        File("timestamp", "Timestamp"),
        File("type", "Type", "Field", "Enum", "EnumValue", "Option"),
        File("wrappers", "DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value", "UInt32Value", "BoolValue", "StringValue", "BytesValue"),
    }.ToDictionary(file => file.Path);

    /// <summary>The built-in file for an import path such as <c>google/protobuf/empty.proto</c>, or null.</summary>
    public static ProtoFile? Find(string importPath) => Files.TryGetValue(importPath, out var file) ? file : null;

    private static ProtoFile File(string baseName, params string[] messages) => new(
        "google/protobuf/" + baseName + ".proto",
        "google.protobuf",
        "Google.Protobuf.WellKnownTypes",
        default,
        new EquatableArray<ProtoTypeDecl>(messages.Select(name => new ProtoTypeDecl(name, IsEnum: false))),
        default,
        SyntaxError: null);
}
