using System.Collections.Generic;
using System.Text;

namespace AspireProber.Grpc.Generator;

/// <summary>
/// A tolerant recursive-descent parser for proto2/proto3/editions files. It records only what stubs need
/// (package, csharp_namespace, imports, message and enum names, services) and skips fields, options and
/// extensions by balancing brackets, so constructs it does not model cannot derail it.
/// </summary>
internal sealed class ProtoParser
{
    private readonly List<ProtoToken> tokens;
    private readonly List<ProtoImport> imports = new();
    private readonly List<ProtoTypeDecl> types = new();
    private readonly List<ProtoService> services = new();
    private string package = "";
    private bool packageSeen;
    private string? csharpNamespace;
    private int index;

    private ProtoParser(List<ProtoToken> tokens) => this.tokens = tokens;

    /// <summary>Parses a file; never throws — a syntax error is reported in <see cref="ProtoFile.SyntaxError"/>.</summary>
    public static ProtoFile Parse(string path, string text)
    {
        ProtoParser? parser = null;
        ProtoSyntaxError? error = null;
        try
        {
            parser = new ProtoParser(ProtoTokenizer.Tokenize(text));
            parser.ParseFile();
        }
        catch (ProtoSyntaxException e)
        {
            error = new ProtoSyntaxError(e.Message, e.Span);
        }

        return new ProtoFile(
            path,
            parser?.package ?? "",
            parser?.csharpNamespace,
            new EquatableArray<ProtoImport>(parser?.imports ?? new List<ProtoImport>()),
            new EquatableArray<ProtoTypeDecl>(parser?.types ?? new List<ProtoTypeDecl>()),
            new EquatableArray<ProtoService>(parser?.services ?? new List<ProtoService>()),
            error);
    }

    private ProtoToken Current => tokens[index];

    private void ParseFile()
    {
        while (Current.Kind != ProtoTokenKind.End)
        {
            if (TrySymbol(';'))
            {
                continue;
            }
            var keyword = ExpectIdentifier("Expected a top-level statement such as \"message\", \"service\" or \"import\".");
            switch (keyword.Text)
            {
                case "syntax":
                case "edition":
                    ExpectSymbol('=');
                    ExpectString();
                    ExpectSymbol(';');
                    break;
                case "package":
                    if (packageSeen)
                    {
                        throw Error(keyword, "Multiple package definitions: a file has at most one \"package\" statement.");
                    }
                    packageSeen = true;
                    package = ParseFullIdentifier();
                    ExpectSymbol(';');
                    break;
                case "import":
                    ParseImport();
                    break;
                case "option":
                    var (name, value) = ParseOption();
                    if (name == "csharp_namespace" && value is not null)
                    {
                        csharpNamespace = value;
                    }
                    break;
                case "message":
                    ParseMessage("");
                    break;
                case "enum":
                    ParseEnum("");
                    break;
                case "service":
                    ParseService(keyword);
                    break;
                case "extend":
                    ParseTypeName();
                    ExpectSymbol('{');
                    SkipToClosingBrace("extend block");
                    break;
                default:
                    throw Error(keyword, "Expected a top-level statement such as \"message\", \"service\" or \"import\".");
            }
        }
    }

    private void ParseImport()
    {
        var isPublic = false;
        if (Current.IsKeyword("public"))
        {
            isPublic = true;
            index++;
        }
        else if (Current.IsKeyword("weak"))
        {
            index++;
        }
        imports.Add(new ProtoImport(ExpectString(), isPublic));
        ExpectSymbol(';');
    }

    private void ParseMessage(string scope)
    {
        var name = ExpectIdentifier("Expected a message name.").Text;
        types.Add(new ProtoTypeDecl(scope + name, IsEnum: false));
        ExpectSymbol('{');
        ParseMessageBody(scope + name + ".", "message " + name);
    }

    // Message bodies and oneof bodies share this loop: a oneof adds no naming scope, and accepting a nested
    // message inside a oneof is harmless tolerance (protoc itself would reject it).
    private void ParseMessageBody(string scope, string what)
    {
        while (!TrySymbol('}'))
        {
            if (Current.Kind == ProtoTokenKind.End)
            {
                throw Error(Current, "Reached end of file inside " + what + ": add the missing \"}\".");
            }
            if (TrySymbol(';'))
            {
                continue;
            }
            switch (Current.Kind == ProtoTokenKind.Identifier ? Current.Text : "")
            {
                case "message":
                    index++;
                    ParseMessage(scope);
                    break;
                case "enum":
                    index++;
                    ParseEnum(scope);
                    break;
                case "oneof":
                    index++;
                    var oneof = ExpectIdentifier("Expected a oneof name.").Text;
                    ExpectSymbol('{');
                    ParseMessageBody(scope, "oneof " + oneof);
                    break;
                case "extend":
                    index++;
                    ParseTypeName();
                    ExpectSymbol('{');
                    SkipToClosingBrace("extend block");
                    break;
                case "option":
                    index++;
                    ParseOption();
                    break;
                default:
                    ParseField(scope);
                    break;
            }
        }
    }

