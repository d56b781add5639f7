package main

import (
	"errors"
	"fmt"
)

// The Debian grpc-go (1.33) comes with golang/protobuf 1.3, which has no protowire package, so the
// two grpc.testing messages the benchmark needs are read and written by hand (field numbers from
// Tests/Protos/grpc/testing/messages.proto).

// responseSizes returns response_parameters[*].size of a StreamingOutputCallRequest
// (field 2, each a ResponseParameters whose field 1 is the size); other fields are skipped.
func responseSizes(request []byte) ([]int, error) {
	var sizes []int
	err := eachField(request, func(field int, wireType int, value uint64, bytes []byte) error {
		if field != 2 || wireType != 2 {
			return nil
		}
		return eachField(bytes, func(field int, wireType int, value uint64, _ []byte) error {
			if field == 1 && wireType == 0 {
				sizes = append(sizes, int(value))
			}
			return nil
		})
	})
	return sizes, err
}

// streamingOutputCallResponse encodes StreamingOutputCallResponse{payload: Payload{body: size zero bytes}}.
// Payload.type is COMPRESSABLE (0), which proto3 leaves out, as the C# service's message does.
func streamingOutputCallResponse(size int) []byte {
	payloadLength := 1 + varintLength(uint64(size)) + size
	message := make([]byte, 0, 1+varintLength(uint64(payloadLength))+payloadLength)
	message = append(message, 1<<3|2) // payload, length-delimited
	message = appendVarint(message, uint64(payloadLength))
	message = append(message, 2<<3|2) // payload.body, length-delimited
	message = appendVarint(message, uint64(size))
	return append(message, make([]byte, size)...)
}

// eachField calls visit for every field of a protobuf message: value for varints, bytes for
// length-delimited fields; fixed-width fields are skipped.
func eachField(message []byte, visit func(field int, wireType int, value uint64, bytes []byte) error) error {
	for len(message) > 0 {
		tag, n := readVarint(message)
		if n == 0 {
			return errors.New("truncated tag")
		}
		message = message[n:]
		field, wireType := int(tag>>3), int(tag&7)
		var value uint64
		var bytes []byte
		switch wireType {
		case 0:
			value, n = readVarint(message)
			if n == 0 {
				return errors.New("truncated varint")
			}
			message = message[n:]
		case 1, 5:
			width := 8
			if wireType == 5 {
				width = 4
			}
			if len(message) < width {
				return errors.New("truncated fixed-width field")
			}
			message = message[width:]
		case 2:
			length, n := readVarint(message)
			if n == 0 || uint64(len(message)-n) < length {
				return errors.New("truncated length-delimited field")
			}
			bytes = message[n : n+int(length)]
			message = message[n+int(length):]
		default:
			return fmt.Errorf("unsupported wire type %d", wireType)
		}
		if err := visit(field, wireType, value, bytes); err != nil {
			return err
		}
	}
	return nil
}

// readVarint returns the varint at the start of b and its length, or a length of 0 if b ends inside it.
func readVarint(b []byte) (uint64, int) {
	var value uint64
	for i := 0; i < len(b) && i < 10; i++ {
		value |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return value, i + 1
		}
	}
	return 0, 0
}

func appendVarint(b []byte, value uint64) []byte {
	for value >= 0x80 {
		b = append(b, byte(value)|0x80)
		value >>= 7
	}
	return append(b, byte(value))
}

func varintLength(value uint64) int {
	n := 1
	for value >= 0x80 {
		value >>= 7
		n++
	}
	return n
}
