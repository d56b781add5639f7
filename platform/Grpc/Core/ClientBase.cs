using Grpc.Core.Interceptors;

namespace Grpc.Core;

/// <summary>Base of generated clients: holds the call invoker every method starts its call with.</summary>
public abstract class ClientBase
{
    /// <summary>A client over a channel.</summary>
    protected ClientBase(ChannelBase channel) : this(channel.CreateCallInvoker()) { }

    /// <summary>A client over a call invoker (e.g. an intercepted one).</summary>
    protected ClientBase(CallInvoker callInvoker) => CallInvoker = callInvoker ?? throw new ArgumentNullException(nameof(callInvoker));

    /// <summary>The invoker that starts this client's calls.</summary>
    protected internal CallInvoker CallInvoker { get; }
}

/// <summary>Base of generated clients that can make copies of themselves over another invoker.</summary>
public abstract class ClientBase<T> : ClientBase where T : ClientBase<T>
{
    /// <summary>A client over a channel.</summary>
    protected ClientBase(ChannelBase channel) : base(channel) { }

    /// <summary>A client over a call invoker.</summary>
    protected ClientBase(CallInvoker callInvoker) : base(callInvoker) { }

    /// <summary>A client of the same type over another invoker (the generator implements it).</summary>
    protected abstract T NewInstance(CallInvoker callInvoker);

    /// <summary>A copy of this client whose calls pass through the interceptors (first one outermost).</summary>
    public T WithInterceptors(params Interceptor[] interceptors) => NewInstance(CallInvoker.Intercept(interceptors));
}
