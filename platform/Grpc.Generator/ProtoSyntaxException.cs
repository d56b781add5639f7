using System;

namespace AspireProber.Grpc.Generator;

/// <summary>Unwinds the tokenizer or parser to <see cref="ProtoParser.Parse"/>, which turns it into a <see cref="ProtoSyntaxError"/>.</summary>
internal sealed class ProtoSyntaxException : Exception
{
    public ProtoSyntaxException(string message, SourceSpan span) : base(message) => Span = span;

    public SourceSpan Span { get; }
}
