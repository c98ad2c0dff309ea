package smtp

// Kerberos for UseWindowsAuthentication=True and AuthMechanism=GSSAPI: the
// login prepared before dialling, the service ticket asked for once the
// server offers GSSAPI, and the typed errors of each failure. Where the
// credential is and which principal logs in are in gssapi_credential.go,
// the KDC exchange in gssapi_kdc.go, the SASL exchange itself (RFC 4752) in
// gssapi_sasl.go.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jcmturner/gokrb5/v8/config"
	krbcreds "github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
	"go.uber.org/zap"

	"github.com/dtsx-run/dtsx/connections/credentials"
)

// Environment variables of MIT Kerberos that GSSAPI honours, as every
// Kerberos login does (connections/credentials).
const (
	// EnvKrb5Config names the krb5.conf to read (default DefaultKrb5Config);
	// of a colon-separated list, the first file that exists is read.
	EnvKrb5Config = credentials.EnvKrb5Config
	// EnvKrb5ClientKeytab and EnvKrb5Keytab name a keytab ("FILE:/path" or
	// "/path") to log in with, when the connection has no Keytab= key.
	EnvKrb5ClientKeytab = credentials.EnvKrb5ClientKeytab
	EnvKrb5Keytab       = credentials.EnvKrb5Keytab
	// EnvKrb5CCache names the ticket cache ("FILE:/path" or "/path") that
	// kinit filled; default FILE:/tmp/krb5cc_<uid>.
	EnvKrb5CCache = credentials.EnvKrb5CCache
	// DefaultKrb5Config is read when KRB5_CONFIG is not set.
	DefaultKrb5Config = credentials.DefaultKrb5Config
	// DefaultServiceName is the service of the default service principal,
	// smtp/<SmtpServer>, as Postfix and Cyrus SASL register it.
	DefaultServiceName = "smtp"
)

// ErrKerberos is matched (errors.Is) by every failure that Kerberos caused:
// the *Error's Kind says more (ErrNoCredential, ErrAuth, ErrNotAllowed or
// ErrKerberos itself for a clock skew, an unknown principal, an unreachable
// KDC, a bad krb5.conf), and its cause is a *KerberosError.
var ErrKerberos = errors.New("Kerberos failed")

// KerberosError is a Kerberos failure of GSSAPI. It names the principals
// and, when the KDC or the server sent a KRB-ERROR, its code; it never holds
// a key or a ticket.
type KerberosError struct {
	// Code is the KRB-ERROR code (RFC 4120 §7.5.9), e.g. 37 for a clock
	// skew, or 0 when there was none.
	Code int32
	// Principal is the client principal (alice@TEST.LOCAL) and
	// ServicePrincipal the server's (smtp/mail.test.local), when known.
	Principal, ServicePrincipal string
	// Msg says what went wrong, for people.
	Msg string

	kind error  // the *Error's Kind
	hint string // the *Error's Hint
}

// Error returns the message, with the KRB-ERROR name when there was one.
func (e *KerberosError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("%s (%s)", e.Msg, credentials.KerberosErrorName(e.Code))
	}
	return e.Msg
}

// Is makes errors.Is(err, ErrKerberos) true.
func (e *KerberosError) Is(target error) bool { return target == ErrKerberos }

// krbLogin is what a GSSAPI login needs, found before connecting: the
// krb5.conf, the client principal, its credential and the service
// principal.
type krbLogin struct {
	conf     *config.Config
	confPath string
	src      krbSource
	client   principal
	spn      string // smtp/mail.test.local
	kt       *keytab.Keytab
	cc       *krbcreds.CCache
}

// krbTicket gets the service ticket of a login; tests replace it.
var krbTicket = (*krbLogin).serviceTicket

