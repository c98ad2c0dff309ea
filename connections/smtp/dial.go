package smtp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
	"go.uber.org/zap"
)

// dialer holds one connection attempt's settings, for error messages.
type dialer struct {
	name, addr string
	cfg        *Config
	opts       Options
	log        *zap.Logger
	timeout    time.Duration
	// krb is the GSSAPI login (gssapi.go); fallback the NTLM credential
	// that UseWindowsAuthentication=True uses when the server offers no
	// GSSAPI.
	krb      *krbLogin
	fallback *Credential
}

// dial opens the connection: Options.DialContext when set, else TCP to
// the server's address, within the Timeout.
func (d *dialer) dial(ctx context.Context) (net.Conn, error) {
	if d.opts.DialContext != nil {
		dctx := ctx
		if d.timeout > 0 {
			var cancel context.CancelFunc
			dctx, cancel = context.WithTimeout(ctx, d.timeout)
			defer cancel()
		}
		return d.opts.DialContext(dctx, "tcp", d.addr)
	}
	nd := net.Dialer{Timeout: d.timeout}
	return nd.DialContext(ctx, "tcp", d.addr)
}

// session runs the protocol on a connected conn.
func (d *dialer) session(ctx context.Context, conn net.Conn, mode TLSMode, mech string, cred Credential) (*Session, error) {
	tlsCfg, err := d.tlsConfig()
	if err != nil {
		return nil, err
	}
	s := &Session{d: d, Info: Info{Manager: d.name, Server: d.addr, TLSMode: mode}}
	switch mode {
	case TLSImplicit:
		tc := tls.Client(conn, tlsCfg)
		conn.SetDeadline(time.Now().Add(d.timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, d.classify(ctx, "tls", err)
		}
		conn.SetDeadline(time.Time{})
		s.w = &wire{Conn: tc}
	case TLSStartTLS, TLSOpportunistic:
		w, err := d.startTLS(ctx, conn, tlsCfg, mode == TLSStartTLS)
		if err != nil {
			return nil, err
		}
		s.w = w
	default:
		s.w = &wire{Conn: conn}
	}
	s.w.timeout = d.timeout
	s.c = gosmtp.NewClient(s.w)
	s.c.CommandTimeout = d.timeout
	s.c.SubmissionTimeout = d.timeout
	if err := s.c.Hello(d.localName()); err != nil {
		op := "ehlo"
		if !s.w.wrote { // go-smtp sends EHLO only after a good greeting
			op = "greeting"
		}
		return nil, d.classify(ctx, op, err)
	}
	if st, ok := s.c.TLSConnectionState(); ok {
		s.Info.TLS = &st
	} else if tc, ok := s.w.Conn.(*tls.Conn); ok {
		st := tc.ConnectionState()
		s.Info.TLS = &st
	}
	s.Info.Extensions = extensions(s.c)
	if mech == "" {
		return s, nil
	}
	if s.Info.TLS == nil && !d.cfg.AllowInsecureAuth && (mech == mechPlain || mech == mechLogin || mech == mechXOAUTH2) {
		s.broken = true
		s.quit()
		return nil, &Error{Kind: ErrAuth, Manager: d.name, Server: d.addr, Op: "auth",
			Err:  fmt.Errorf("the server offered no TLS and %s would send the password in plain text", mech),
			Hint: "use a server with STARTTLS, or AllowInsecureAuth=True if you must"}
	}
	if mech == mechGSSAPI && d.fallback != nil && !s.c.SupportsAuth(mechGSSAPI) && s.c.SupportsAuth(mechNTLM) {
		mech, cred = mechNTLM, *d.fallback // UseWindowsAuthentication=True and no Kerberos here: NTLM, as Windows
	}
	if !s.c.SupportsAuth(mech) {
		_, offered := s.c.Extension("AUTH")
		s.broken = true
		s.quit()
		if offered == "" {
			offered = "none"
		}
		return nil, &Error{Kind: ErrAuth, Manager: d.name, Server: d.addr, Op: "auth",
			Err:  fmt.Errorf("the server does not offer AUTH %s (it offers: %s)", mech, offered),
			Hint: "choose a mechanism the server offers with AuthMechanism=, or check that TLS is on (servers often offer AUTH only after STARTTLS)"}
	}
	var client sasl.Client
	switch mech {
	case mechNTLM:
		client = newNTLMClient(cred)
	case mechPlain:
		client = sasl.NewPlainClient("", cred.UserName, cred.Password)
	case mechLogin:
		client = sasl.NewLoginClient(cred.UserName, cred.Password)
	case mechXOAUTH2:
		client = &xoauth2Client{user: cred.UserName, token: cred.Token}
	case mechGSSAPI:
		if client, err = d.gssapiClient(ctx); err != nil {
			s.broken = true
			s.quit()
			return nil, err
		}
	default:
		return nil, &Error{Kind: ErrUnsupported, Manager: d.name, Server: d.addr, Op: "auth", Err: fmt.Errorf("AuthMechanism=%s", mech)}
	}
	s.w.filter.Store(true)
	err = s.c.Auth(&boundedSASL{Client: client})
	s.w.filter.Store(false)
	if err != nil {
		if mech == mechGSSAPI {
			return nil, d.gssapiAuthFailed(d.classify(ctx, "auth", err))
		}
		return nil, d.classify(ctx, "auth", err)
	}
	s.Info.Mechanism, s.Info.User, s.Info.CredentialSource = mech, userForInfo(cred), cred.Source
	if mech == mechGSSAPI {
		s.Info.ServicePrincipal = d.krb.spn
	}
	return s, nil
}

// tlsConfig builds the client TLS settings: certificates verified against
// the system roots, CAFile and Options.RootCAs, unless
// TrustServerCertificate=True.
func (d *dialer) tlsConfig() (*tls.Config, error) {
	cfg := &tls.Config{ServerName: d.cfg.Server, MinVersion: tls.VersionTLS12, InsecureSkipVerify: d.cfg.TrustServerCertificate}
	if d.cfg.CAFile == "" && d.opts.RootCAs == nil {
		return cfg, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if d.cfg.CAFile != "" {
		pem, err := os.ReadFile(d.cfg.CAFile)
		if err != nil {
			return nil, &Error{Kind: ErrTLS, Manager: d.name, Server: d.addr, Op: "tls", Err: fmt.Errorf("CAFile: %w", err)}
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &Error{Kind: ErrTLS, Manager: d.name, Server: d.addr, Op: "tls",
				Err: fmt.Errorf("CAFile %s holds no PEM certificate", d.cfg.CAFile)}
		}
	}
	if d.opts.RootCAs != nil {
		pool = d.opts.RootCAs.Clone()
		if d.cfg.CAFile != "" {
			pem, _ := os.ReadFile(d.cfg.CAFile)
			pool.AppendCertsFromPEM(pem)
		}
	}
	cfg.RootCAs = pool
	return cfg, nil
}

func (d *dialer) localName() string {
	if d.opts.LocalName != "" {
		return d.opts.LocalName
	}
	if h, err := os.Hostname(); err == nil && h != "" && !strings.ContainsAny(h, " \r\n") {
		return h
	}
	return "localhost"
}

// startTLS reads the greeting, says EHLO and starts TLS before go-smtp takes
// the connection: so a server without STARTTLS is told nothing but QUIT
// when TLS is required, and its capabilities are known either way.
func (d *dialer) startTLS(ctx context.Context, conn net.Conn, tlsCfg *tls.Config, required bool) (*wire, error) {
	tp := textproto.NewConn(struct {
		io.Reader
		io.Writer
		io.Closer
	}{&boundedReader{r: conn}, conn, conn})
	var deadline time.Time // of the last step
	step := func(op string, expect int, cmd string, timeout time.Duration) (string, error) {
		deadline = time.Now().Add(timeout)
		conn.SetDeadline(deadline)
		defer conn.SetDeadline(time.Time{})
		if cmd != "" {
			if err := tp.PrintfLine("%s", cmd); err != nil {
				return "", d.classify(ctx, op, err)
			}
		}
		_, msg, err := tp.ReadResponse(expect)
		if err != nil {
			var pe *textproto.Error
			if errors.As(err, &pe) {
				err = &gosmtp.SMTPError{Code: pe.Code, Message: pe.Msg}
			}
			return "", d.classify(ctx, op, err)
		}
		return msg, nil
	}
	if _, err := step("greeting", 220, "", d.timeout); err != nil {
		return nil, err
	}
	msg, err := step("ehlo", 250, "EHLO "+d.localName(), d.timeout)
	if err != nil {
		return nil, err
	}
	offered := false
	for _, line := range strings.Split(msg, "\n")[1:] {
		if strings.EqualFold(strings.Fields(line + " ")[0], "STARTTLS") {
			offered = true
		}
	}
	if !offered {
		if required {
			if left := quitBudget(deadline, time.Now()); left > 0 {
				step("quit", 221, "QUIT", left)
			}
			return nil, &Error{Kind: ErrTLSRequired, Manager: d.name, Server: d.addr, Op: "starttls",
				Hint: "EnableSsl=True means STARTTLS, and dtsx never falls back to plain text; enable STARTTLS on the server, or set EnableSsl=False if plain text is acceptable"}
		}
		return &wire{Conn: conn, pending: []byte("220 resumed\r\n")}, nil
	}
	if _, err := step("starttls", 220, "STARTTLS", d.timeout); err != nil {
		return nil, err
	}
	tc := tls.Client(conn, tlsCfg)
	conn.SetDeadline(time.Now().Add(d.timeout))
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, d.classify(ctx, "tls", err)
	}
	conn.SetDeadline(time.Time{})
	// RFC 3207: after TLS the client speaks first, with EHLO; go-smtp
	// expects a greeting, so it is given one that never crossed the wire.
	return &wire{Conn: tc, pending: []byte("220 tls\r\n")}, nil
}

// knownExtensions are the EHLO keywords reported by Info.Extensions.
var knownExtensions = []string{"SIZE", "8BITMIME", "PIPELINING", "ENHANCEDSTATUSCODES", "SMTPUTF8", "DSN",
	"CHUNKING", "BINARYMIME", "STARTTLS", "AUTH", "REQUIRETLS", "DELIVERBY", "ETRN", "VRFY"}

func extensions(c *gosmtp.Client) []string {
	var out []string
	for _, k := range knownExtensions {
		if ok, param := c.Extension(k); ok {
			out = append(out, strings.TrimSpace(k+" "+param))
		}
	}
	return out
}

func tlsVersion(st *tls.ConnectionState) string {
	if st == nil {
		return "none"
	}
	return tls.VersionName(st.Version)
}
