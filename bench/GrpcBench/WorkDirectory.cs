namespace AspireProber.GrpcBench;

/// <summary>A temporary folder for what the bench builds (Go binaries, their cache, request files); deleted on dispose.</summary>
internal sealed class WorkDirectory : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("grpcbench-");

    public string PathOf(string name) => Path.Combine(_directory.FullName, name);

    public void Dispose() => _directory.Delete(recursive: true);
}
