// Command grpc-go-stream-client is bench/GrpcBench's neutral reader for the server-streaming case:
// one StreamingOutputCall asking for -messages responses of -size bytes, read as fast as grpc-go
// can with a raw-bytes codec (no protobuf decoding), so the server is what is measured.
// The same client reads from every server; it prints one JSON line with what it counted.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"google.golang.org/grpc"
)

type result struct {
	Messages int     `json:"messages"`
	Bytes    int     `json:"bytes"`
	Seconds  float64 `json:"seconds"`
}

func main() {
	address := flag.String("addr", "", "server address, host:port")
	messages := flag.Int("messages", 100000, "responses to ask for")
	size := flag.Int("size", 100, "payload size of each response")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// WithBlock: connect before the clock starts, so the figure is streaming, not dialing.
	conn, err := grpc.DialContext(ctx, *address, grpc.WithInsecure(), grpc.WithBlock(),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{})))
	if err != nil {
		fail("dial", err)
	}
	defer conn.Close()

	request := streamingOutputCallRequest(*messages, *size)
	start := time.Now()
	stream, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, "/grpc.testing.TestService/StreamingOutputCall")
	if err != nil {
		fail("call", err)
	}
	if err := stream.SendMsg(&request); err != nil {
		fail("send", err)
	}
	if err := stream.CloseSend(); err != nil {
		fail("close send", err)
	}
	var counted result
	for {
		var message []byte
		err := stream.RecvMsg(&message)
		if err == io.EOF {
			break // the server ended the call with grpc-status 0
		}
		if err != nil {
			fail("receive", err)
		}
		counted.Messages++
		counted.Bytes += len(message)
	}
	counted.Seconds = time.Since(start).Seconds()
	json.NewEncoder(os.Stdout).Encode(counted)
}

// streamingOutputCallRequest encodes StreamingOutputCallRequest{response_parameters: count × {size: size}}
// (field 2, each ResponseParameters with field 1; see Tests/Protos/grpc/testing/messages.proto).
func streamingOutputCallRequest(count int, size int) []byte {
	parameters := appendVarint([]byte{1<<3 | 0}, uint64(size))
	var request []byte
	for i := 0; i < count; i++ {
		request = append(request, 2<<3|2)
		request = appendVarint(request, uint64(len(parameters)))
		request = append(request, parameters...)
	}
	return request
}

func appendVarint(b []byte, value uint64) []byte {
	for value >= 0x80 {
		b = append(b, byte(value)|0x80)
		value >>= 7
	}
	return append(b, byte(value))
}

func fail(step string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", step, err)
	os.Exit(1)
}