// kerberosCredential prepares a GSSAPI login before anything is dialled:
// krb5.conf, the keytab or ticket cache, the principal, the service
// principal, and the KDCs against the fence. It stores the login in d.krb
// and returns the credential for Info (the principal and its source).
func (d *dialer) kerberosCredential() (Credential, error) {
	fail := func(kind error, ke *KerberosError) (Credential, error) {
		ke.kind = kind
		return Credential{}, d.kerberosError(ke)
	}
	kc, confPath, err := credentials.Krb5Config()
	if err != nil {
		return fail(ErrKerberos, &KerberosError{Msg: fmt.Sprintf("cannot read the Kerberos configuration %s: %v", confPath, err),
			hint: fmt.Sprintf("point %s at a krb5.conf that names your realm and its KDCs", EnvKrb5Config)})
	}
	k := &krbLogin{conf: kc, confPath: confPath}

	// The service principal: ServicePrincipalName=, or smtp/<SmtpServer>.
	spn := d.cfg.ServicePrincipalName
	if spn == "" {
		spn = DefaultServiceName + "/" + strings.ToLower(strings.TrimSuffix(d.cfg.Server, "."))
	}
	if name, realm, ok := strings.Cut(spn, "@"); ok {
		// smtp/host@REALM: the realm of the host, whatever [domain_realm] says.
		spn = name
		host := name[strings.LastIndexByte(name, '/')+1:]
		if kc.DomainRealm == nil {
			kc.DomainRealm = config.DomainRealm{}
		}
		kc.DomainRealm[host] = credentials.CanonicalRealm(kc, realm)
	}
	k.spn = spn

	// The user asked for: the connection string's, else a credential
	// source's; none means the keytab's only principal or the cache's.
	user, domain := d.cfg.UserName, d.cfg.Domain
	if user == "" && d.opts.Credentials != nil {
		found, ok, err := d.opts.Credentials.Credential(d.name)
		if err != nil {
			return Credential{}, &Error{Kind: ErrNoCredential, Manager: d.name, Server: d.addr, Op: "auth", Err: err}
		}
		if ok {
			user, domain = found.UserName, found.Domain
		}
	}
	var want *principal
	if user != "" {
		p, err := userPrincipal(user, domain, kc)
		if err != nil {
			return fail(ErrNoCredential, &KerberosError{ServicePrincipal: spn, Msg: err.Error(),
				hint: "set UserName=user@REALM (or DTSX_SMTP_USERNAME)"})
		}
		want = &p
	}

	src, found, err := krbSourceOf(d.cfg)
	switch {
	case err != nil:
		return fail(ErrUnsupported, &KerberosError{ServicePrincipal: spn, Msg: err.Error(),
			hint: "give a keytab file (Keytab=/path or KRB5_KTNAME=FILE:/path), or a file ticket cache: export KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) and kinit again"})
	case !found:
		who := "user@REALM"
		if want != nil {
			who = want.String()
		}
		return fail(ErrNoCredential, &KerberosError{ServicePrincipal: spn,
			Msg:  fmt.Sprintf("%s needs a Kerberos credential: no keytab is configured (Keytab=, %s) and there is no ticket cache (%s)", mechName(d.cfg, mechGSSAPI), EnvKrb5Keytab, EnvKrb5CCache),
			hint: fmt.Sprintf("set Keytab=/path/to/keytab (or %s=FILE:/path) with UserName=%s, or run kinit %s", EnvKrb5Keytab, who, who)})
	}
	if d.cfg.ServicePrincipalName == "" && isAddress(d.cfg.Server) {
		return fail(ErrKerberos, &KerberosError{ServicePrincipal: spn,
			Msg:  fmt.Sprintf("the server is named by its address %s, and Kerberos needs its host name for the service principal", d.cfg.Server),
			hint: "set ServicePrincipalName=smtp/<the server's host name> (the principal in the server's keytab), or name the server by host name in SmtpServer"})
	}
	k.src = src
	if src.Keytab {
		if err := k.useKeytab(want); err != nil {
			return fail(ErrNoCredential, err)
		}
	} else if err := k.useCache(want); err != nil {
		return fail(ErrNoCredential, err)
	}
	if err := k.fenceKDCs(d); err != nil {
		return Credential{}, err
	}
	d.krb = k
	return Credential{UserName: k.client.String(), Source: src.String()}, nil
}

