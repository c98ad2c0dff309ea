package credentials

// Where a Kerberos credential is, by MIT Kerberos's environment: the
// keytab a client logs in with, or the ticket cache kinit filled, and the
// krb5.conf that names the realms and their KDCs.

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
)

// Environment variables of MIT Kerberos that the Kerberos logins honour.
const (
	// EnvKrb5Config names the krb5.conf to read (default DefaultKrb5Config);
	// of a colon-separated list, the first file that exists is read.
	EnvKrb5Config = "KRB5_CONFIG"
	// EnvKrb5ClientKeytab and EnvKrb5Keytab name a keytab ("FILE:/path" or
	// "/path") to log in with.
	EnvKrb5ClientKeytab = "KRB5_CLIENT_KTNAME"
	EnvKrb5Keytab       = "KRB5_KTNAME"
	// EnvKrb5CCache names the ticket cache ("FILE:/path" or "/path") that
	// kinit filled; default FILE:/tmp/krb5cc_<uid>.
	EnvKrb5CCache = "KRB5CCNAME"
	// DefaultKrb5Config is read when KRB5_CONFIG is not set.
	DefaultKrb5Config = "/etc/krb5.conf"
)

// Kerberos is where a Kerberos credential is: a keytab or a ticket cache
// file. It names files only; their content is read by the login.
type Kerberos struct {
	// Keytab is true for a keytab, false for a ticket cache.
	Keytab bool
	// Path is the file ("FILE:" removed).
	Path string
	// Origin says where the name came from: KRB5_CLIENT_KTNAME,
	// KRB5_KTNAME, KRB5CCNAME or "the default ticket cache".
	Origin string
}

// String names the file and its origin, for messages.
func (k Kerberos) String() string {
	what := "ticket cache"
	if k.Keytab {
		what = "keytab"
	}
	return fmt.Sprintf("%s %s (%s)", what, k.Path, k.Origin)
}

// KerberosFile returns the file of a keytab or ticket cache name:
// "FILE:/path" or "/path" ("WRFILE:" for a keytab). Other types (KEYRING:,
// KCM:, DIR:, MEMORY:, API:) are an error: gokrb5 reads files only.
func KerberosFile(name string, keytab bool) (string, error) {
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

// FindKerberos finds the Kerberos credential of the environment:
// KRB5_CLIENT_KTNAME, KRB5_KTNAME, then the ticket cache KRB5CCNAME or,
// when that is unset, the default /tmp/krb5cc_<uid> if it exists. A keytab
// is preferred to a ticket cache: it is explicit, and it never expires.
// found is false when there is none; a ticket cache that KRB5CCNAME names
// is found even when the file does not exist (the login says so).
func FindKerberos() (k Kerberos, found bool, err error) {
	for _, env := range []string{EnvKrb5ClientKeytab, EnvKrb5Keytab} {
		if v := os.Getenv(env); v != "" {
			p, err := KerberosFile(v, true)
			return Kerberos{Keytab: true, Path: p, Origin: env}, true, err
		}
	}
	if v := os.Getenv(EnvKrb5CCache); v != "" {
		p, err := KerberosFile(v, false)
		return Kerberos{Path: p, Origin: EnvKrb5CCache}, true, err
	}
	p := fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())
	if _, err := os.Stat(p); err == nil {
		return Kerberos{Path: p, Origin: "the default ticket cache"}, true, nil
	}
	return Kerberos{}, false, nil
}

// Present reports whether the credential is there to log in with: a
// keytab (its content is read by the login), or a ticket cache whose file
// exists. Windows logins try Kerberos before NTLM only when it is.
func (k Kerberos) Present() bool {
	if k.Keytab {
		return true
	}
	_, err := os.Stat(k.Path)
	return err == nil
}

