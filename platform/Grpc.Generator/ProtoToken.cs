namespace AspireProber.Grpc.Generator;

/// <summary>The lexical classes of the proto language the parser distinguishes.</summary>
internal enum ProtoTokenKind
{
    Identifier,
    String,
    Number,
    Symbol,
    End,
}

/// <summary>
/// One token. <see cref="Text"/> is the unescaped value for strings and the source text otherwise;
/// <see cref="LeadingComment"/> is the comment block attached to it the way protoc attaches documentation.
/// </summary>
internal readonly record struct ProtoToken(ProtoTokenKind Kind, string Text, SourceSpan Span, string LeadingComment)
{
    public bool IsSymbol(char symbol) => Kind == ProtoTokenKind.Symbol && Text.Length == 1 && Text[0] == symbol;

    public bool IsKeyword(string keyword) => Kind == ProtoTokenKind.Identifier && Text == keyword;
}
