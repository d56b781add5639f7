namespace Grpc.Core;

/// <summary>Handles a unary call.</summary>
public delegate Task<TResponse> UnaryServerMethod<TRequest, TResponse>(TRequest request, ServerCallContext context);

/// <summary>Handles a client-streaming call.</summary>
public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context);

/// <summary>Handles a server-streaming call.</summary>
public delegate Task ServerStreamingServerMethod<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

/// <summary>Handles a duplex-streaming call.</summary>
public delegate Task DuplexStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

/// <summary>Invokes a unary method on a service instance created for the call.</summary>
public delegate Task<TResponse> UnaryServiceMethod<in TService, TRequest, TResponse>(TService service, TRequest request, ServerCallContext context);

/// <summary>Invokes a client-streaming method on a service instance created for the call.</summary>
public delegate Task<TResponse> ClientStreamingServiceMethod<in TService, TRequest, TResponse>(TService service, IAsyncStreamReader<TRequest> requestStream, ServerCallContext context);

/// <summary>Invokes a server-streaming method on a service instance created for the call.</summary>
public delegate Task ServerStreamingServiceMethod<in TService, TRequest, TResponse>(TService service, TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

/// <summary>Invokes a duplex-streaming method on a service instance created for the call.</summary>
public delegate Task DuplexStreamingServiceMethod<in TService, TRequest, TResponse>(TService service, IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
