package database

// The Kerberos authenticator of SQL Server's Windows logins: a SPNEGO
// token (RFC 4178) with a service ticket from gokrb5, as go-mssqldb's own
// krb5 provider makes it, but without that provider's CNAME lookup of the
// server (a DNS query outside the egress fence, which also drops the last
// character of a name resolved from /etc/hosts, so that the ticket asked
// for is MSSQLSvc/localhos:1433), and with failures that say what to do.
// go-mssqldb finds authenticators in a process-wide registry by the
// connection's "authenticator" parameter; this one is registered once,
// holds no state, and reads everything from the connection's settings.

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/krberror"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/microsoft/go-mssqldb/integratedauth"
	"github.com/microsoft/go-mssqldb/msdsn"

	"github.com/dtsx-run/dtsx/connections/credentials"
)

// The authenticator's name and the parameters of the connection's
// settings it reads (none holds a secret: keys stay in their files).
const (
	krbAuthenticator = "dtsx-kerberos"
	krbParamConfig   = "dtsx-krb5-config"
	krbParamKeytab   = "dtsx-krb5-keytab"
	krbParamCCache   = "dtsx-krb5-ccache"
	krbParamRealm    = "dtsx-krb5-realm"
	krbParamNoDNS    = "dtsx-krb5-no-dns"
)

var registerKerberos = sync.OnceValue(func() error {
	return integratedauth.SetIntegratedAuthenticationProvider(krbAuthenticator, integratedauth.ProviderFunc(newKerberosAuth))
})

// ErrKerberos is matched by every failure of a Kerberos login; the error
// is a *KerberosError.
var ErrKerberos = errors.New("database: Kerberos login failed")

// KerberosError is a failed Kerberos login of a SQL Server connection. It
// names the principals and the KRB-ERROR code, never a key or a ticket.
type KerberosError struct {
	// Code is the KRB-ERROR code (RFC 4120 §7.5.9), or 0.
	Code int32
	// Principal is the client (alice@TEST.LOCAL, or "" before a ticket
	// cache is read) and ServicePrincipal the server's.
	Principal, ServicePrincipal string
	// Msg says what went wrong and Hint what to do.
	Msg, Hint string
	// Err is gokrb5's error.
	Err error
}

