package smtp

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
	"go.uber.org/zap"
)

// Options say how a connection is made, beyond the persisted settings.
type Options struct {
	// Credentials are asked for the connection's credential when the
	// connection string holds none (UserName, Password).
	Credentials CredentialSource
	// Fence limits the servers that may be reached; nil means the fence of
	// DTSX_SMTP_ALLOWED_HOSTS (none when unset).
	Fence *Fence
	// Spell turns an option of dtsx, as an error's hint recommends it
	// ("--conn", "--credentials FILE"), into the running command's
	// spelling, "" when it has none; nil keeps dtsx's.
	Spell func(option string) string
	// RootCAs are trusted besides the system's roots and CAFile.
	RootCAs *x509.CertPool
	// LocalName is the name sent with EHLO; the host name by default.
	LocalName string
	Logger    *zap.Logger
	// Redirect, "host:port", sends the connection there whatever the
	// settings name (capture mode), after every property expression; an
	// implicit-TLS setting becomes STARTTLS. The fence applies to it.
	Redirect string
	// DialContext, when set, makes the connection instead of a TCP dial
	// to the server's address (capture mode hands out in-process
	// connections). It is called after the fence check, with "tcp" and
	// the address, under a context bounded by the Timeout.
	DialContext func(ctx context.Context, network, address string) (net.Conn, error)
}

// redirect returns cfg pointed at opts.Redirect, or cfg itself.
func redirect(cfg *Config, opts Options) (*Config, error) {
	if opts.Redirect == "" {
		return cfg, nil
	}
	host, port, err := net.SplitHostPort(opts.Redirect)
	n, perr := strconv.Atoi(port)
	if err != nil || perr != nil {
		return nil, fmt.Errorf("smtp: redirect %q: want host:port", opts.Redirect)
	}
	c := *cfg
	c.Server, c.Port, c.PortInServer = host, n, false
	if c.TLSMode == TLSImplicit {
		c.TLSMode = TLSStartTLS
	}
	return &c, nil
}

// Info describes an established session; it holds no secret.
type Info struct {
	Manager string
	Server  string // host:port
	// Extensions are the EHLO keywords the server offered (after TLS when
	// TLS was started), with their parameters.
	Extensions []string
	TLSMode    TLSMode
	// TLS is the TLS state, or nil for a plain-text session.
	TLS *tls.ConnectionState
	// Mechanism is the SASL mechanism used, or "" for anonymous.
	Mechanism string
	// User is the user logged in as, and CredentialSource where that
	// credential came from.
	User, CredentialSource string
	// ServicePrincipal is the server's Kerberos principal, with GSSAPI.
	ServicePrincipal string
}

// Session is a ready SMTP session: connected, TLS started as configured,
// authenticated. It is not safe for concurrent use.
type Session struct {
	Info Info
	// owner is the manager that keeps the session between Send Mail
	// tasks (RetainSameConnection), with the settings it was made with;
	// broken marks a session that failed and must not be kept.
	owner  *Manager
	cfg    *Config
	broken bool
	// needReset marks a kept session whose RSET is still to be sent (in
	// the next envelope's pipeline).
	needReset bool
	// redialCfg and redialOpts are what Send dials with when the kept
	// session turns out to be gone.
	redialCfg  *Config
	redialOpts Options
	c          *gosmtp.Client
	w          *wire
	d          *dialer
}

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

// Acquire connects with the manager's settings (as property expressions
// left them) and returns a ready session.
//
// With RetainSameConnection=True (a dtsx extension; SSIS opens a connection
// per Send Mail execution) the session closed by one task is kept and
// handed to the next, after an RSET; when the server has closed it
// meanwhile, a new one is dialled.
func (m *Manager) Acquire(ctx context.Context, opts Options) (*Session, error) {
	cfg, err := m.settings()
	if err != nil {
		return nil, fmt.Errorf("smtp: connection manager %q: %w", m.Def.Name, err)
	}
	if !cfg.RetainSameConnection {
		return Dial(ctx, m.Def.Name, cfg, opts)
	}
	if s := m.take(cfg); s != nil {
		if s.pipelining() {
			// The RSET goes out with the next envelope; a server that
			// closed the session meanwhile makes Send dial again, with
			// the settings and options of this Acquire.
			s.needReset, s.redialCfg, s.redialOpts = true, cfg, opts
			return s, nil
		}
		err := s.rset(ctx)
		if err == nil {
			return s, nil
		}
		s.c.Close()
		m.log(opts).Debug("retained session gone; dialling again", zap.String("connection", m.Def.Name), zap.Error(err))
	}
	s, err := Dial(ctx, m.Def.Name, cfg, opts)
	if err != nil {
		return nil, err
	}
	s.owner, s.cfg = m, cfg
	return s, nil
}

