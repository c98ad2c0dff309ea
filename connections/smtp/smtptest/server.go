package smtptest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dtsx-run/dtsx/internal/selfsigned"
	"github.com/emersion/go-smtp"
)

// TLSMode says how a Server uses TLS.
type TLSMode int

const (
	// NoTLS serves plain SMTP and does not offer STARTTLS.
	NoTLS TLSMode = iota
	// StartTLS serves plain SMTP and offers STARTTLS (RFC 3207).
	StartTLS
	// Implicit serves SMTP inside TLS from the first byte (RFC 8314, port 465 style).
	Implicit
)

// String returns the name of the mode's constant.
func (m TLSMode) String() string {
	switch m {
	case NoTLS:
		return "NoTLS"
	case StartTLS:
		return "StartTLS"
	case Implicit:
		return "Implicit"
	}
	return "TLSMode(" + strconv.Itoa(int(m)) + ")"
}

// DefaultDomain is the name a Server gives itself when Options.Domain is empty.
const DefaultDomain = "mx.test.local"

// Options configures a Server. The zero value is a plain SMTP server on
// 127.0.0.1 that accepts any message and offers no authentication.
type Options struct {
	// TLS selects plain SMTP, STARTTLS or implicit TLS.
	TLS TLSMode

	// Users maps user names to passwords for PLAIN, LOGIN and NTLM. NTLM keys
	// may have the form "DOMAIN\user" (see the package documentation).
	Users map[string]string

	// Tokens maps user names to XOAUTH2 access tokens.
	Tokens map[string]string

	// Mechanisms lists the AUTH mechanisms to advertise, in order. When it is
	// nil and Users or Tokens is not empty, the server advertises PLAIN,
	// LOGIN, NTLM and XOAUTH2. Names the server does not implement (GSSAPI,
	// CRAM-MD5, ...) may be listed to test a client's choice; using them gets
	// 504 5.7.4.
	Mechanisms []string

	// AllowInsecureAuth advertises and accepts AUTH on a connection that is
	// not (yet) encrypted. It matters only when TLS is StartTLS: with NoTLS
	// there is no other way to authenticate, so AUTH is always allowed, and
	// with Implicit every connection is encrypted. Without it, a StartTLS
	// server does not advertise AUTH before STARTTLS and answers an AUTH
	// command with 538 5.7.11.
	AllowInsecureAuth bool

	// NoPipelining leaves PIPELINING (RFC 2920) out of the EHLO reply, for
	// the clients' one-command-at-a-time path.
	NoPipelining bool
	// NTLMBareReply answers "AUTH NTLM" sent without an initial response with
	// the non-base64 line "334 NTLM supported", as Microsoft Exchange does;
	// the client's next line must then be the NEGOTIATE message. Without it,
	// the server sends an empty "334 " challenge, as RFC 4954 says. An AUTH
	// NTLM with an initial response proceeds normally either way.
	NTLMBareReply bool

	// NTLMTargetInfo includes a TargetInfo block (names and a timestamp) in
	// the NTLM CHALLENGE message, as Windows servers do; Cyrus SASL sends none.
	NTLMTargetInfo bool

	// Faults lists the faults to inject; for each stage the first fault that
	// is still in effect applies.
	Faults []Fault

	// RejectRcpt maps recipient addresses (compared case-insensitively) to
	// the reply code RCPT TO gets for them, such as 550 or 451.
	RejectRcpt map[string]int

	// Domain is the server's name in its greeting and in the TLS
	// certificate; DefaultDomain when empty.
	Domain string
}

// Message is a message the server accepted: it is recorded when the server
// sends the final 250 reply after the message data.
type Message struct {
	// From is the reverse path of MAIL FROM, without angle brackets.
	From string
	// To lists the accepted recipients of RCPT TO, in order.
	To []string
	// Data is the message content, dot-unstuffed, with its line endings as sent.
	Data []byte
	// User is the authenticated user ("DOMAIN\user" for NTLM with a domain),
	// or "" when the session did not authenticate.
	User string
	// TLS reports whether the message was sent over TLS.
	TLS bool
}