// Error returns the message, the KRB-ERROR name and the hint.
func (e *KerberosError) Error() string {
	s := "Kerberos: " + e.Msg
	if e.Code != 0 {
		s += " (" + credentials.KerberosErrorName(e.Code) + ")"
	}
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// Unwrap returns gokrb5's error.
func (e *KerberosError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrKerberos) true.
func (e *KerberosError) Is(target error) bool { return target == ErrKerberos }

// krbAuth is one connection's Kerberos login.
type krbAuth struct {
	p  msdsn.Config
	cl *client.Client
}

// newKerberosAuth is the provider: it checks the settings, and logs in
// only when the driver asks for the first token.
func newKerberosAuth(p msdsn.Config) (integratedauth.IntegratedAuthenticator, error) {
	if p.ServerSPN == "" || p.Parameters[krbParamConfig] == "" {
		return nil, errors.New("database: Kerberos: the connection has no service principal or krb5.conf")
	}
	return &krbAuth{p: p}, nil
}

// principal returns the client principal as far as it is known.
func (k *krbAuth) principal() string {
	if k.cl != nil && k.cl.Credentials != nil {
		return k.cl.Credentials.UserName() + "@" + k.cl.Credentials.Realm()
	}
	if k.p.User != "" {
		return k.p.User + "@" + k.p.Parameters[krbParamRealm]
	}
	return ""
}

// InitialBytes logs in (a keytab) or takes the ticket-granting ticket of
// the cache, gets the service ticket and returns the SPNEGO token.
func (k *krbAuth) InitialBytes() ([]byte, error) {
	confPath := k.p.Parameters[krbParamConfig]
	kc, err := config.Load(confPath)
	var unsupported config.UnsupportedDirective
	if err != nil && !errors.As(err, &unsupported) {
		return nil, k.fail(err, fmt.Sprintf("cannot read the Kerberos configuration %s: %v", confPath, err),
			"point "+credentials.EnvKrb5Config+" at a krb5.conf that names your realm and its KDCs")
	}
	if k.p.Parameters[krbParamNoDNS] == "true" {
		kc.LibDefaults.DNSLookupKDC, kc.LibDefaults.DNSLookupRealm = false, false
	}
	if path := k.p.Parameters[krbParamKeytab]; path != "" {
		kt, err := credentials.LoadKeytab(path)
		if err != nil {
			return nil, k.fail(err, fmt.Sprintf("cannot read the keytab %s: %v", path, err), "check the path and that this account may read it (mode 600)")
		}
		k.cl = client.NewWithKeytab(k.p.User, k.p.Parameters[krbParamRealm], kt, kc, client.DisablePAFXFAST(true))
		if err := k.cl.Login(); err != nil {
			return nil, k.classify(err, kc)
		}
	} else {
		path := k.p.Parameters[krbParamCCache]
		cc, err := credentials.LoadCCache(path)
		if err != nil {
			return nil, k.fail(err, fmt.Sprintf("cannot read the ticket cache %s: %v", path, err), "run kinit user@REALM, or give a keytab with "+credentials.EnvKrb5Keytab)
		}
		if k.cl, err = client.NewFromCCache(cc, kc, client.DisablePAFXFAST(true)); err != nil {
			return nil, k.fail(err, fmt.Sprintf("the ticket cache %s cannot be used: %v", path, err), "run kinit again; for unattended runs, use a keytab")
		}
	}
	tkn, err := spnego.SPNEGOClient(k.cl, k.p.ServerSPN).InitSecContext()
	if err != nil {
		return nil, k.classify(err, kc)
	}
	return tkn.Marshal()
}

// NextBytes reads the server's SPNEGO answer: Kerberos needs no second
// token from the client.
func (k *krbAuth) NextBytes(b []byte) ([]byte, error) {
	var resp spnego.SPNEGOToken
	if err := resp.Unmarshal(b); err != nil {
		return nil, k.fail(err, "the server's SPNEGO answer does not parse: "+err.Error(), "")
	}
	if ok, status := resp.Verify(); !ok && status.Code != gssapi.StatusContinueNeeded {
		return nil, k.fail(nil, fmt.Sprintf("the server refused the ticket for %s: %s", k.p.ServerSPN, status.Message),
			"check that the SQL Server's service account holds the key of "+k.p.ServerSPN)
	}
	return nil, nil
}

// Free ends the client's session.
func (k *krbAuth) Free() {
	if k.cl != nil {
		k.cl.Destroy()
		k.cl = nil
	}
}

func (k *krbAuth) fail(err error, msg, hint string) *KerberosError {
	return &KerberosError{Principal: k.principal(), ServicePrincipal: k.p.ServerSPN, Msg: msg, Hint: hint, Err: err}
}

// classify says what a failure of the KDC exchange means.
func (k *krbAuth) classify(err error, kc *config.Config) *KerberosError {
	e := k.fail(err, "", "")
	text := err.Error()
	e.Code = credentials.KerberosErrorCode(err)
	who, realm := e.Principal, k.p.Parameters[krbParamRealm]
	if i := strings.LastIndexByte(who, '@'); i >= 0 {
		realm = who[i+1:]
	}
	var kerr krberror.Krberror
	switch {
	case e.Code == errorcode.KDC_ERR_S_PRINCIPAL_UNKNOWN:
		e.Msg = fmt.Sprintf("the KDC of realm %s does not know the service principal %s", realm, k.p.ServerSPN)
		e.Hint = "register it for the SQL Server's service account (setspn -S " + k.p.ServerSPN + " DOMAIN\\account), " +
			"or name the server by the fully qualified host name its SPN has"
	case e.Code == errorcode.KDC_ERR_C_PRINCIPAL_UNKNOWN:
		e.Msg = fmt.Sprintf("the KDC of realm %s does not know the principal %s", realm, who)
		e.Hint = "check the user name and realm (user@REALM) and the keytab's principal (klist -k)"
	case e.Code == errorcode.KDC_ERR_PREAUTH_FAILED || strings.Contains(text, "password/keytab incorrect"):
		e.Msg = fmt.Sprintf("the KDC of realm %s refused the key of %s in the keytab %s", realm, who, k.p.Parameters[krbParamKeytab])
		e.Hint = "the keytab does not hold the account's current key: export it again (kadmin ktadd -norandkey, or ktutil) and compare key versions (klist -k -t)"
	case e.Code == errorcode.KRB_AP_ERR_SKEW || strings.Contains(text, "clock skew"):
		e.Msg = fmt.Sprintf("this machine's clock and the KDC's (realm %s) differ by more than the allowed skew", realm)
		e.Hint = "synchronise this machine's clock with the KDC's (NTP)"
	case e.Code == errorcode.KRB_AP_ERR_TKT_EXPIRED:
		e.Msg = fmt.Sprintf("the ticket of %s has expired", who)
		e.Hint = "run kinit again, or use a keytab"
	case errors.As(err, &kerr) && kerr.RootCause == krberror.NetworkingError:
		e.Msg = fmt.Sprintf("cannot reach a KDC of realm %s (%s) to log in %s", realm, kdcsOf(kc, realm), who)
		e.Hint = "check that the KDC runs and that [realms] " + realm + " kdc = … in krb5.conf is right"
	case e.Code != 0:
		e.Msg = fmt.Sprintf("the KDC of realm %s refused the request of %s for %s", realm, who, k.p.ServerSPN)
	default:
		parts := strings.Split(text, " < ")
		e.Msg = fmt.Sprintf("%s for %s: %s", who, k.p.ServerSPN, strings.TrimSpace(parts[len(parts)-1]))
	}
	return e
}

// kdcsOf lists the KDCs krb5.conf names for realm.
func kdcsOf(kc *config.Config, realm string) string {
	for _, r := range kc.Realms {
		if r.Realm == realm && len(r.KDC) > 0 {
			return strings.Join(r.KDC, ", ")
		}
	}
	return "none in krb5.conf"
}

var _ integratedauth.IntegratedAuthenticator = (*krbAuth)(nil)
