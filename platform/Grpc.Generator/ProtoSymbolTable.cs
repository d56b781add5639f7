using System;
using System.Collections.Generic;

namespace AspireProber.Grpc.Generator;

/// <summary>What a fully qualified proto name denotes.</summary>
internal enum ProtoSymbolKind
{
    Package,
    Message,
    Enum,
}

/// <summary>A named proto entity visible from a file, with the C# type protoc generates for it (empty for packages).</summary>
internal sealed record ProtoSymbol(ProtoSymbolKind Kind, string FullName, string CSharpName);

/// <summary>The outcome of resolving a type name: the message it names, or why it names none.</summary>
internal readonly record struct ProtoTypeResolution(ProtoSymbol? Message, string? Error);

/// <summary>
/// The names visible from one file — its own, its imports' and their public imports' — resolved with protobuf's
/// scoping rules (descriptor.cc's LookupSymbol), so the stubs pick the type protoc picked.
/// </summary>
internal sealed class ProtoSymbolTable
{
    private readonly Dictionary<string, ProtoSymbol> symbols = new(StringComparer.Ordinal);

    private ProtoSymbolTable()
    {
    }

    /// <summary>The symbols visible from <paramref name="file"/>, with imports looked up among <paramref name="allFiles"/>.</summary>
    public static ProtoSymbolTable ForFile(ProtoFile file, IReadOnlyList<ProtoFile> allFiles)
    {
        var table = new ProtoSymbolTable();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        table.Add(file, visited);
        foreach (var import in file.Imports)
        {
            table.AddImport(import.Path, allFiles, visited);
        }
        return table;
    }

    /// <summary>
    /// The file an import names: an AdditionalFile whose path ends with the import path at a folder boundary
    /// (imports are relative to a proto root the generator does not know), else a well-known type file.
    /// </summary>
    public static ProtoFile? FindImport(string importPath, IReadOnlyList<ProtoFile> allFiles)
    {
        var wanted = importPath.Replace('\\', '/');
        foreach (var candidate in allFiles)
        {
            var path = candidate.Path.Replace('\\', '/');
            if (path == wanted || path.EndsWith("/" + wanted, StringComparison.Ordinal))
            {
                return candidate;
            }
        }
        return WellKnownTypes.Find(wanted);
    }

    /// <summary>
    /// Resolves <paramref name="name"/> as written inside <paramref name="scope"/> (e.g. <c>pkg.Service.Method</c>):
    /// a leading dot means fully qualified; otherwise the first component is looked up from the innermost scope
    /// outward, and once it names a package or message the rest must be found inside that one.
    /// </summary>
    public ProtoTypeResolution ResolveMessage(string name, string scope)
    {
        if (name.StartsWith(".", StringComparison.Ordinal))
        {
            return AsMessage(name, Lookup(name.Substring(1)), name.Substring(1));
        }

        var firstDot = name.IndexOf('.');
        var firstPart = firstDot < 0 ? name : name.Substring(0, firstDot);
        var outer = scope;
        while (true)
        {
            var dot = outer.LastIndexOf('.');
            if (dot < 0)
            {
                return AsMessage(name, Lookup(name), name);
            }
            outer = outer.Substring(0, dot);
            var found = Lookup(outer + "." + firstPart);
            if (found is null)
            {
                continue;
            }
            if (firstDot >= 0)
            {
                // A compound name binds to the innermost scope that has its first part (packages, messages and
                // enums are all aggregates), even if the rest is not there: protobuf's rule, and why ".a.B" exists.
                var fullName = outer + "." + name;
                return Lookup(fullName) is { } resolved
                    ? AsMessage(name, resolved, fullName)
                    : new ProtoTypeResolution(null,
                        "\"" + name + "\" is resolved to \"" + fullName + "\", which is not defined; write the full name with a leading dot (\".<package>." + name + "\") if you meant a type of another package.");
            }
            else if (found.Kind != ProtoSymbolKind.Package)
            {
                return AsMessage(name, found, found.FullName);
            }
        }
    }

    private static ProtoTypeResolution AsMessage(string written, ProtoSymbol? symbol, string fullName) => symbol?.Kind switch
    {
        ProtoSymbolKind.Message => new ProtoTypeResolution(symbol, null),
        ProtoSymbolKind.Enum => new ProtoTypeResolution(null, "\"" + written + "\" is the enum \"" + fullName + "\"; rpc requests and responses must be messages."),
        ProtoSymbolKind.Package => new ProtoTypeResolution(null, "\"" + written + "\" is a package, not a message."),
        _ => new ProtoTypeResolution(null,
            "\"" + written + "\" is not defined. Declare the message in this file, or import the .proto that declares it and make that file a <Protobuf> item of the project (well-known types need their import, e.g. \"google/protobuf/empty.proto\")."),
    };

    private ProtoSymbol? Lookup(string fullName) => symbols.TryGetValue(fullName, out var symbol) ? symbol : null;

    private void AddImport(string importPath, IReadOnlyList<ProtoFile> allFiles, HashSet<string> visited)
    {
        if (FindImport(importPath, allFiles) is not { } imported || !Add(imported, visited))
        {
            return;
        }
        foreach (var reexported in imported.Imports)
        {
            if (reexported.IsPublic)
            {
                AddImport(reexported.Path, allFiles, visited);
            }
        }
    }

    private bool Add(ProtoFile file, HashSet<string> visited)
    {
        if (!visited.Add(file.Path))
        {
            return false;
        }

        var package = file.Package;
        for (var dot = package.IndexOf('.'); package.Length > 0; dot = package.IndexOf('.', dot + 1))
        {
            var prefix = dot < 0 ? package : package.Substring(0, dot);
            AddSymbol(new ProtoSymbol(ProtoSymbolKind.Package, prefix, ""));
            if (dot < 0)
            {
                break;
            }
        }

        foreach (var type in file.Types)
        {
            var fullName = package.Length == 0 ? type.Name : package + "." + type.Name;
            AddSymbol(new ProtoSymbol(type.IsEnum ? ProtoSymbolKind.Enum : ProtoSymbolKind.Message, fullName, CSharpNames.TypeName(file, type.Name)));
        }
        return true;
    }

    // Duplicate definitions are protoc's error to report; the first one wins here.
    private void AddSymbol(ProtoSymbol symbol)
    {
        if (!symbols.ContainsKey(symbol.FullName))
        {
            symbols.Add(symbol.FullName, symbol);
        }
    }
}
