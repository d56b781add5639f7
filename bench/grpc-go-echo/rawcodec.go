package main

// rawCodec passes message bytes through untouched (a *[]byte on both sides). It implements both
// the old grpc.Codec (String), which grpc.CustomCodec takes in grpc-go 1.33, and encoding.Codec (Name).
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) { return *v.(*[]byte), nil }

func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	*v.(*[]byte) = data
	return nil
}

func (rawCodec) Name() string   { return "raw" }
func (rawCodec) String() string { return "raw" }
