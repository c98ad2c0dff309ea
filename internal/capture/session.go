package capture

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

type backend struct{ s *Server }

func (b backend) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return []string{"PLAIN", "LOGIN", "NTLM"} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(string, string, string) error { return nil }), nil
	case "LOGIN":
		return &loginServer{}, nil
	case "NTLM":
		return &ntlmServer{}, nil
	}
	return nil, errors.New("unsupported mechanism")
}

func (ss *session) Mail(from string, _ *gosmtp.MailOptions) error { ss.from = from; return nil }
func (ss *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}
func (ss *session) Data(r io.Reader) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "X-Dtsx-Envelope-From: <%s>\r\n", ss.from)
	for _, t := range ss.to {
		fmt.Fprintf(&b, "X-Dtsx-Envelope-To: <%s>\r\n", t)
	}
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	_, err := ss.s.write(b.Bytes())
	return err
}
func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// loginServer accepts any LOGIN exchange: Username, then Password.
type loginServer struct{ state int }

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch {
	case l.state == 0 && resp == nil:
		l.state = 1
		return []byte("Username:"), false, nil
	case l.state < 2: // the user name, as initial response or answer
		l.state = 2
		return []byte("Password:"), false, nil
	}
	return nil, true, nil
}

// ntlmServer answers the NEGOTIATE message with a CHALLENGE and accepts any
// AUTHENTICATE message: capture mode checks the client path, not identities.
type ntlmServer struct{ step int }

func (n *ntlmServer) Next(resp []byte) ([]byte, bool, error) {
	n.step++
	switch {
	case len(resp) == 0 && n.step == 1:
		return []byte{}, false, nil // a bare AUTH NTLM: ask for the NEGOTIATE message
	case bytes.HasPrefix(resp, []byte("NTLMSSP\x00\x01")):
		return challenge(), false, nil
	case bytes.HasPrefix(resp, []byte("NTLMSSP\x00\x03")):
		return nil, true, nil
	}
	return nil, false, errors.New("NTLM: unexpected message")
}

// challenge builds an NTLM CHALLENGE message (MS-NLMP 2.2.1.2) with a
// random server challenge and a target info block.
func challenge() []byte {
	target := utf16le("DTSX")
	info := append(append([]byte{2, 0}, le16(len(target))...), target...) // MsvAvNbDomainName
	info = append(info, 0, 0, 0, 0)                                       // MsvAvEOL
	const header = 56
	flags := uint32(0x00000001 | 0x00000004 | 0x00000200 | 0x00008000 | 0x00010000 | 0x00080000 | 0x00800000 | 0x20000000 | 0x80000000)
	b := make([]byte, header)
	copy(b, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(b[8:], 2)
	putField(b[12:], len(target), header)
	binary.LittleEndian.PutUint32(b[20:], flags)
	rand.Read(b[24:32])
	putField(b[40:], len(info), header+len(target))
	copy(b[48:], []byte{10, 0, 0x61, 0x4a, 0, 0, 0, 15}) // version 10.0.19041, NTLM revision 15
	return append(append(b, target...), info...)
}

func putField(b []byte, n, off int) {
	binary.LittleEndian.PutUint16(b, uint16(n))
	binary.LittleEndian.PutUint16(b[2:], uint16(n))
	binary.LittleEndian.PutUint32(b[4:], uint32(off))
}

func le16(n int) []byte { return []byte{byte(n), byte(n >> 8)} }

func utf16le(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
