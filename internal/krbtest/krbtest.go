// Package krbtest has what Kerberos tests share: keytabs written from
// passwords, and the realm and service principal of the real servers' KDC.
package krbtest

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/keytab"
)

// WriteKeytab writes a keytab with AES keys for each principal
// ("user@REALM") from its password, as ktutil's addent -password does.
func WriteKeytab(t testing.TB, path string, principals map[string]string) {
	t.Helper()
	kt := keytab.New()
	for p, pw := range principals {
		name, realm, _ := strings.Cut(p, "@")
		for _, et := range []int32{etypeID.AES256_CTS_HMAC_SHA1_96, etypeID.AES128_CTS_HMAC_SHA1_96} {
			if err := kt.AddEntry(name, realm, pw, time.Now(), 1, et); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := kt.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// KDC is the real servers' Kerberos realm and Postfix's service principal.
type KDC struct {
	Realm string
	SPN   string // smtp/<Postfix's host name>
}

// Real reads the KDC of the servers' env file (internal/realsmtp.Env); the
// test fails when they run without Kerberos.
func Real(t testing.TB, env map[string]string) KDC {
	t.Helper()
	if env["SMTP_INFRA_KDC"] == "" || env["SMTP_INFRA_KRB5_CONFIG"] == "" {
		t.Fatal("DTSX_REAL_SMTP=1 but the servers run without a KDC: start them with SMTP_INFRA_KERBEROS=1 (as .ci/run does)")
	}
	kc, err := config.Load(env["SMTP_INFRA_KRB5_CONFIG"])
	if err != nil {
		t.Fatal(err)
	}
	// Postfix's host name, of which the servers made both the certificate
	// and the service principal smtp/<name>.
	data, err := os.ReadFile(env["SMTP_INFRA_TLS_CERT"])
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("no PEM certificate in SMTP_INFRA_TLS_CERT")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return KDC{Realm: kc.LibDefaults.DefaultRealm, SPN: "smtp/" + cert.Subject.CommonName}
}
