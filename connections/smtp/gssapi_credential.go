package smtp

// Where the Kerberos credential is (the Keytab= key, a keytab named by the
// environment or the ticket cache of kinit), which principal logs in, and
// reading krb5.conf, keytabs and ticket caches.

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/types"

	"github.com/dtsx-run/dtsx/connections/credentials"
)

// krbSource is where a Kerberos credential is: a keytab or a ticket cache
// (the origin "Keytab=" for the connection's own key).
type krbSource = credentials.Kerberos

// krbSourceOf finds the Kerberos credential of cfg: the Keytab= key, then
// the environment's (credentials.FindKerberos): KRB5_CLIENT_KTNAME,
// KRB5_KTNAME, then the ticket cache KRB5CCNAME or, when that is unset, the
// default /tmp/krb5cc_<uid> if it exists. found is false when there is none.
func krbSourceOf(cfg *Config) (src krbSource, found bool, err error) {
	if cfg.Keytab != "" {
		p, err := credentials.KerberosFile(cfg.Keytab, true)
		return krbSource{Keytab: true, Path: p, Origin: KeyKeytab + "="}, true, err
	}
	return credentials.FindKerberos()
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
	return err == nil && found && src.Present()
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

// parsePrincipal reads name@REALM (credentials.Principals' names).
func parsePrincipal(s string) principal {
	i := strings.LastIndexByte(s, '@')
	return principal{name: strings.Split(s[:i], "/"), realm: s[i+1:]}
}

// userPrincipal reads a user as a principal: user@REALM, DOMAIN\user or
// user with Domain. A domain with a dot is taken as the realm, upper-cased
// as Windows does (test.local → TEST.LOCAL); a NetBIOS domain (TEST) and a
// bare user take the default realm of krb5.conf (credentials.Realm).
func userPrincipal(user, domain string, kc *config.Config) (principal, error) {
	user, realm := credentials.Realm(user, domain, kc)
	if user == "" || realm == "" {
		return principal{}, fmt.Errorf("cannot make a Kerberos principal of the user %q: write it as user@REALM, or set default_realm in krb5.conf", user)
	}
	return principal{name: strings.Split(user, "/"), realm: realm}, nil
}

// useKeytab loads the keytab and picks the principal: the one asked for,
// which the keytab must hold, or else the keytab's only one.
func (k *krbLogin) useKeytab(want *principal) *KerberosError {
	kt, err := credentials.LoadKeytab(k.src.Path)
	if err != nil {
		msg := fmt.Sprintf("cannot read the %s: %v", k.src, err)
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
			msg = fmt.Sprintf("cannot read the %s: %v", k.src, errors.Unwrap(err))
		}
		return &KerberosError{ServicePrincipal: k.spn, Msg: msg,
			hint: "check the path and that this account may read the keytab (it is a secret: mode 600)"}
	}
	var held []principal
	for _, n := range credentials.Principals(kt) {
		held = append(held, parsePrincipal(n))
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

// useCache loads the ticket cache: it must hold an unexpired ticket-granting
// ticket of the principal asked for, if one is.
func (k *krbLogin) useCache(want *principal) *KerberosError {
	kinit := "kinit user@REALM"
	if want != nil {
		kinit = "kinit " + want.String()
	}
	cc, err := credentials.LoadCCache(k.src.Path)
	if err != nil {
		msg := fmt.Sprintf("cannot read the %s: %v", k.src, err)
		if errors.Is(err, os.ErrNotExist) {
			msg = fmt.Sprintf("there is no %s", k.src)
		}
		return &KerberosError{ServicePrincipal: k.spn, Msg: msg,
			hint: fmt.Sprintf("run %s (with %s=%s), or give a keytab with Keytab=", kinit, EnvKrb5CCache, "FILE:"+k.src.Path)}
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
