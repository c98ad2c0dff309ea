package credentials_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jcmturner/gokrb5/v8/config"

	"github.com/dtsx-run/dtsx/connections/credentials"
	"github.com/dtsx-run/dtsx/internal/krbtest"
)

// TestFindKerberos: a keytab (KRB5_CLIENT_KTNAME, then KRB5_KTNAME) before
// a ticket cache (KRB5CCNAME), as MIT Kerberos's clients read them; only
// FILE: names are read.
func TestFindKerberos(t *testing.T) {
	tests := []struct {
		name                   string
		client, keytab, ccache string
		found, isKeytab        bool
		path, origin, err      string
	}{
		{"client keytab first", "FILE:/k/client.kt", "/k/service.kt", "FILE:/c/cc", true, true, "/k/client.kt", "KRB5_CLIENT_KTNAME", ""},
		{"keytab", "", "WRFILE:/k/service.kt", "FILE:/c/cc", true, true, "/k/service.kt", "KRB5_KTNAME", ""},
		{"ticket cache", "", "", "FILE:/c/cc", true, false, "/c/cc", "KRB5CCNAME", ""},
		{"keyring is refused", "", "", "KEYRING:persistent:0", true, false, "", "KRB5CCNAME", "only FILE:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(credentials.EnvKrb5ClientKeytab, tt.client)
			t.Setenv(credentials.EnvKrb5Keytab, tt.keytab)
			t.Setenv(credentials.EnvKrb5CCache, tt.ccache)
			k, found, err := credentials.FindKerberos()
			if found != tt.found || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("FindKerberos = %v, %v, %v; want found=%v, error %q", k, found, err, tt.found, tt.err)
			}
			if err == nil && (k.Keytab != tt.isKeytab || k.Path != tt.path || k.Origin != tt.origin) {
				t.Errorf("FindKerberos = %+v, want keytab=%v %s from %s", k, tt.isKeytab, tt.path, tt.origin)
			}
		})
	}
}

// TestRealm: user@REALM, a dotted Domain upper-cased as Windows does, or
// krb5.conf's default realm; a NetBIOS domain is not a realm.
func TestRealm(t *testing.T) {
	kc := config.New()
	kc.LibDefaults.DefaultRealm = "TEST.LOCAL"
	tests := []struct{ user, domain, name, realm string }{
		{"alice@TEST.LOCAL", "", "alice", "TEST.LOCAL"},
		{"alice@test.local", "", "alice", "TEST.LOCAL"},
		{`corp.example\etl`, "", "etl", "CORP.EXAMPLE"},
		{"etl", "corp.example", "etl", "CORP.EXAMPLE"},
		{`TEST\alice`, "", "alice", "TEST.LOCAL"},
		{"alice", "", "alice", "TEST.LOCAL"},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			if n, r := credentials.Realm(tt.user, tt.domain, kc); n != tt.name || r != tt.realm {
				t.Errorf("Realm(%q, %q) = %q, %q; want %q, %q", tt.user, tt.domain, n, r, tt.name, tt.realm)
			}
		})
	}
}

// TestKeytabPrincipals: each principal once; a file that is not a keytab
// is an error, not a panic.
func TestKeytabPrincipals(t *testing.T) {
	dir := t.TempDir()
	kt := filepath.Join(dir, "a.keytab")
	krbtest.WriteKeytab(t, kt, map[string]string{"alice@TEST.LOCAL": "pw-1"})
	if got, err := credentials.KeytabPrincipals(kt); err != nil || len(got) != 1 || got[0] != "alice@TEST.LOCAL" {
		t.Errorf("KeytabPrincipals = %v, %v; want [alice@TEST.LOCAL] (two keys, one principal)", got, err)
	}
	bad := filepath.Join(dir, "bad.keytab")
	os.WriteFile(bad, []byte{0x05, 0x02, 0, 0, 0, 99, 0}, 0o600)
	if _, err := credentials.KeytabPrincipals(bad); err == nil {
		t.Error("a truncated keytab gave no error")
	}
}

// TestPresent: a keytab is there to log in with whatever its file holds;
// a ticket cache only when its file exists.
func TestPresent(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "krb5cc")
	if err := os.WriteFile(cache, []byte{5, 4}, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		k    credentials.Kerberos
		want bool
	}{
		{"keytab", credentials.Kerberos{Keytab: true, Path: filepath.Join(dir, "missing.keytab")}, true},
		{"cache", credentials.Kerberos{Path: cache}, true},
		{"no cache", credentials.Kerberos{Path: filepath.Join(dir, "missing")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.k.Present(); got != tt.want {
				t.Errorf("%v.Present() = %v, want %v", tt.k, got, tt.want)
			}
		})
	}
}

// TestCanonicalRealm: a realm in another case is spelt as krb5.conf
// defines it; an unknown realm is left as written.
func TestCanonicalRealm(t *testing.T) {
	kc := config.New()
	kc.LibDefaults.DefaultRealm = "TEST.LOCAL"
	kc.Realms = []config.Realm{{Realm: "CORP.EXAMPLE"}}
	for in, want := range map[string]string{"test.local": "TEST.LOCAL", "corp.example": "CORP.EXAMPLE", "other.example": "other.example"} {
		t.Run(in, func(t *testing.T) {
			if got := credentials.CanonicalRealm(kc, in); got != want {
				t.Errorf("CanonicalRealm(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

// TestKerberosErrorName: the name RFC 4120 gives a KRB-ERROR code, or the
// number for a code without one.
func TestKerberosErrorName(t *testing.T) {
	for code, want := range map[int32]string{24: "KDC_ERR_PREAUTH_FAILED", 7: "KDC_ERR_S_PRINCIPAL_UNKNOWN", 37: "KRB_AP_ERR_SKEW", 999: "KRB-ERROR 999"} {
		t.Run(want, func(t *testing.T) {
			if got := credentials.KerberosErrorName(code); got != want {
				t.Errorf("KerberosErrorName(%d) = %q, want %q", code, got, want)
			}
		})
	}
}

// TestKerberosErrorCode: the code a gokrb5 error quotes, or 0.
func TestKerberosErrorCode(t *testing.T) {
	tests := []struct {
		text string
		want int32
	}{
		{"[Root cause: KDC_Error] KDC_Error: AS Exchange Error: kerberos error response from KDC: KRB Error: (24) KDC_ERR_PREAUTH_FAILED", 24},
		{"dial tcp 127.0.0.1:88: connection refused", 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := credentials.KerberosErrorCode(errors.New(tt.text)); got != tt.want {
				t.Errorf("KerberosErrorCode = %d, want %d", got, tt.want)
			}
		})
	}
}
