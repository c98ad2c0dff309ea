package smtp

// Kerberos for UseWindowsAuthentication=True and AuthMechanism=GSSAPI: where
// the credential is (a keytab or the ticket cache of kinit), which principal
// logs in, the service ticket from the KDC (gokrb5), and the typed errors of
// each failure. The SASL exchange itself (RFC 4752) is in gssapi_sasl.go.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/krberror"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
	"go.uber.org/zap"
)

// Environment variables of MIT Kerberos that GSSAPI honours.
const (
	// EnvKrb5Config names the krb5.conf to read (default DefaultKrb5Config);
	// of a colon-separated list, the first file that exists is read.
	EnvKrb5Config = "KRB5_CONFIG"
	// EnvKrb5ClientKeytab and EnvKrb5Keytab name a keytab ("FILE:/path" or
	// "/path") to log in with, when the connection has no Keytab= key.
	EnvKrb5ClientKeytab = "KRB5_CLIENT_KTNAME"
	EnvKrb5Keytab       = "KRB5_KTNAME"
	// EnvKrb5CCache names the ticket cache ("FILE:/path" or "/path") that
	// kinit filled; default FILE:/tmp/krb5cc_<uid>.
	EnvKrb5CCache = "KRB5CCNAME"
	// DefaultKrb5Config is read when KRB5_CONFIG is not set.
	DefaultKrb5Config = "/etc/krb5.conf"
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
		return fmt.Sprintf("%s (%s)", e.Msg, krbCodeName(e.Code))
	}
	return e.Msg
}

// Is makes errors.Is(err, ErrKerberos) true.
func (e *KerberosError) Is(target error) bool { return target == ErrKerberos }

// krbCodeName returns "KDC_ERR_PREAUTH_FAILED" for 24.
func krbCodeName(code int32) string {
	s := errorcode.Lookup(code) // "(24) KDC_ERR_PREAUTH_FAILED Pre-authentication information was invalid"
	if i := strings.IndexByte(s, ')'); i >= 0 && strings.HasPrefix(s, "(") {
		s = strings.TrimSpace(s[i+1:])
	}
	if f := strings.Fields(s); len(f) > 0 && strings.Contains(f[0], "_ERR_") {
		return f[0]
	}
	return "KRB-ERROR " + strconv.Itoa(int(code))
}

// krbSource is where a Kerberos credential is: a keytab or a ticket cache.
type krbSource struct {
	keytab bool
	path   string // a file: "FILE:" is removed
	origin string // "Keytab=", "KRB5_KTNAME", "KRB5CCNAME", "the default ticket cache"
}

func (s krbSource) String() string {
	what := "ticket cache"
	if s.keytab {
		what = "keytab"
	}
	return fmt.Sprintf("%s %s (%s)", what, s.path, s.origin)
}

// fileName returns the file of a keytab or ticket cache name: "FILE:/path"
// or "/path" ("WRFILE:" for a keytab). Other types (KEYRING:, KCM:, DIR:,
// MEMORY:, API:) are not supported: gokrb5 reads files only.
func fileName(name string, keytab bool) (string, error) {
	if strings.HasPrefix(name, "/") || !strings.Contains(name, ":") {
		return name, nil
	}
	typ, rest, _ := strings.Cut(name, ":")
	switch strings.ToUpper(typ) {
	case "FILE":
		return rest, nil
	case "WRFILE":
		if keytab {
			return rest, nil
		}
	}
	return "", fmt.Errorf("%s is of type %s, and dtsx reads only FILE: keytabs and ticket caches", name, strings.ToUpper(typ))
}

// krbSourceOf finds the Kerberos credential of cfg: the Keytab= key, then
// KRB5_CLIENT_KTNAME, KRB5_KTNAME, then the ticket cache KRB5CCNAME or, when
// that is unset, the default /tmp/krb5cc_<uid> if it exists. A keytab is
// preferred to a ticket cache: it is explicit, and it never expires. found
// is false when there is none.
func krbSourceOf(cfg *Config) (src krbSource, found bool, err error) {
	if cfg.Keytab != "" {
		p, err := fileName(cfg.Keytab, true)
		return krbSource{keytab: true, path: p, origin: KeyKeytab + "="}, true, err
	}
	for _, env := range []string{EnvKrb5ClientKeytab, EnvKrb5Keytab} {
		if v := os.Getenv(env); v != "" {
			p, err := fileName(v, true)
			return krbSource{keytab: true, path: p, origin: env}, true, err
		}
	}
	if v := os.Getenv(EnvKrb5CCache); v != "" {
		p, err := fileName(v, false)
		return krbSource{path: p, origin: EnvKrb5CCache}, true, err
	}
	p := fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())
	if _, err := os.Stat(p); err == nil {
		return krbSource{path: p, origin: "the default ticket cache"}, true, nil
	}
	return krbSource{}, false, nil
}

