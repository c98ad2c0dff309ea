package expr

// Bytes returns a DT_BYTES value holding a copy of b: a binary column of a
// result set, say.
func Bytes(b []byte) Value { return Value{t: TypeBytes, s: string(b)} }
