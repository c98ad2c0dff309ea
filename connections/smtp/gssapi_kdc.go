package smtp

// The KDC exchange of a GSSAPI login (gokrb5): the fence applied to the
// KDCs, the service ticket, and what each KDC failure means.

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/krberror"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"

	"github.com/dtsx-run/dtsx/connections/credentials"
)

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
						hint: fence.Refusal(h) + "; add the KDC there"})
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

// classify turns a failure of the KDC exchange into a *KerberosError that
// says what happened and what to do.
func (k *krbLogin) classify(err error) *KerberosError {
	ke := &KerberosError{Principal: k.client.String(), ServicePrincipal: k.spn, Code: credentials.KerberosErrorCode(err), kind: ErrKerberos}
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