// AuthAttempt records one AUTH exchange that reached a verdict.
type AuthAttempt struct {
	// Mechanism is the SASL mechanism, upper case.
	Mechanism string
	// User is the user name the client sent ("DOMAIN\user" for NTLM with a
	// domain), or "" when the exchange was malformed before naming one.
	User string
	// OK reports whether the credentials were accepted.
	OK bool
}

// Server is an SMTP server listening on the loopback interface, made by
// NewServer. Its methods are safe for concurrent use.
type Server struct {
	tb       testing.TB
	opts     Options
	domain   string
	mechs    []string
	ln       net.Listener
	srv      *smtp.Server
	tlsConf  *tls.Config
	certPEM  []byte
	certPool *x509.CertPool

	serveDone chan struct{}
	closeOnce sync.Once
	stalled   chan struct{} // closed by the first Stall or Block
	stallOnce sync.Once

	mu         sync.Mutex
	closed     bool
	conns      map[*wireConn]struct{}
	faultUses  []int
	transcript []string
	messages   []Message
	attempts   []AuthAttempt
}

// NewServer starts a Server on 127.0.0.1 with a free port and registers its
// Close with t.Cleanup. It fails the test if opts is invalid or the server
// cannot start.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := newServer(t, opts)
	if err != nil {
		t.Fatalf("smtptest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func newServer(tb testing.TB, opts Options) (*Server, error) {
	s := &Server{
		tb:        tb,
		opts:      opts,
		domain:    opts.Domain,
		conns:     make(map[*wireConn]struct{}),
		faultUses: make([]int, len(opts.Faults)),
		serveDone: make(chan struct{}),
		stalled:   make(chan struct{}),
	}
	if s.domain == "" {
		s.domain = DefaultDomain
	}
	if opts.TLS < NoTLS || opts.TLS > Implicit {
		return nil, fmt.Errorf("invalid TLS mode %v", opts.TLS)
	}
	for i, f := range opts.Faults {
		if err := f.validate(); err != nil {
			return nil, fmt.Errorf("Faults[%d]: %w", i, err)
		}
	}
	for addr, code := range opts.RejectRcpt {
		if code < 400 || code > 599 {
			return nil, fmt.Errorf("RejectRcpt[%q]: code %d is not a 4xx or 5xx code", addr, code)
		}
	}
	s.mechs = opts.Mechanisms
	if s.mechs == nil && (len(opts.Users) > 0 || len(opts.Tokens) > 0) {
		s.mechs = []string{mechPlain, mechLogin, mechNTLM, mechXOAuth2}
	}
	for i, m := range s.mechs {
		if m == "" || strings.ContainsAny(m, " \t\r\n") {
			return nil, fmt.Errorf("Mechanisms[%d]: invalid mechanism name %q", i, m)
		}
	}
	s.mechs = slices.Clone(s.mechs)
	for i := range s.mechs {
		s.mechs[i] = strings.ToUpper(s.mechs[i])
	}

	cert, err := s.makeCert()
	if err != nil {
		return nil, err
	}
	s.tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}

	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = s.domain
	// The wire connection enforces the TLS rule for AUTH (go-smtp never sees
	// the *tls.Conn), so go-smtp must not enforce its own.
	s.srv.AllowInsecureAuth = true
	if opts.TLS == StartTLS {
		// Only so that go-smtp advertises STARTTLS; the wire connection
		// answers the command and does the handshake itself.
		s.srv.TLSConfig = s.tlsConf
	}
	s.srv.ErrorLog = logger{s}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.ln = ln
	go func() {
		defer close(s.serveDone)
		_ = s.srv.Serve(listener{ln, s})
	}()
	return s, nil
}

// Addr returns the server's address, "127.0.0.1:port".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Host returns the server's IP address, "127.0.0.1".
func (s *Server) Host() string { return s.ln.Addr().(*net.TCPAddr).IP.String() }

