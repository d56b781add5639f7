using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace AspireProber.Grpc.Generator;

/// <summary>
/// Turns the parsed .proto files of a compilation into stub models: picks the services each file's
/// <c>GrpcServices</c> asks for, resolves their message types across files, and collects what went wrong.
/// </summary>
internal static class StubModelBuilder
{
    /// <summary>One result per file, in path order so output does not depend on the order of AdditionalFiles.</summary>
    public static ImmutableArray<ProtoFileStubs> Build(ImmutableArray<ProtoSource> sources)
    {
        var ordered = sources
            .GroupBy(source => source.File.Path, StringComparer.Ordinal)
            .Select(group => group.First())
            .OrderBy(source => source.File.Path, StringComparer.Ordinal)
            .ToList();
        var allFiles = ordered.Select(source => source.File).ToList();

        // Hint names must be unique in a compilation, and Roslyn compares them ignoring case.
        var emitted = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var results = ImmutableArray.CreateBuilder<ProtoFileStubs>(ordered.Count);
        foreach (var source in ordered)
        {
            results.Add(BuildFile(source, allFiles, emitted));
        }
        return results.MoveToImmutable();
    }

    private static ProtoFileStubs BuildFile(ProtoSource source, IReadOnlyList<ProtoFile> allFiles, Dictionary<string, string> emitted)
    {
        var file = source.File;
        var diagnostics = new List<DiagnosticInfo>();
        var services = new List<ServiceStub>();
        var (server, client, valid) = ParseGrpcStubs(source.GrpcStubs);
        if (!valid)
        {
            diagnostics.Add(new DiagnosticInfo(GeneratorDiagnostics.InvalidGrpcServices,
                "GrpcServices=\"" + source.GrpcStubs + "\" on " + file.Path + " is not one of Server, Client, Both or None.", file.Path, default));
        }
        else if (server || client)
        {
            // Files only imported for their messages (GrpcServices="None") are not checked: protoc reports their errors.
            if (file.SyntaxError is { } error)
            {
                diagnostics.Add(new DiagnosticInfo(GeneratorDiagnostics.SyntaxError, file.Path + ": " + error.Message, file.Path, error.Span));
            }
            else if (file.Services.Count > 0)
            {
                var symbols = ProtoSymbolTable.ForFile(file, allFiles);
                for (var index = 0; index < file.Services.Count; index++)
                {
                    if (BuildService(file, index, server, client, symbols, diagnostics) is not { } stub)
                    {
                        continue;
                    }
                    if (emitted.TryGetValue(stub.HintName, out var firstPath))
                    {
                        diagnostics.Add(new DiagnosticInfo(GeneratorDiagnostics.DuplicateService,
                            "Service " + stub.FullName + " is also defined in " + firstPath + "; rename one or change its package.", file.Path, default));
                        continue;
                    }
                    emitted.Add(stub.HintName, file.Path);
                    services.Add(stub);
                }
            }
        }
        return new ProtoFileStubs(new EquatableArray<ServiceStub>(services), new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    // A missing value means the file did not come through the Protobuf item (or its metadata was not made
    // compiler-visible); grpc-dotnet's default is Both.
    private static (bool Server, bool Client, bool Valid) ParseGrpcStubs(string? value) =>
        (value ?? "").Trim().ToLowerInvariant() switch
        {
            "" or "both" => (true, true, true),
            "server" => (true, false, true),
            "client" => (false, true, true),
            "none" => (false, false, true),
            _ => (false, false, false),
        };

    private static ServiceStub? BuildService(ProtoFile file, int index, bool server, bool client, ProtoSymbolTable symbols, List<DiagnosticInfo> diagnostics)
    {
        var service = file.Services[index];
        var fullName = file.Package.Length == 0 ? service.Name : file.Package + "." + service.Name;
        var marshallers = new List<MarshallerStub>();
        var methods = new List<MethodStub>();
        var failed = false;
        foreach (var rpc in service.Methods)
        {
            var scope = fullName + "." + rpc.Name;
            var request = Resolve(rpc.InputType, rpc.InputSpan, "request", scope);
            var response = Resolve(rpc.OutputType, rpc.OutputSpan, "response", scope);
            if (request is null || response is null)
            {
                failed = true;
                continue;
            }
            var type = rpc.ClientStreaming
                ? rpc.ServerStreaming ? StubMethodType.DuplexStreaming : StubMethodType.ClientStreaming
                : rpc.ServerStreaming ? StubMethodType.ServerStreaming : StubMethodType.Unary;
            methods.Add(new MethodStub(rpc.Name, rpc.Comment, type, request.CSharpName, response.CSharpName, Marshaller(request), Marshaller(response)));
        }
        if (failed)
        {
            return null;
        }

        var csharpNamespace = CSharpNames.FileNamespace(file);
        var descriptor = CSharpNames.Qualify(csharpNamespace, CSharpNames.ReflectionClassName(file.Path)) + ".Descriptor.Services[" + index + "]";
        return new ServiceStub(
            fullName + ".g.cs",
            FileName(file.Path),
            csharpNamespace,
            fullName,
            service.Name,
            service.Comment,
            descriptor,
            server,
            client,
            new EquatableArray<MarshallerStub>(marshallers),
            new EquatableArray<MethodStub>(methods));

        ProtoSymbol? Resolve(string typeName, SourceSpan span, string role, string scope)
        {
            var resolution = symbols.ResolveMessage(typeName, scope);
            if (resolution.Error is not null)
            {
                diagnostics.Add(new DiagnosticInfo(GeneratorDiagnostics.UnresolvedType,
                    "The " + role + " type of rpc " + fullName + "." + scope.Substring(fullName.Length + 1) + ": " + resolution.Error, file.Path, span));
            }
            return resolution.Message;
        }

        // One field per message type, named like grpc_csharp_plugin's (__Marshaller_pkg_Outer_Inner).
        string Marshaller(ProtoSymbol message)
        {
            var field = "__Marshaller_" + message.FullName.Replace('.', '_');
            if (!marshallers.Any(existing => existing.FieldName == field))
            {
                marshallers.Add(new MarshallerStub(field, message.CSharpName));
            }
            return field;
        }
    }

    private static string FileName(string path)
    {
        var normalized = path.Replace('\\', '/');
        return normalized.Substring(normalized.LastIndexOf('/') + 1);
    }
}
