namespace Grpc.Core;

/// <summary>A channel: a named target that creates call invokers for clients.</summary>
public abstract class ChannelBase
{
    /// <summary>Creates the channel base for a target.</summary>
    protected ChannelBase(string target) => Target = target;

    /// <summary>The target this channel calls (an address, or a list of them).</summary>
    public string Target { get; }

    /// <summary>Creates the invoker that clients of this channel start calls with.</summary>
    public abstract CallInvoker CreateCallInvoker();
}