// Port returns the server's TCP port.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Domain returns the name the server uses in its greeting and certificate.
func (s *Server) Domain() string { return s.domain }

// CertPool returns a pool that trusts the server's certificate.
func (s *Server) CertPool() *x509.CertPool { return s.certPool.Clone() }

// CertPEM returns the server's certificate in PEM form, for a CA file.
func (s *Server) CertPEM() []byte { return slices.Clone(s.certPEM) }

// TLSConfig returns a client configuration that trusts the server's
// certificate and expects the server's Domain as its name.
func (s *Server) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.CertPool(), ServerName: s.domain, MinVersion: tls.VersionTLS12}
}

// Messages returns the messages delivered so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		m.To = slices.Clone(m.To)
		m.Data = slices.Clone(m.Data)
		out[i] = m
	}
	return out
}

// Transcript returns the commands clients sent and the connection events,
// in order, with secrets redacted (see the package documentation).
func (s *Server) Transcript() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.transcript)
}

// AuthAttempts returns the authentication attempts so far, in order.
func (s *Server) AuthAttempts() []AuthAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.attempts)
}

// Stalled returns a channel that is closed once a connection has stopped
// answering because of a Stall or Block fault: a test can then act on a
// client that is certainly waiting, without sleeping.
func (s *Server) Stalled() <-chan struct{} { return s.stalled }

func (s *Server) markStalled() { s.stallOnce.Do(func() { close(s.stalled) }) }

// Close stops the server: it stops accepting, closes every connection,
// including stalled ones, and waits until every goroutine it started has
// returned. Close may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		_ = s.ln.Close()
		<-s.serveDone // no connection is accepted after this

		s.mu.Lock()
		conns := make([]*wireConn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		for _, c := range conns {
			c.abort()
		}
		// Shutdown waits for go-smtp's connection goroutines; the listener it
		// closes is already closed.
		_ = s.srv.Shutdown(context.Background())
	})
}

func (s *Server) log(line string) {
	s.mu.Lock()
	s.transcript = append(s.transcript, line)
	s.mu.Unlock()
}

func (s *Server) recordAttempt(a AuthAttempt) {
	s.mu.Lock()
	s.attempts = append(s.attempts, a)
	s.mu.Unlock()
}

func (s *Server) deliver(m Message) {
	s.mu.Lock()
	s.messages = append(s.messages, m)
	s.mu.Unlock()
}

// takeFault returns the fault in effect for stage, counting its use.
func (s *Server) takeFault(stage Stage) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.opts.Faults {
		if f.Stage != stage || !f.active() {
			continue
		}
		if f.Times > 0 && s.faultUses[i] >= f.Times {
			continue
		}
		s.faultUses[i]++
		return f, true
	}
	return Fault{}, false
}

// authAllowed reports whether AUTH may be used on c now.
func (s *Server) authAllowed(c *wireConn) bool {
	return s.opts.TLS == NoTLS || s.opts.AllowInsecureAuth || c.isTLS()
}

func (s *Server) offers(mech string) bool {
	return slices.Contains(s.mechs, mech)
}

func (s *Server) makeCert() (tls.Certificate, error) {
	names := []string{"localhost", DefaultDomain}
	if !slices.Contains(names, s.domain) {
		names = append(names, s.domain)
	}
	c, err := selfsigned.New(s.domain, names...)
	if err != nil {
		return tls.Certificate{}, err
	}
	s.certPEM, s.certPool = c.PEM, c.Pool
	return c.TLS, nil
}

// listener hands go-smtp a wireConn for each accepted connection.
type listener struct {
	net.Listener
	s *Server
}

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.s.newWireConn(c), nil
}

// logger sends go-smtp's internal errors to the test log.
type logger struct{ s *Server }

func (l logger) Printf(format string, v ...any) {
	l.s.tb.Logf("smtptest: go-smtp: "+format, v...)
}

func (l logger) Println(v ...any) {
	l.s.tb.Log(append([]any{"smtptest: go-smtp:"}, v...)...)
}
