namespace Aspire.Hosting;

/// <summary>An error in the application model or in running it.</summary>
public sealed class DistributedApplicationException(string message) : Exception(message);