// kerberosConfigured reports whether UseWindowsAuthentication=True should
// try Kerberos before NTLM, as Windows does: a keytab is configured or a
// ticket cache exists, and the server has a name to make a service
// principal of (Windows too uses NTLM with a server named by address).
func kerberosConfigured(cfg *Config) bool {
	if cfg.ServicePrincipalName == "" && isAddress(cfg.Server) {
		return false
	}
	src, found, err := krbSourceOf(cfg)
	if err != nil || !found {
		return false
	}
	if src.keytab {
		return true
	}
	_, err = os.Stat(src.path)
	return err == nil
}

func isAddress(host string) bool {
	_, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil
}

// principal is a Kerberos principal name: its components and realm.
type principal struct {
	name  []string
	realm string
}

func (p principal) String() string { return strings.Join(p.name, "/") + "@" + p.realm }

func (p principal) equal(q principal) bool {
	return p.realm == q.realm && strings.Join(p.name, "/") == strings.Join(q.name, "/")
}

// userPrincipal reads a user as a principal: user@REALM, DOMAIN\user or
// user with Domain. A domain with a dot is taken as the realm, upper-cased
// as Windows does (test.local → TEST.LOCAL); a NetBIOS domain (TEST) and a
// bare user take the default realm of krb5.conf.
func userPrincipal(user, domain string, kc *config.Config) (principal, error) {
	realm := ""
	if i := strings.LastIndexByte(user, '@'); i >= 0 {
		user, realm = user[:i], user[i+1:]
	} else {
		if i := strings.IndexByte(user, '\\'); i >= 0 {
			if domain == "" {
				domain = user[:i]
			}
			user = user[i+1:]
		}
		if strings.Contains(domain, ".") {
			realm = strings.ToUpper(domain)
		}
	}
	if realm == "" {
		realm = kc.LibDefaults.DefaultRealm
	}
	realm = canonicalRealm(kc, realm)
	if user == "" || realm == "" {
		return principal{}, fmt.Errorf("cannot make a Kerberos principal of the user %q: write it as user@REALM, or set default_realm in krb5.conf", user)
	}
	return principal{name: strings.Split(user, "/"), realm: realm}, nil
}

// canonicalRealm returns realm as krb5.conf spells it: a realm written in
// lower case (alice@test.local) is the upper-case one krb5.conf defines.
func canonicalRealm(kc *config.Config, realm string) string {
	known := func(r string) bool {
		if r == kc.LibDefaults.DefaultRealm {
			return true
		}
		for _, kr := range kc.Realms {
			if kr.Realm == r {
				return true
			}
		}
		return false
	}
	if !known(realm) && known(strings.ToUpper(realm)) {
		return strings.ToUpper(realm)
	}
	return realm
}

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
	cc       *credentials.CCache
}

// krbTicket gets the service ticket of a login; tests replace it.
var krbTicket = (*krbLogin).serviceTicket

// loadKrb5Config reads KRB5_CONFIG (the first file of the list that exists)
// or /etc/krb5.conf.
func loadKrb5Config() (*config.Config, string, error) {
	path := DefaultKrb5Config
	if v := os.Getenv(EnvKrb5Config); v != "" {
		files := strings.Split(v, ":")
		path = files[0]
		for _, f := range files {
			if _, err := os.Stat(f); err == nil {
				path = f
				break
			}
		}
	}
	kc, err := config.Load(path)
	var unsupported config.UnsupportedDirective
	if err != nil && !errors.As(err, &unsupported) {
		return nil, path, err
	}
	return kc, path, nil
}