    // Fields, map fields, reserved and extensions ranges are skipped up to their ';'. The one field form that
    // declares a type is the proto2 group ("repeated group Result = 1 { ... }"), a message named after the group.
    private void ParseField(string scope)
    {
        var start = Current;
        var groupAt = Current.IsKeyword("group") ? index : Peek(1).IsKeyword("group") ? index + 1 : -1;
        if (groupAt < 0 || Peek(groupAt - index + 1).Kind != ProtoTokenKind.Identifier)
        {
            SkipStatement(start);
            return;
        }

        index = groupAt + 1;
        var name = ExpectIdentifier("Expected a group name.").Text;
        while (!Current.IsSymbol('{'))
        {
            if (Current.Kind == ProtoTokenKind.End || Current.IsSymbol(';'))
            {
                throw Error(Current, "Expected \"{\" to start the body of group " + name + ".");
            }
            SkipToken();
        }
        index++;
        types.Add(new ProtoTypeDecl(scope + name, IsEnum: false));
        ParseMessageBody(scope + name + ".", "group " + name);
    }

    private void ParseEnum(string scope)
    {
        var name = ExpectIdentifier("Expected an enum name.").Text;
        types.Add(new ProtoTypeDecl(scope + name, IsEnum: true));
        ExpectSymbol('{');
        SkipToClosingBrace("enum " + name);
    }

    private void ParseService(ProtoToken keyword)
    {
        var name = ExpectIdentifier("Expected a service name.").Text;
        ExpectSymbol('{');
        var methods = new List<ProtoRpc>();
        while (!TrySymbol('}'))
        {
            if (TrySymbol(';'))
            {
                continue;
            }
            if (Current.IsKeyword("option"))
            {
                index++;
                ParseOption();
            }
            else if (Current.IsKeyword("rpc"))
            {
                methods.Add(ParseRpc());
            }
            else
            {
                throw Error(Current, Current.Kind == ProtoTokenKind.End
                    ? "Reached end of file inside service " + name + ": add the missing \"}\"."
                    : "Expected \"rpc\" or \"option\" in service " + name + ".");
            }
        }
        services.Add(new ProtoService(name, keyword.LeadingComment, new EquatableArray<ProtoRpc>(methods)));
    }

    private ProtoRpc ParseRpc()
    {
        var keyword = Current;
        index++;
        var name = ExpectIdentifier("Expected a method name after \"rpc\".").Text;
        var (inputType, clientStreaming, inputSpan) = ParseRpcMessage();
        if (!Current.IsKeyword("returns"))
        {
            throw Error(Current, "Expected \"returns\" after the request type of rpc " + name + ".");
        }
        index++;
        var (outputType, serverStreaming, outputSpan) = ParseRpcMessage();
        if (TrySymbol('{'))
        {
            while (!TrySymbol('}'))
            {
                if (TrySymbol(';'))
                {
                    continue;
                }
                if (!Current.IsKeyword("option"))
                {
                    throw Error(Current, "Expected \"option\" or \"}\" in the body of rpc " + name + ".");
                }
                index++;
                ParseOption();
            }
        }
        else
        {
            ExpectSymbol(';');
        }
        return new ProtoRpc(name, keyword.LeadingComment, inputType, clientStreaming, inputSpan, outputType, serverStreaming, outputSpan);
    }

    // "( [stream] Type )". As in protoc, "stream" is the keyword ("stream.A" is stream + ".A"); tolerated as a lone type name.
    private (string Type, bool Streaming, SourceSpan Span) ParseRpcMessage()
    {
        ExpectSymbol('(');
        var streaming = false;
        if (Current.IsKeyword("stream") && !Peek(1).IsSymbol(')'))
        {
            streaming = true;
            index++;
        }
        var start = Current.Span;
        var type = ParseTypeName();
        var end = tokens[index - 1].Span;
        ExpectSymbol(')');
        return (type, streaming, new SourceSpan(start.Start, end.Start + end.Length - start.Start, start.StartLine, start.StartColumn, end.EndLine, end.EndColumn));
    }

