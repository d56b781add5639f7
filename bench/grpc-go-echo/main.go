// Command grpc-go-echo is the grpc-go peer of bench/GrpcBench (DESIGN.md §6): a server that
// answers every method through grpc.UnknownServiceHandler with a raw-bytes codec, so it does
// no protobuf work beyond what the benchmark's messages need.
//
//   - /grpc.testing.TestService/StreamingOutputCall streams one StreamingOutputCallResponse per
//     response_parameters entry of the request, byte-for-byte what our TestServiceImpl sends;
//   - any other method echoes the request message back (the unary throughput case).
//
// It prints "LISTENING <port>" once bound (as bench/GrpcDotnetInteropServer does), and exits on
// SIGINT/SIGTERM or when its stdin closes, so it never outlives the benchmark that started it.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"google.golang.org/grpc"
)

const streamingOutputCall = "/grpc.testing.TestService/StreamingOutputCall"

func main() {
	address := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	flag.Parse()

	listener, err := net.Listen("tcp", *address)
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		os.Exit(1)
	}
	server := grpc.NewServer(grpc.CustomCodec(rawCodec{}), grpc.UnknownServiceHandler(handle))
	go stopOnSignalOrStdinClose(server)

	fmt.Printf("LISTENING %d\n", listener.Addr().(*net.TCPAddr).Port)
	if err := server.Serve(listener); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func handle(_ interface{}, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	var request []byte
	if err := stream.RecvMsg(&request); err != nil {
		return err
	}
	if method != streamingOutputCall {
		return stream.SendMsg(&request)
	}
	sizes, err := responseSizes(request)
	if err != nil {
		return err
	}
	for _, size := range sizes {
		// A fresh message per write, as the C# service builds one per write: the peers do the same work.
		response := streamingOutputCallResponse(size)
		if err := stream.SendMsg(&response); err != nil {
			return err
		}
	}
	return nil
}

func stopOnSignalOrStdinClose(server *grpc.Server) {
	stop := make(chan struct{}, 2)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() { <-signals; stop <- struct{}{} }()
	go func() { io.Copy(io.Discard, os.Stdin); stop <- struct{}{} }()
	<-stop
	server.Stop()
}
