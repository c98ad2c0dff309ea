package capture

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/internal/selfsigned"
	gosmtp "github.com/emersion/go-smtp"
)

// Host is the server name redirected connection managers are given. It is
// under .invalid (RFC 2606), which no resolver answers: the connections are
// made in process and the name only appears in messages and the TLS
// handshake, whose throw-away certificate names it.
const Host = "capture.invalid"

// port is the nominal port of Host; no socket is bound to it.
const port = 25

// Server is a running capture server.
type Server struct {
	st   *store
	srv  *gosmtp.Server
	ln   *pipeListener
	pool *x509.CertPool
	warn []string
	done chan struct{}
}

// Start starts a capture server that writes messages into dir, which it
// creates 0700 when absent. Files already in dir are never overwritten:
// numbering continues after the highest NNNN.eml found (10000.eml follows
// 9999.eml) and skips any name taken meanwhile. The server opens no port;
// only the connection managers given to Redirect can reach it.
func Start(dir string) (*Server, error) {
	st, warn, err := openStore(dir)
	if err != nil {
		return nil, err
	}
	cert, err := selfsigned.New("dtsx capture", Host, "localhost")
	if err != nil {
		st.close()
		return nil, fmt.Errorf("capture: certificate: %w", err)
	}
	s := &Server{st: st, pool: cert.Pool, ln: newPipeListener(), done: make(chan struct{})}
	if warn != "" {
		s.warn = append(s.warn, warn)
	}
	s.srv = gosmtp.NewServer(backend{s})
	s.srv.Domain = "capture.dtsx.local"
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
	s.srv.AllowInsecureAuth = true
	s.srv.MaxMessageBytes = 100 << 20
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	go func() { defer close(s.done); s.srv.Serve(s.ln) }()
	return s, nil
}

// Address is the nominal host:port the redirected managers show.
func (s *Server) Address() string { return net.JoinHostPort(Host, strconv.Itoa(port)) }

// DialContext opens an in-process connection to the server; it ignores
// network and address. It is what Redirect gives the connection managers.
func (s *Server) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return s.ln.dial(ctx, network, address)
}

// CertPool trusts the server's throw-away certificate.
func (s *Server) CertPool() *x509.CertPool { return s.pool }

// Warnings are problems found at start that do not stop capture, such as a
// capture directory other users can list.
func (s *Server) Warnings() []string { return append([]string(nil), s.warn...) }

// Files lists the messages written so far, in order.
func (s *Server) Files() []string { return s.st.list() }

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
	if cerr := s.st.close(); err == nil {
		err = cerr
	}
	return err
}

// write stores one message and returns its file.
func (s *Server) write(data []byte) (string, error) { return s.st.write(data) }

// Redirect points every SMTP connection manager among ms at the server,
// before anything is resolved: a package's own server names are never
// looked up, and the connection is an in-process one (Options.DialContext)
// that the fence, narrowed to Host, lets through. Implicit TLS becomes
// STARTTLS (the capture server speaks STARTTLS); authentication stays as
// configured, except that UseWindowsAuthentication=True logs in nowhere
// (smtp.Options.WindowsLoginNowhere): it needs no credential and asks no
// KDC.
func (s *Server) Redirect(ms []connections.Manager) {
	fence, _ := smtp.ParseFence(Host)
	for _, m := range ms {
		sm, ok := m.(*smtp.Manager)
		if !ok {
			continue
		}
		sm.Run.Redirect = s.Address()
		sm.Run.RootCAs, sm.Run.Fence, sm.Run.DialContext = s.pool, fence, s.DialContext
		sm.Run.WindowsLoginNowhere = true
	}
}
