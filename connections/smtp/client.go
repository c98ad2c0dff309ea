package smtp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"

	"go.uber.org/zap"
)

// Options say how a connection is made, beyond the persisted settings.
type Options struct {
	// Credentials are asked for the connection's credential when the
	// connection string holds none (UserName, Password).
	Credentials CredentialSource
	// Fence limits the servers that may be reached; nil means the fence of
	// DTSX_ALLOWED_HOSTS and DTSX_SMTP_ALLOWED_HOSTS (none when unset).
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
	// WindowsLoginNowhere, when set, keeps UseWindowsAuthentication=True
	// from logging in anywhere: no Kerberos ticket is asked for, a
	// credential found is sent with NTLM, and without one the session
	// sends no AUTH rather than failing. Capture mode sets it: its
	// in-process server accepts any login, and the Windows identity of the
	// package's server does not exist here.
	WindowsLoginNowhere bool
	// serverExpression is the manager's property expression that sets the
	// server at run time ("SmtpServer (@[User::Host])"), or "": a hint
	// then recommends what it reads, not --conn, which it replaces.
	serverExpression string
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
		elsewhere := "point the connection elsewhere" + d.opts.option(" (%s)", "--conn")
		if e := opts.serverExpression; e != "" {
			elsewhere = "point the connection elsewhere through what its property expression " + e + " reads" +
				d.opts.option(" (a %s is replaced by the expression)", "--conn")
		}
		return nil, &Error{Kind: ErrNotAllowed, Manager: name, Server: d.addr, Op: "dial",
			Hint: fmt.Sprintf("%s; add the host there, %s, or use capture mode", fence.Refusal(cfg.Server), elsewhere)}
	}
	mech := mechanism(cfg)
	windows := cfg.UseWindowsAuthentication && cfg.AuthMechanism == ""
	if windows && opts.WindowsLoginNowhere {
		mech = mechNTLM // no KDC is asked
	}
	cred, err := d.credential(mech)
	switch {
	case windows && opts.WindowsLoginNowhere && errors.Is(err, ErrNoCredential):
		d.log.Info("UseWindowsAuthentication=True and no credential: no AUTH, as this server logs in nowhere")
		mech, cred, err = "", Credential{}, nil
	case mech == mechGSSAPI && cfg.AuthMechanism == "":
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
