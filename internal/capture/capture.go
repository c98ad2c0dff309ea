// Package capture is the embedded SMTP server of `dtsx run --capture`: it
// listens on loopback, offers STARTTLS (a throw-away certificate) and AUTH
// PLAIN, LOGIN and NTLM, accepts any credential, and writes each delivered
// message to DIR/NNNN.eml. Every SMTP connection manager is pointed at it
// before anything is resolved, so a package's own mail servers are never
// looked up, while the real client path (TLS, authentication, DATA) runs.
package capture

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/internal/selfsigned"
	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
)

// Server is a running capture server.
type Server struct {
	dir  string
	srv  *gosmtp.Server
	ln   net.Listener
	pool *x509.CertPool

	mu    sync.Mutex
	n     int
	files []string
	done  chan struct{}
}

// Start listens on 127.0.0.1 (a free port) and writes messages into dir,
// which it creates. Files already in dir are not overwritten: numbering
// continues after the highest NNNN.eml found.
func Start(dir string) (*Server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	cert, err := selfsigned.New("dtsx capture", "localhost")
	if err != nil {
		return nil, fmt.Errorf("capture: certificate: %w", err)
	}
	s := &Server{dir: dir, pool: cert.Pool, done: make(chan struct{})}
	existing, _ := filepath.Glob(filepath.Join(dir, "[0-9][0-9][0-9][0-9].eml"))
	for _, f := range existing {
		var k int
		if _, err := fmt.Sscanf(filepath.Base(f), "%04d.eml", &k); err == nil && k > s.n {
			s.n = k
		}
	}
	s.srv = gosmtp.NewServer(backend{s})
	s.srv.Domain = "capture.dtsx.local"
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
	s.srv.AllowInsecureAuth = true
	s.srv.MaxMessageBytes = 100 << 20
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	go func() { defer close(s.done); s.srv.Serve(s.ln) }()
	return s, nil
}

// Host and Port say where the server listens.
func (s *Server) Host() string { return "127.0.0.1" }

// Port returns the listening port.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// CertPool trusts the server's throw-away certificate.
func (s *Server) CertPool() *x509.CertPool { return s.pool }

// Files lists the messages written so far, in order.
func (s *Server) Files() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.files...)
}

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Closing the listener first ends Serve even when it had not yet
	// registered the listener with the server when Shutdown ran.
	s.ln.Close()
	err := s.srv.Shutdown(ctx)
	<-s.done
	if errors.Is(err, gosmtp.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// write stores one message and returns its file.
func (s *Server) write(data []byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	name := filepath.Join(s.dir, fmt.Sprintf("%04d.eml", s.n))
	if err := os.WriteFile(name, data, 0o644); err != nil {
		return "", err
	}
	s.files = append(s.files, name)
	return name, nil
}

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

// Redirect points every SMTP connection manager among ms at the server
// and fences them to loopback, before anything is resolved: a package's own
// server names are never looked up. Implicit TLS becomes STARTTLS (the
// capture server speaks STARTTLS); authentication stays as configured.
func (s *Server) Redirect(ms []connections.Manager) {
	loopback, _ := smtp.ParseFence("127.0.0.1")
	for _, m := range ms {
		sm, ok := m.(*smtp.Manager)
		if !ok {
			continue
		}
		sm.Run.Redirect = net.JoinHostPort(s.Host(), strconv.Itoa(s.Port()))
		sm.Run.RootCAs, sm.Run.Fence = s.pool, loopback
	}
}
