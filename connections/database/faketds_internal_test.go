package database

import (
	"encoding/binary"
	"io"
	"net"
	"testing"
)

// FakeTDS is the smallest TDS listener a login test needs, since no SQL
// Server runs here: on 127.0.0.1 it answers one PRELOGIN (no encryption
// supported, so the LOGIN7 that follows is readable), reads the LOGIN7
// packets, optionally answers them with one SSPI token and reads the
// client's SSPI message, and closes the connection. It reads bytes and
// checks nothing; the tests look at what it read.
type FakeTDS struct {
	Addr string
	// Logins receives the LOGIN7 message of each connection (nil when the
	// client sent none before closing).
	Logins chan []byte
	// Challenge, when set before a connection, is sent as the SSPI token
	// (0xED) that answers its LOGIN7; SSPI then receives the client's SSPI
	// message (packet type 0x11), or nil.
	Challenge []byte
	SSPI      chan []byte
}

// StartFakeTDS listens on a loopback port until the test ends.
func StartFakeTDS(t *testing.T) *FakeTDS {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	f := &FakeTDS{Addr: ln.Addr().String(), Logins: make(chan []byte, 16), SSPI: make(chan []byte, 16)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

// readMessage reads the packets of one TDS message: its type and payload.
func readMessage(c net.Conn) (byte, []byte, error) {
	var typ byte
	var msg []byte
	for {
		var h [8]byte
		if _, err := io.ReadFull(c, h[:]); err != nil {
			return 0, nil, err
		}
		n := int(binary.BigEndian.Uint16(h[2:4]))
		if n < 8 {
			return 0, nil, io.ErrUnexpectedEOF
		}
		body := make([]byte, n-8)
		if _, err := io.ReadFull(c, body); err != nil {
			return 0, nil, err
		}
		typ, msg = h[0], append(msg, body...)
		if h[1]&0x01 != 0 { // end of message
			return typ, msg, nil
		}
	}
}

func (f *FakeTDS) serve(c net.Conn) {
	defer c.Close()
	if typ, _, err := readMessage(c); err != nil || typ != 0x12 {
		f.Logins <- nil
		return
	}
	// PRELOGIN response: VERSION (6 octets) and ENCRYPTION = NOT_SUP (2).
	payload := []byte{0x00, 0, 11, 0, 6, 0x01, 0, 17, 0, 1, 0xFF, 16, 0, 0, 0, 0, 0, 0x02}
	resp := append([]byte{0x04, 0x01, 0, byte(8 + len(payload)), 0, 0, 1, 0}, payload...)
	if _, err := c.Write(resp); err != nil {
		f.Logins <- nil
		return
	}
	typ, login, err := readMessage(c)
	if err != nil || typ != 0x10 {
		f.Logins <- nil
		return
	}
	f.Logins <- login
	if f.Challenge == nil {
		return
	}
	token := append([]byte{0xED, byte(len(f.Challenge)), byte(len(f.Challenge) >> 8)}, f.Challenge...)
	n := 8 + len(token)
	if _, err := c.Write(append([]byte{0x04, 0x01, byte(n >> 8), byte(n), 0, 0, 1, 0}, token...)); err != nil {
		f.SSPI <- nil
		return
	}
	if typ, msg, err := readMessage(c); err == nil && typ == 0x11 {
		f.SSPI <- msg
		return
	}
	f.SSPI <- nil
}

// Login7 is what a test reads of a LOGIN7 message (MS-TDS 2.2.6.4).
type Login7 struct {
	IntegratedSecurity bool // OptionFlags2 fIntSecurity
	UserLen, PassLen   int  // in characters
	SSPI               []byte
}

// ParseLogin7 reads the fields of a LOGIN7 message the tests look at.
func ParseLogin7(b []byte) (Login7, bool) {
	if len(b) < 94 {
		return Login7{}, false
	}
	u16 := func(i int) int { return int(binary.LittleEndian.Uint16(b[i:])) }
	l := Login7{IntegratedSecurity: b[25]&0x80 != 0, UserLen: u16(42), PassLen: u16(46)}
	off, n := u16(78), u16(80)
	if off+n > len(b) {
		return Login7{}, false
	}
	l.SSPI = b[off : off+n]
	return l, true
}