// Krb5Config reads KRB5_CONFIG (the first file of the list that exists) or
// /etc/krb5.conf, and returns it with its path.
func Krb5Config() (*config.Config, string, error) {
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

// LoadKeytab reads a keytab. gokrb5's parser may panic on a truncated or
// foreign file: that is an error here.
func LoadKeytab(path string) (kt *keytab.Keytab, err error) {
	defer func() {
		if recover() != nil {
			kt, err = nil, errors.New("the file is not a keytab, or is truncated")
		}
	}()
	return keytab.Load(path)
}

// LoadCCache reads a ticket cache, with the same guard as LoadKeytab.
func LoadCCache(path string) (cc *credentials.CCache, err error) {
	defer func() {
		if recover() != nil {
			cc, err = nil, errors.New("the file is not a ticket cache, or is truncated")
		}
	}()
	return credentials.LoadCCache(path)
}

// KeytabPrincipals returns the principals (user@REALM) a keytab holds, in
// the order of its entries, each once.
func KeytabPrincipals(path string) (names []string, err error) {
	kt, err := LoadKeytab(path)
	if err != nil {
		return nil, err
	}
	return Principals(kt), nil
}

// Principals returns the principals (user@REALM) that kt holds, in the
// order of its entries, each once.
func Principals(kt *keytab.Keytab) (names []string) {
	for _, e := range kt.Entries {
		p := strings.Join(e.Principal.Components, "/") + "@" + e.Principal.Realm
		seen := false
		for _, n := range names {
			seen = seen || n == p
		}
		if !seen {
			names = append(names, p)
		}
	}
	return names
}

// Realm returns the Kerberos realm of a user: the one of user@REALM, a
// Domain with a dot upper-cased as Windows does (test.local → TEST.LOCAL),
// or else the default realm of kc. The realm is spelt as kc spells it.
func Realm(user, domain string, kc *config.Config) (name, realm string) {
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
	if realm == "" && kc != nil {
		realm = kc.LibDefaults.DefaultRealm
	}
	if kc != nil {
		realm = CanonicalRealm(kc, realm)
	}
	return user, realm
}

// CanonicalRealm returns realm as kc spells it: a realm written in lower
// case (alice@test.local) is the upper-case one that kc defines.
func CanonicalRealm(kc *config.Config, realm string) string {
	if !knownRealm(kc, realm) && knownRealm(kc, strings.ToUpper(realm)) {
		return strings.ToUpper(realm)
	}
	return realm
}

func knownRealm(kc *config.Config, r string) bool {
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

// KerberosErrorName returns the name of a KRB-ERROR code (RFC 4120
// §7.5.9): "KDC_ERR_PREAUTH_FAILED" for 24, or "KRB-ERROR n" for a code
// gokrb5 does not name.
func KerberosErrorName(code int32) string {
	s := errorcode.Lookup(code) // "(24) KDC_ERR_PREAUTH_FAILED Pre-authentication information was invalid"
	if i := strings.IndexByte(s, ')'); i >= 0 && strings.HasPrefix(s, "(") {
		s = strings.TrimSpace(s[i+1:])
	}
	if f := strings.Fields(s); len(f) > 0 && strings.Contains(f[0], "_ERR_") {
		return f[0]
	}
	return "KRB-ERROR " + strconv.Itoa(int(code))
}

// krbErrorText finds the KRB-ERROR code in the text of a gokrb5 error:
// gokrb5 v8 keeps the KDC's messages.KRBError mostly as text,
// "KRB Error: (24) …".
var krbErrorText = regexp.MustCompile(`KRB Error: \((\d+)\)`)

// KerberosErrorCode returns the KRB-ERROR code of a gokrb5 error: that of
// the messages.KRBError it wraps, or the one its text quotes, or 0.
func KerberosErrorCode(err error) int32 {
	var ke messages.KRBError
	if errors.As(err, &ke) {
		return ke.ErrorCode
	}
	if m := krbErrorText.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return int32(n)
	}
	return 0
}