    // "option name = value;" with name like "deprecated", "(my.ext)" or "(my.ext).field". Returns the string value
    // when the value is a string literal (adjacent literals concatenate), since only csharp_namespace is needed.
    private (string Name, string? Value) ParseOption()
    {
        var name = new StringBuilder();
        while (true)
        {
            if (TrySymbol('('))
            {
                name.Append('(').Append(ParseTypeName()).Append(')');
                ExpectSymbol(')');
            }
            else
            {
                name.Append(ExpectIdentifier("Expected an option name.").Text);
            }
            if (!TrySymbol('.'))
            {
                break;
            }
            name.Append('.');
        }
        ExpectSymbol('=');

        string? value = null;
        if (TrySymbol('{'))
        {
            SkipToClosingBrace("option value");
        }
        else if (Current.Kind == ProtoTokenKind.String)
        {
            var text = new StringBuilder();
            while (Current.Kind == ProtoTokenKind.String)
            {
                text.Append(Current.Text);
                index++;
            }
            value = text.ToString();
        }
        else
        {
            if (Current.IsSymbol('-') || Current.IsSymbol('+'))
            {
                index++;
            }
            if (Current.Kind != ProtoTokenKind.Identifier && Current.Kind != ProtoTokenKind.Number)
            {
                throw Error(Current, "Expected a value for option " + name + ".");
            }
            index++;
        }
        ExpectSymbol(';');
        return (name.ToString(), value);
    }

    // A possibly qualified name: ".a.b.C", "b.C" or "C".
    private string ParseTypeName()
    {
        var name = new StringBuilder();
        if (TrySymbol('.'))
        {
            name.Append('.');
        }
        name.Append(ExpectIdentifier("Expected a type name.").Text);
        while (TrySymbol('.'))
        {
            name.Append('.').Append(ExpectIdentifier("Expected an identifier after \".\" in a qualified name.").Text);
        }
        return name.ToString();
    }

    private string ParseFullIdentifier()
    {
        var name = new StringBuilder(ExpectIdentifier("Expected a package name.").Text);
        while (TrySymbol('.'))
        {
            name.Append('.').Append(ExpectIdentifier("Expected an identifier after \".\" in the package name.").Text);
        }
        return name.ToString();
    }

    // Skips to the ';' that ends the statement, stepping over bracketed groups (field options, aggregate values).
    private void SkipStatement(ProtoToken start)
    {
        while (!TrySymbol(';'))
        {
            if (Current.Kind == ProtoTokenKind.End || Current.IsSymbol('}'))
            {
                throw Error(Current, "Expected \";\" to end the statement that starts with \"" + start.Text + "\" on line " + (start.Span.StartLine + 1) + ".");
            }
            SkipToken();
        }
    }

    private void SkipToken()
    {
        var token = Current;
        index++;
        var close = token.IsSymbol('{') ? '}' : token.IsSymbol('[') ? ']' : token.IsSymbol('(') ? ')' : '\0';
        if (close != '\0')
        {
            SkipBalanced(token, close);
        }
    }

    private void SkipToClosingBrace(string what)
    {
        while (!TrySymbol('}'))
        {
            if (Current.Kind == ProtoTokenKind.End)
            {
                throw Error(Current, "Reached end of file inside " + what + ": add the missing \"}\".");
            }
            SkipToken();
        }
    }

    private void SkipBalanced(ProtoToken open, char close)
    {
        while (!TrySymbol(close))
        {
            if (Current.Kind == ProtoTokenKind.End)
            {
                throw Error(open, "\"" + open.Text + "\" is never closed: add \"" + close + "\".");
            }
            SkipToken();
        }
    }

    private ProtoToken ExpectIdentifier(string message)
    {
        var token = Current;
        if (token.Kind != ProtoTokenKind.Identifier)
        {
            throw Error(token, message);
        }
        index++;
        return token;
    }

    private string ExpectString()
    {
        var token = Current;
        if (token.Kind != ProtoTokenKind.String)
        {
            throw Error(token, "Expected a string literal.");
        }
        index++;
        return token.Text;
    }

    private void ExpectSymbol(char symbol)
    {
        if (!TrySymbol(symbol))
        {
            throw Error(Current, "Expected \"" + symbol + "\".");
        }
    }

    private bool TrySymbol(char symbol)
    {
        if (!Current.IsSymbol(symbol))
        {
            return false;
        }
        index++;
        return true;
    }

    private ProtoToken Peek(int offset) => tokens[System.Math.Min(index + offset, tokens.Count - 1)];

    private static ProtoSyntaxException Error(ProtoToken at, string message) =>
        new(at.Kind == ProtoTokenKind.End ? message : message + " (at \"" + at.Text + "\")", at.Span);
}