// SASL mechanism names as sent in AUTH.
const (
	mechNTLM    = "NTLM"
	mechGSSAPI  = "GSSAPI"
	mechPlain   = "PLAIN"
	mechLogin   = "LOGIN"
	mechXOAUTH2 = "XOAUTH2"
)

// mechanism returns the SASL mechanism the settings ask for: AuthMechanism
// when set, else for UseWindowsAuthentication=True GSSAPI when a Kerberos
// credential is configured (Windows prefers Kerberos too) and NTLM
// otherwise, else none.
func mechanism(cfg *Config) string {
	switch {
	case cfg.AuthMechanism != "" && !strings.EqualFold(cfg.AuthMechanism, AuthAnonymous):
		return strings.ToUpper(cfg.AuthMechanism)
	case cfg.AuthMechanism == "" && cfg.UseWindowsAuthentication && kerberosConfigured(cfg):
		return mechGSSAPI
	case cfg.AuthMechanism == "" && cfg.UseWindowsAuthentication:
		return mechNTLM
	}
	return ""
}

// Dial connects to the server of cfg and returns a ready session: dial
// with the context and Timeout, EHLO, STARTTLS or implicit TLS as
// configured (never a fall-back to plain text when TLS is required), then
// AUTH. name is the connection manager's name, for messages and credential
// look-up. Cancelling ctx closes the connection at once.
func Dial(ctx context.Context, name string, cfg *Config, opts Options) (*Session, error) {
	cfg, err := redirect(cfg, opts)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("smtp: connection manager %q: %w", name, err)
	}
	d := &dialer{name: name, addr: cfg.Address(), cfg: cfg, opts: opts, log: opts.Logger, timeout: cfg.EffectiveTimeout()}
	if d.log == nil {
		d.log = zap.NewNop()
	}
	d.log = d.log.With(zap.String("connection", name), zap.String("server", d.addr))
	fence := opts.Fence
	if fence == nil {
		var err error
		if fence, err = FenceFromEnv(); err != nil {
			return nil, err
		}
	}
	if !fence.Allows(cfg.Server) {
		return nil, &Error{Kind: ErrNotAllowed, Manager: name, Server: d.addr, Op: "dial",
			Hint: fmt.Sprintf("%s allows only %s; add the host there, point the connection elsewhere%s, or use capture mode",
				EnvAllowedHosts, fence, d.opts.option(" (%s)", "--conn"))}
	}
	mech := mechanism(cfg)
	cred, err := d.credential(mech)
	if mech == mechGSSAPI && cfg.AuthMechanism == "" {
		mech, cred, err = d.windowsAuth(cred, err)
	}
	if err != nil {
		return nil, err
	}
	mode := cfg.EffectiveTLSMode()
	if mode == TLSNone && !cfg.AllowInsecureAuth && (mech == mechPlain || mech == mechLogin || mech == mechXOAUTH2) {
		return nil, &Error{Kind: ErrAuth, Manager: name, Server: d.addr, Op: "auth",
			Err:  fmt.Errorf("%s would send the password in plain text", mech),
			Hint: "set EnableSsl=True (or TlsMode=StartTls/Implicit), or AllowInsecureAuth=True if you must"}
	}

	conn, err := d.dial(ctx)
	if err != nil {
		return nil, d.classify(ctx, "dial", err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	s, err := d.session(ctx, conn, mode, mech, cred)
	if err != nil {
		conn.Close()
		return nil, err
	}
	d.log.Debug("smtp session ready", zap.String("tls", tlsVersion(s.Info.TLS)), zap.String("mechanism", s.Info.Mechanism),
		zap.String("user", s.Info.User))
	return s, nil
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

// credential finds the credential a mechanism needs: the connection
// string's own UserName/Domain/Password first, then Options.Credentials.
func (d *dialer) credential(mech string) (Credential, error) {
	if mech == "" {
		return Credential{}, nil
	}
	if mech == mechGSSAPI {
		return d.kerberosCredential()
	}
	c := Credential{UserName: d.cfg.UserName, Domain: d.cfg.Domain, Password: d.cfg.Password, Source: "the connection string"}
	if c.empty() && d.opts.Credentials != nil {
		found, ok, err := d.opts.Credentials.Credential(d.name)
		if err != nil {
			return Credential{}, &Error{Kind: ErrNoCredential, Manager: d.name, Server: d.addr, Op: "auth", Err: err}
		}
		if ok {
			c = found
		}
	}
	missing := c.UserName == "" || (mech == mechXOAUTH2 && c.Token == "") || (mech != mechXOAUTH2 && c.Password == "")
	if missing {
		what := "PASSWORD"
		if mech == mechXOAUTH2 {
			what = "TOKEN"
		}
		return Credential{}, &Error{Kind: ErrNoCredential, Manager: d.name, Server: d.addr, Op: "auth",
			Err: fmt.Errorf("%s needs a user name and a %s", mechName(d.cfg, mech), strings.ToLower(what)),
			Hint: fmt.Sprintf("set %s and %s (or %s and %s for every connection)%s",
				EnvName(d.name, "USERNAME"), EnvName(d.name, what), EnvName("", "USERNAME"), EnvName("", what),
				d.opts.option(", or give %s", "--credentials FILE"))}
	}
	return c, nil
}

func mechName(cfg *Config, mech string) string {
	if cfg.UseWindowsAuthentication && cfg.AuthMechanism == "" {
		return "UseWindowsAuthentication=True (" + mech + ")"
	}
	return "AuthMechanism=" + mech
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

func userForInfo(c Credential) string {
	user, domain := c.SplitUser()
	if domain != "" {
		return domain + `\` + user
	}
	return user
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

// Rejection is a recipient the server refused.
type Rejection struct {
	Address string
	Code    int
	Reply   string
}

// RecipientsError lists the recipients the server refused; the mail was not
// sent to anyone.
type RecipientsError struct {
	Rejected []Rejection
}

func (e *RecipientsError) Error() string {
	parts := make([]string, len(e.Rejected))
	for i, r := range e.Rejected {
		parts[i] = fmt.Sprintf("<%s>: %d %s", r.Address, r.Code, r.Reply)
	}
	return "recipients refused: " + strings.Join(parts, "; ")
}

// Send delivers one message to every recipient, or to none: a refused
// recipient cancels the transaction (RSET) and fails with a
// *RecipientsError inside an *Error. It returns the server's reply to the
// end of DATA (Postfix: "2.0.0 Ok: queued as …"); the mail counts as sent
// only then. Cancelling ctx closes the connection at once.
func (s *Session) Send(ctx context.Context, from string, to []string, msg io.Reader) (string, error) {
	var reply string
	var err error
	if s.pipelining() && ascii(from, to) {
		var stale bool
		reply, err, stale = s.sendPipelined(ctx, from, to, msg)
		if stale && ctx.Err() == nil {
			// The kept session was gone before the server took anything:
			// a new session sends the mail.
			s.d.log.Debug("kept session gone; dialling again", zap.Error(err))
			if err = s.redial(ctx); err == nil {
				reply, err, _ = s.sendPipelined(ctx, from, to, msg)
			}
		}
	} else {
		if s.needReset {
			if err := s.rset(ctx); err != nil {
				s.broken = true
				return "", s.d.classify(ctx, "rset", err)
			}
			s.needReset = false
		}
		reply, err = s.send(ctx, from, to, msg)
	}
	var re *RecipientsError
	if err != nil && !errors.As(err, &re) {
		s.broken = true // not worth keeping for another mail
	}
	return reply, err
}

func (s *Session) send(ctx context.Context, from string, to []string, msg io.Reader) (string, error) {
	stop := context.AfterFunc(ctx, func() { s.w.Conn.Close() })
	defer stop()
	d := s.d
	if err := s.c.Mail(from, nil); err != nil {
		return "", d.classify(ctx, "mail", err)
	}
	var rejected []Rejection
	temporary := true
	for _, rcpt := range to {
		if err := s.c.Rcpt(rcpt, nil); err != nil {
			var se *gosmtp.SMTPError
			if !errors.As(err, &se) {
				return "", d.classify(ctx, "rcpt", err)
			}
			rejected = append(rejected, Rejection{Address: rcpt, Code: se.Code, Reply: se.Message})
			temporary = temporary && se.Code/100 == 4
		}
	}
	if len(rejected) > 0 {
		_ = s.c.Reset()
		return "", d.refused(rejected, temporary)
	}
	return s.data(ctx, msg)
}

// refused is the error for refused recipients: no mail was sent.
func (d *dialer) refused(rejected []Rejection, temporary bool) error {
	code := rejected[0].Code // all 4xx: a later try may succeed
	for _, r := range rejected {
		if !temporary && r.Code/100 == 5 {
			code = r.Code
			break
		}
	}
	hint := "no mail was sent; correct or remove the refused recipients"
	if temporary {
		hint = "no mail was sent; run the package again later"
	}
	return &Error{Kind: ErrReply, Manager: d.name, Server: d.addr, Op: "rcpt", Code: code,
		Err: &RecipientsError{Rejected: rejected}, Hint: hint}
}

// data sends DATA and the message, and returns the server's reply to its
// end: the mail counts as sent only then. A failure to write the message
// delivered nothing; one after the final dot went out is ErrDeliveryUnknown.
func (s *Session) data(ctx context.Context, msg io.Reader) (string, error) {
	d := s.d
	wc, err := s.c.Data()
	if err != nil {
		return "", d.classify(ctx, "data", err)
	}
	if err := s.copyMessage(ctx, wc, msg); err != nil {
		return "", err
	}
	resp, err := wc.CloseWithResponse() // writes the final dot, reads the reply
	switch {
	case err != nil && s.w.writeErr != nil:
		return "", d.sending(ctx, err)
	case err != nil:
		return "", d.afterBody(ctx, err)
	}
	return resp.StatusText, nil
}

// copyMessage writes the message to w, the writer of the message data,
// all but the final dot. When the message cannot be read, the connection
// is closed before its end, so that the server discards the transaction
// (it takes a message only at the final dot, RFC 5321 §4.1.1.4) and nobody
// gets part of it.
func (s *Session) copyMessage(ctx context.Context, w io.Writer, msg io.Reader) error {
	s.w.writeErr = nil
	_, err := io.Copy(w, msg)
	switch {
	case err == nil:
		return nil
	case s.w.writeErr != nil:
		return s.d.sending(ctx, err)
	}
	s.broken = true
	s.w.deadline = time.Time{} // no QUIT: the connection is gone
	s.w.Conn.Close()
	return fmt.Errorf("smtp: connection manager %q (%s): data: reading the message to send: %w (nothing was sent: the connection was closed before the end of the message)",
		s.d.name, s.d.addr, err)
}

// pipelining reports a server that offered PIPELINING (RFC 2920).
func (s *Session) pipelining() bool {
	ok, _ := s.c.Extension("PIPELINING")
	return ok
}

// ascii reports envelope addresses that need no SMTPUTF8.
func ascii(from string, to []string) bool {
	for _, a := range append([]string{from}, to...) {
		for i := 0; i < len(a); i++ {
			if a[i] >= 0x80 || a[i] < 0x20 {
				return false
			}
		}
	}
	return true
}

// redial replaces a session the server closed with a new one to the same
// server, with the same settings and credentials.
func (s *Session) redial(ctx context.Context) error {
	s.c.Close()
	n, err := Dial(ctx, s.d.name, s.redialCfg, s.redialOpts)
	if err != nil {
		return err
	}
	s.Info, s.c, s.w, s.d, s.needReset = n.Info, n.c, n.w, n.d, false
	return nil
}

// sendPipelined sends the envelope as one group (RFC 2920): RSET when the
// session was kept, MAIL FROM and every RCPT TO, then reads their replies
// in order; DATA and the message follow as in send. stale reports a kept
// session that failed before any reply: nothing was taken, and a new
// session may send the mail.
func (s *Session) sendPipelined(ctx context.Context, from string, to []string, msg io.Reader) (reply string, err error, stale bool) {
	stop := context.AfterFunc(ctx, func() { s.w.Conn.Close() })
	defer stop()
	d := s.d
	var cmds []string
	if s.needReset {
		cmds = append(cmds, "RSET")
	}
	mail := "MAIL FROM:<" + from + ">"
	if ok, _ := s.c.Extension("8BITMIME"); ok {
		mail += " BODY=8BITMIME"
	}
	cmds = append(cmds, mail)
	for _, r := range to {
		cmds = append(cmds, "RCPT TO:<"+r+">")
	}
	for _, c := range cmds {
		if strings.ContainsAny(c, "\r\n") {
			return "", fmt.Errorf("smtp: a line break in an address"), false
		}
	}
	// With one recipient DATA joins the group (it may be the last command
	// of one, RFC 2920 §3.1): a refused recipient leaves the server no one
	// to accept a message for, so it refuses DATA too. With more, one
	// could be refused while DATA is accepted, and a mail must not go to
	// the others; DATA then waits for the recipients' replies.
	withData := len(to) == 1
	if withData {
		cmds = append(cmds, "DATA")
	}
	reused := s.needReset
	s.needReset = false
	replies, err := s.roundTrip(strings.Join(cmds, "\r\n")+"\r\n", len(cmds))
	if err != nil {
		for _, r := range replies { // a refusal before the server closed says more
			if r.code/100 != 2 && r.code != 354 {
				return "", d.classify(ctx, "mail", r.err()), false
			}
		}
		op := "mail" // the command whose reply did not come
		if len(replies) < len(cmds) {
			op = strings.ToLower(strings.Fields(cmds[len(replies)])[0])
		}
		return "", d.classify(ctx, op, err), reused && len(replies) == 0
	}
	if reused {
		if r := replies[0]; r.code != 250 {
			s.broken = true
			return "", d.classify(ctx, "rset", r.err()), false
		}
		replies = replies[1:]
	}
	var data smtpReply
	if withData {
		data = replies[len(replies)-1]
		replies = replies[:len(replies)-1]
	}
	// end abandons the transaction: RSET, or, when the server already
	// waits for the message (354), closing the connection, which makes it
	// discard the transaction: nothing is sent to anyone.
	end := func() {
		if data.code == 354 {
			s.broken = true
			s.w.Conn.Close()
			return
		}
		s.abort(ctx)
	}
	if r := replies[0]; r.code/100 != 2 {
		end()
		return "", d.classify(ctx, "mail", r.err()), false
	}
	var rejected []Rejection
	temporary := true
	for i, r := range replies[1:] {
		if r.code/100 != 2 {
			rejected = append(rejected, Rejection{Address: to[i], Code: r.code, Reply: r.text})
			temporary = temporary && r.code/100 == 4
		}
	}
	if len(rejected) > 0 {
		end()
		return "", d.refused(rejected, temporary), false
	}
	if !withData {
		reply, err = s.data(ctx, msg)
		return reply, err, false
	}
	if data.code != 354 {
		end()
		return "", d.classify(ctx, "data", data.err()), false
	}
	reply, err = s.body(ctx, msg)
	return reply, err, false
}

// body writes the message after a pipelined DATA, dot-stuffed and ended
// with a line holding a dot, and returns the server's reply to it: the mail
// counts as sent only after that 250. A failure to write delivered nothing;
// one after the dot went out is ErrDeliveryUnknown.
func (s *Session) body(ctx context.Context, msg io.Reader) (string, error) {
	d := s.d
	bw := bufio.NewWriter(s.w) // each write within Timeout
	dw := textproto.NewWriter(bw).DotWriter()
	if err := s.copyMessage(ctx, dw, msg); err != nil {
		return "", err
	}
	if err := dw.Close(); err != nil {
		return "", d.sending(ctx, err)
	}
	r, err := s.roundTrip("", 1)
	if err != nil {
		return "", d.afterBody(ctx, err)
	}
	if r[0].code != 250 {
		return "", d.classify(ctx, "data", r[0].err())
	}
	return r[0].text, nil
}

// abort ends a transaction the server refused part of, with RSET.
func (s *Session) abort(ctx context.Context) {
	if err := s.rset(ctx); err != nil {
		s.broken = true
	}
}

// smtpReply is one reply read by roundTrip.
type smtpReply struct {
	code int
	text string
}

func (r smtpReply) err() error {
	e := &gosmtp.SMTPError{Code: r.code, EnhancedCode: gosmtp.NoEnhancedCode, Message: r.text}
	if parts := strings.SplitN(r.text, " ", 2); len(parts) == 2 {
		var c gosmtp.EnhancedCode
		if n, _ := fmt.Sscanf(parts[0], "%d.%d.%d", &c[0], &c[1], &c[2]); n == 3 {
			e.EnhancedCode, e.Message = c, parts[1]
		}
	}
	return e
}

// roundTrip writes cmds (whole lines) at once, if any, and reads n replies. It runs
// between transactions or before DATA, when go-smtp has nothing buffered
// and the server sends nothing but these replies, so reading whole chunks
// cannot take what go-smtp should read next. The wire bounds what it
// buffers (MaxReplyLine, MaxReplyBytes).
func (s *Session) roundTrip(cmds string, n int) ([]smtpReply, error) {
	if cmds != "" {
		if _, err := s.w.Write([]byte(cmds)); err != nil {
			return nil, err
		}
	}
	s.w.deadline = time.Now().Add(s.d.timeout)
	s.w.Conn.SetDeadline(s.w.deadline)
	defer s.w.Conn.SetDeadline(time.Time{})
	var out []smtpReply
	var buf, text []byte
	chunk := make([]byte, 4096)
	for {
		k, err := s.w.Read(chunk)
		buf = append(buf, chunk[:k]...)
		for {
			i := bytes.IndexByte(buf, '\n')
			if i < 0 {
				break
			}
			line := bytes.TrimRight(buf[:i], "\r")
			buf = buf[i+1:]
			if len(line) < 3 {
				return out, errMalformed()
			}
			code := 0
			for _, c := range line[:3] {
				if c < '0' || c > '9' {
					return out, errMalformed()
				}
				code = code*10 + int(c-'0')
			}
			if len(text) > 0 {
				text = append(text, '\n')
			}
			if len(line) > 4 {
				text = append(text, line[4:]...)
			}
			if len(line) >= 4 && line[3] == '-' {
				continue
			}
			out = append(out, smtpReply{code: code, text: string(text)})
			text = text[:0]
			if len(out) == n {
				if len(buf) > 0 {
					return out, &ProtocolError{Msg: "the server sent more replies than commands"}
				}
				return out, nil
			}
		}
		if err != nil {
			return out, err
		}
	}
}

// rset sends RSET on a kept session and reads the 250 itself: go-smtp's
// Reset would make the next command say EHLO again, a round trip per
// mail. It runs between transactions, when go-smtp has nothing buffered.
// An error means the session cannot be used (the server closed it, say).
func (s *Session) rset(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { s.w.Conn.Close() })
	defer stop()
	r, err := s.roundTrip("RSET\r\n", 1)
	if err != nil {
		return err
	}
	if r[0].code != 250 {
		return fmt.Errorf("RSET: %d %s", r[0].code, r[0].text)
	}
	return ctx.Err()
}

// Reset aborts the current transaction (RSET), to reuse the session.
func (s *Session) Reset() error { return s.d.classify(context.Background(), "rset", s.c.Reset()) }

// Close says QUIT and closes the connection; a session of a manager with
// RetainSameConnection=True goes back to its manager instead, for the next
// Send Mail task of the run (Manager.Close ends it).
func (s *Session) Close() error {
	if s.owner != nil && !s.broken && s.owner.keep(s) {
		return nil
	}
	return s.quit()
}

// quit says QUIT and closes the connection. After a failure (broken) the
// QUIT has what is left of the failed command's Timeout, at most quitCap,
// and is not sent when nothing is left (deadline.go).
func (s *Session) quit() error {
	if s.broken {
		left := quitBudget(s.w.deadline, time.Now())
		if left <= 0 {
			s.c.Close()
			return nil
		}
		s.c.CommandTimeout = left
	}
	err := s.c.Quit()
	s.c.Close()
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return s.d.classify(context.Background(), "quit", err)
	}
	return nil
}