// kerberosCredential prepares a GSSAPI login before anything is dialled:
// krb5.conf, the keytab or ticket cache, the principal, the service
// principal, and the KDCs against the fence. It stores the login in d.krb
// and returns the credential for Info (the principal and its source).
func (d *dialer) kerberosCredential() (Credential, error) {
	fail := func(kind error, ke *KerberosError) (Credential, error) {
		ke.kind = kind
		return Credential{}, d.kerberosError(ke)
	}
	kc, confPath, err := loadKrb5Config()
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
		kc.DomainRealm[host] = canonicalRealm(kc, realm)
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
	if src.keytab {
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

// useKeytab loads the keytab and picks the principal: the one asked for,
// which the keytab must hold, or else the keytab's only one.
func (k *krbLogin) useKeytab(want *principal) *KerberosError {
	kt, err := loadKeytab(k.src.path)
	if err != nil {
		msg := fmt.Sprintf("cannot read the %s: %v", k.src, err)
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
			msg = fmt.Sprintf("cannot read the %s: %v", k.src, errors.Unwrap(err))
		}
		return &KerberosError{ServicePrincipal: k.spn, Msg: msg,
			hint: "check the path and that this account may read the keytab (it is a secret: mode 600)"}
	}
	var held []principal
	for _, e := range kt.Entries {
		p := principal{name: e.Principal.Components, realm: e.Principal.Realm}
		seen := false
		for _, h := range held {
			seen = seen || h.equal(p)
		}
		if !seen {
			held = append(held, p)
		}
	}
	list := func() string {
		var names []string
		for i, h := range held {
			if i == 5 {
				names = append(names, "…")
				break
			}
			names = append(names, h.String())
		}
		return strings.Join(names, ", ")
	}
	switch {
	case len(held) == 0:
		return &KerberosError{ServicePrincipal: k.spn, Msg: fmt.Sprintf("the %s holds no key", k.src),
			hint: "export the account's keys into it (kadmin ktadd, or ktutil)"}
	case want != nil:
		for _, h := range held {
			if h.equal(*want) {
				k.client, k.kt = h, kt
				return nil
			}
		}
		return &KerberosError{Principal: want.String(), ServicePrincipal: k.spn,
			Msg:  fmt.Sprintf("the %s holds no key for %s (it holds %s)", k.src, want, list()),
			hint: "set UserName= to a principal of the keytab, or use the keytab of " + want.String()}
	case len(held) > 1:
		return &KerberosError{ServicePrincipal: k.spn,
			Msg:  fmt.Sprintf("the %s holds several principals (%s) and no user is named", k.src, list()),
			hint: "set UserName=user@REALM to choose one"}
	}
	k.client, k.kt = held[0], kt
	return nil
}

// loadKeytab and loadCCache read a keytab and a ticket cache; gokrb5's
// parsers may panic on a truncated or foreign file.
func loadKeytab(path string) (kt *keytab.Keytab, err error) {
	defer func() {
		if recover() != nil {
			kt, err = nil, errors.New("the file is not a keytab, or is truncated")
		}
	}()
	return keytab.Load(path)
}

func loadCCache(path string) (cc *credentials.CCache, err error) {
	defer func() {
		if recover() != nil {
			cc, err = nil, errors.New("the file is not a ticket cache, or is truncated")
		}
	}()
	return credentials.LoadCCache(path)
}

// useCache loads the ticket cache: it must hold an unexpired ticket-granting
// ticket of the principal asked for, if one is.
func (k *krbLogin) useCache(want *principal) *KerberosError {
	kinit := "kinit user@REALM"
	if want != nil {
		kinit = "kinit " + want.String()
	}
	cc, err := loadCCache(k.src.path)
	if err != nil {
		msg := fmt.Sprintf("cannot read the %s: %v", k.src, err)
		if errors.Is(err, os.ErrNotExist) {
			msg = fmt.Sprintf("there is no %s", k.src)
		}
		return &KerberosError{ServicePrincipal: k.spn, Msg: msg,
			hint: fmt.Sprintf("run %s (with %s=%s), or give a keytab with Keytab=", kinit, EnvKrb5CCache, "FILE:"+k.src.path)}
	}
	k.client = principal{name: cc.DefaultPrincipal.PrincipalName.NameString, realm: cc.DefaultPrincipal.Realm}
	if want != nil && !k.client.equal(*want) {
		return &KerberosError{Principal: want.String(), ServicePrincipal: k.spn,
			Msg:  fmt.Sprintf("the %s holds the tickets of %s, not of %s", k.src, k.client, want),
			hint: fmt.Sprintf("run %s, or remove UserName= to log in as %s", kinit, k.client)}
	}
	tgt := types.PrincipalName{NameType: nametype.KRB_NT_SRV_INST, NameString: []string{"krbtgt", k.client.realm}}
	entry, ok := cc.GetEntry(tgt)
	switch {
	case !ok:
		return &KerberosError{Principal: k.client.String(), ServicePrincipal: k.spn,
			Msg: fmt.Sprintf("the %s holds no ticket-granting ticket for %s", k.src, k.client), hint: "run kinit " + k.client.String()}
	case !entry.EndTime.IsZero() && time.Now().After(entry.EndTime):
		return &KerberosError{Principal: k.client.String(), ServicePrincipal: k.spn,
			Msg:  fmt.Sprintf("the ticket of %s in the %s expired at %s", k.client, k.src, entry.EndTime.Local().Format(time.RFC3339)),
			hint: fmt.Sprintf("run kinit %s again (kinit -R renews a renewable ticket); for unattended runs, use a keytab", k.client)}
	}
	k.cc = cc
	return nil
}

// fenceKDCs applies the egress fence to Kerberos too: with a fence, the KDCs
// come from krb5.conf only (no DNS SRV lookups) and each must be allowed.
func (k *krbLogin) fenceKDCs(d *dialer) error {
	fence := d.opts.Fence
	if fence == nil {
		var err error
		if fence, err = FenceFromEnv(); err != nil {
			return err
		}
	}
	if fence == nil {
		return nil
	}
	k.conf.LibDefaults.DNSLookupKDC = false
	k.conf.LibDefaults.DNSLookupRealm = false
	realms := []string{k.client.realm}
	host := k.spn[strings.LastIndexByte(k.spn, '/')+1:]
	if r := k.conf.ResolveRealm(host); r != "" && r != k.client.realm {
		realms = append(realms, r)
	}
	for _, realm := range realms {
		for _, r := range k.conf.Realms {
			if r.Realm != realm {
				continue
			}
			for _, kdc := range r.KDC {
				h, _, err := net.SplitHostPort(kdc)
				if err != nil {
					h = kdc
				}
				if !fence.Allows(h) {
					return d.kerberosError(&KerberosError{Principal: k.client.String(), ServicePrincipal: k.spn, kind: ErrNotAllowed,
						Msg:  fmt.Sprintf("the KDC %s of realm %s (%s) is not in the allowed hosts", kdc, realm, k.confPath),
						hint: fmt.Sprintf("%s allows only %s; add the KDC there", EnvAllowedHosts, fence)})
				}
			}
		}
	}
	return nil
}

// serviceTicket logs in (keytab) or takes the ticket-granting ticket of the
// cache, and asks the KDC for a ticket to the service principal.
func (k *krbLogin) serviceTicket() (messages.Ticket, types.EncryptionKey, error) {
	var cl *client.Client
	if k.kt != nil {
		cl = client.NewWithKeytab(strings.Join(k.client.name, "/"), k.client.realm, k.kt, k.conf, client.DisablePAFXFAST(true))
		if err := cl.Login(); err != nil {
			return messages.Ticket{}, types.EncryptionKey{}, err
		}
	} else {
		var err error
		if cl, err = client.NewFromCCache(k.cc, k.conf, client.DisablePAFXFAST(true)); err != nil {
			return messages.Ticket{}, types.EncryptionKey{}, err
		}
	}
	defer cl.Destroy()
	return cl.GetServiceTicket(k.spn)
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

// krbErrorCode finds the KRB-ERROR code in a gokrb5 error: gokrb5 v8 keeps
// the KDC's messages.KRBError only as text, "KRB Error: (24) …".
var krbErrorCode = regexp.MustCompile(`KRB Error: \((\d+)\)`)

func krbCode(err error) int32 {
	var ke messages.KRBError
	if errors.As(err, &ke) {
		return ke.ErrorCode
	}
	if m := krbErrorCode.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return int32(n)
	}
	return 0
}

// classify turns a failure of the KDC exchange into a *KerberosError that
// says what happened and what to do.
func (k *krbLogin) classify(err error) *KerberosError {
	ke := &KerberosError{Principal: k.client.String(), ServicePrincipal: k.spn, Code: krbCode(err), kind: ErrKerberos}
	text := err.Error()
	var kerr krberror.Krberror
	isKrb := errors.As(err, &kerr)
	realm := k.client.realm
	keyOf := fmt.Sprintf("the key of %s in the %s", k.client, k.src)
	switch {
	case ke.Code == errorcode.KRB_AP_ERR_SKEW || strings.Contains(text, "clock skew"):
		ke.Msg = fmt.Sprintf("%s cannot log in: this machine's clock and the KDC's (realm %s) differ by more than the allowed skew (%s)", k.client, realm, k.conf.LibDefaults.Clockskew)
		ke.hint = "synchronise this machine's clock with the KDC's (NTP, e.g. chrony or systemd-timesyncd)"
	case ke.Code == errorcode.KDC_ERR_C_PRINCIPAL_UNKNOWN:
		ke.Msg = fmt.Sprintf("the KDC of realm %s does not know the principal %s", realm, k.client)
		ke.hint = "check the user name and realm (UserName=user@REALM) and the keytab's principal (klist -k)"
	case ke.Code == errorcode.KDC_ERR_S_PRINCIPAL_UNKNOWN:
		ke.Msg = fmt.Sprintf("the KDC does not know the service principal %s", k.spn)
		ke.hint = "set ServicePrincipalName= to the principal of the server's keytab (smtp/<host name>); it is needed when SmtpServer is an address or an alias"
	case ke.Code == errorcode.KDC_ERR_PREAUTH_FAILED || ke.Code == errorcode.KRB_AP_ERR_BAD_INTEGRITY ||
		strings.Contains(text, "password/keytab incorrect") || strings.Contains(text, "error decrypting EncPart of AS_REP"):
		ke.kind = ErrAuth
		ke.Msg = fmt.Sprintf("the KDC of realm %s refused %s", realm, keyOf)
		ke.hint = fmt.Sprintf("the keytab does not hold %s's current key: export it again (kadmin ktadd -norandkey, or ktutil) after a password change, and compare key versions (klist -k -t)", k.client)
	case ke.Code == errorcode.KRB_AP_ERR_TKT_EXPIRED:
		ke.kind = ErrNoCredential
		ke.Msg = fmt.Sprintf("the ticket of %s from the %s has expired", k.client, k.src)
		ke.hint = fmt.Sprintf("run kinit %s again, or use a keytab", k.client)
	case ke.Code == errorcode.KDC_ERR_CLIENT_REVOKED:
		ke.kind = ErrAuth
		ke.Msg = fmt.Sprintf("the KDC of realm %s says the account %s is disabled or locked", realm, k.client)
		ke.hint = "ask the Kerberos administrator to enable the account"
	case ke.Code == errorcode.KDC_ERR_KEY_EXPIRED:
		ke.kind = ErrAuth
		ke.Msg = fmt.Sprintf("the password of %s has expired", k.client)
		ke.hint = "change the password and export a new keytab"
	case ke.Code == errorcode.KDC_ERR_ETYPE_NOSUPP:
		ke.Msg = fmt.Sprintf("%s and the KDC have no encryption type in common", keyOf)
		ke.hint = "export the keytab with AES keys (aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96)"
	case strings.Contains(text, "matching key not found in keytab"):
		ke.kind = ErrNoCredential
		ke.Msg = fmt.Sprintf("the %s holds no key of %s of an encryption type the KDC accepts", k.src, k.client)
		ke.hint = "export the keytab with AES keys (aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96)"
	case strings.Contains(text, "no KDCs defined"):
		ke.Msg = fmt.Sprintf("the Kerberos configuration %s names no KDC for the realm %s", k.confPath, realm)
		ke.hint = fmt.Sprintf("add the realm with its kdc = host:port to [realms] of %s (or point %s at the right file)", k.confPath, EnvKrb5Config)
	case isKrb && kerr.RootCause == krberror.NetworkingError:
		ke.Msg = fmt.Sprintf("cannot reach a KDC of realm %s (%s) to log in %s: %s", realm, k.kdcs(realm), k.client, rootCause(text))
		ke.hint = fmt.Sprintf("check that the KDC runs and that [realms] %s kdc = … in %s is right", realm, k.confPath)
	case ke.Code != 0:
		ke.Msg = fmt.Sprintf("the KDC of realm %s refused the request of %s for %s", realm, k.client, k.spn)
		ke.hint = "see the KDC's log"
	default:
		ke.Msg = fmt.Sprintf("%s for %s: %s", k.client, k.spn, rootCause(text))
	}
	return ke
}

// rootCause keeps the innermost cause of a gokrb5 error ("[Root cause: X]
// X: step: step < … < cause"): the network error when there is one.
func rootCause(s string) string {
	parts := strings.Split(s, " < ")
	s = strings.TrimSpace(parts[len(parts)-1])
	if _, rest, ok := strings.Cut(s, "] "); ok && strings.HasPrefix(s, "[Root cause: ") {
		s = rest
	}
	if i := strings.LastIndex(s, "dial "); i >= 0 {
		s = s[i:]
	}
	return s
}

// kdcs lists the KDCs krb5.conf names for realm.
func (k *krbLogin) kdcs(realm string) string {
	for _, r := range k.conf.Realms {
		if r.Realm == realm && len(r.KDC) > 0 {
			return strings.Join(r.KDC, ", ")
		}
	}
	return "none in " + k.confPath
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