// gssapiClient gets the service ticket (the KDC is asked now, when the
// server has offered GSSAPI) and returns the SASL client that presents it.
// gokrb5 takes no context: a cancelled ctx returns at once and leaves the
// KDC exchange to end by its own timeouts (5 s per KDC).
func (d *dialer) gssapiClient(ctx context.Context) (*gssapiClient, error) {
	k := d.krb
	type result struct {
		tkt messages.Ticket
		key types.EncryptionKey
		err error
	}
	done := make(chan result, 1)
	go func() {
		tkt, key, err := krbTicket(k)
		done <- result{tkt, key, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		return nil, fmt.Errorf("smtp: connection manager %q (%s): auth: Kerberos: %w", d.name, d.addr, ctx.Err())
	}
	if r.err != nil {
		return nil, d.kerberosError(k.classify(r.err))
	}
	d.log.Debug("kerberos service ticket", zap.String("principal", k.client.String()), zap.String("spn", k.spn),
		zap.String("credential", k.src.String()), zap.Int32("etype", r.key.KeyType))
	return &gssapiClient{ticket: r.tkt, key: r.key, crealm: k.client.realm,
		cname: types.PrincipalName{NameType: nametype.KRB_NT_PRINCIPAL, NameString: k.client.name}, spn: k.spn}, nil
}

// kerberosError makes the *Error of a Kerberos failure.
func (d *dialer) kerberosError(ke *KerberosError) *Error {
	kind := ke.kind
	if kind == nil {
		kind = ErrKerberos
	}
	return &Error{Kind: kind, Manager: d.name, Server: d.addr, Op: "auth", Err: ke, Hint: ke.hint}
}

// windowsAuth settles UseWindowsAuthentication=True when Kerberos is
// configured (cred and err are the Kerberos credential's): Kerberos, with an
// NTLM credential kept to fall back on when the server offers no GSSAPI; or
// NTLM when the Kerberos credential cannot be used but an NTLM one exists.
// A failure once the KDC has been asked is never hidden by NTLM.
func (d *dialer) windowsAuth(cred Credential, err error) (string, Credential, error) {
	ntlm, nerr := d.credential(mechNTLM)
	var e *Error
	switch {
	case err == nil && nerr == nil:
		d.fallback = &ntlm
	case err != nil && nerr == nil:
		d.log.Warn("Kerberos cannot be used; NTLM instead", zap.Error(err))
		d.krb = nil
		return mechNTLM, ntlm, nil
	case err != nil && errors.As(err, &e):
		e.Hint += fmt.Sprintf("; or, for NTLM, set %s and %s", EnvName(d.name, "USERNAME"), EnvName(d.name, "PASSWORD"))
	}
	return mechGSSAPI, cred, err
}

// gssapiAuthFailed explains a failed AUTH GSSAPI: the client's own
// *KerberosError carries its kind and hint; a 535 after the ticket was sent
// means the server could not accept it.
func (d *dialer) gssapiAuthFailed(err error) error {
	var se *Error
	var ke *KerberosError
	switch {
	case d.krb == nil || !errors.As(err, &se):
		return err
	case errors.As(err, &ke):
		if ke.kind != nil {
			se.Kind = ke.kind
		}
		se.Hint = ke.hint
		return se
	case se.Code/100 != 5:
		return err
	}
	se.Hint = fmt.Sprintf("the server did not accept the Kerberos ticket of %s for %s: check that the server's keytab holds the current key of %s "+
		"(ServicePrincipalName= names it when the server is reached by address or alias), and that %s may send mail",
		d.krb.client, d.krb.spn, d.krb.spn, d.krb.client)
	return se
}
