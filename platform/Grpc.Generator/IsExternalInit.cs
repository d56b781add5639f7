// netstandard2.0 lacks the marker type the compiler needs for records and init-only setters.
namespace System.Runtime.CompilerServices;

/// <summary>Compiler marker for init-only members, absent from netstandard2.0.</summary>
internal static class IsExternalInit
{
}
