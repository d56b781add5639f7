using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Grpc.Reflection;

/// <summary>
/// What reflection answers from: the server's services and every .proto file reachable from their
/// descriptors, indexed by file name and by fully qualified symbol.
/// </summary>
internal sealed class ReflectionIndex
{
    private readonly Dictionary<string, FileDescriptor> _filesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _filesBySymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<FieldDescriptor>> _extensionsByType = new(StringComparer.Ordinal);

    public ReflectionIndex(IEnumerable<string> serviceNames, IEnumerable<ServiceDescriptor> services)
    {
        ServiceNames = serviceNames.Order(StringComparer.Ordinal).ToArray();
        foreach (var service in services)
        {
            AddFile(service.File);
        }
    }

    /// <summary>The fully qualified names of the services the server offers.</summary>
    public IReadOnlyList<string> ServiceNames { get; }

    public FileDescriptor? FindFileByName(string name) => _filesByName.GetValueOrDefault(name);

    public FileDescriptor? FindFileBySymbol(string symbol) => _filesBySymbol.GetValueOrDefault(symbol.TrimStart('.'));

    public FileDescriptor? FindFileByExtension(string containingType, int number) =>
        _extensionsByType.GetValueOrDefault(containingType.TrimStart('.'))?.FirstOrDefault(e => e.FieldNumber == number)?.File;

    public IReadOnlyList<int>? ExtensionNumbers(string type) =>
        _filesBySymbol.ContainsKey(type.TrimStart('.'))
            ? _extensionsByType.GetValueOrDefault(type.TrimStart('.'))?.Select(e => e.FieldNumber).ToArray() ?? []
            : null;

    /// <summary>The file's serialized FileDescriptorProto first, then those of all it imports, transitively.</summary>
    public static IReadOnlyList<ByteString> WithDependencies(FileDescriptor file)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ByteString>();
        var pending = new Stack<FileDescriptor>([file]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next.Name))
            {
                continue;
            }
            result.Add(next.SerializedData);
            foreach (var dependency in next.Dependencies)
            {
                pending.Push(dependency);
            }
        }
        return result;
    }

    private void AddFile(FileDescriptor file)
    {
        if (!_filesByName.TryAdd(file.Name, file))
        {
            return;
        }
        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }
        foreach (var service in file.Services)
        {
            _filesBySymbol[service.FullName] = file;
            foreach (var method in service.Methods)
            {
                _filesBySymbol[method.FullName] = file;
            }
        }
        foreach (var message in file.MessageTypes)
        {
            AddMessage(message, file);
        }
        foreach (var enumType in file.EnumTypes)
        {
            _filesBySymbol[enumType.FullName] = file;
        }
        foreach (var extension in file.Extensions.UnorderedExtensions)
        {
            AddExtension(extension);
        }
    }

    private void AddMessage(MessageDescriptor message, FileDescriptor file)
    {
        _filesBySymbol[message.FullName] = file;
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(nested, file);
        }
        foreach (var enumType in message.EnumTypes)
        {
            _filesBySymbol[enumType.FullName] = file;
        }
        foreach (var extension in message.Extensions.UnorderedExtensions)
        {
            AddExtension(extension);
        }
    }

    private void AddExtension(FieldDescriptor extension)
    {
        var extendee = extension.ExtendeeType.FullName;
        if (!_extensionsByType.TryGetValue(extendee, out var list))
        {
            _extensionsByType[extendee] = list = new List<FieldDescriptor>();
        }
        list.Add(extension);
    }
}
