package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/internal/krbtest"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

const probePass = "Probe-Secret-31"

func TestProbe(t *testing.T) {
	testfence.SetFor(t)
	srv := smtptest.NewServer(t, smtptest.Options{TLS: smtptest.StartTLS, Users: map[string]string{`TEST\alice`: probePass}})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	conn := "SmtpServer=" + srv.Addr() + ";UseWindowsAuthentication=True;EnableSsl=True;"
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want []string
	}{
		{"ok", map[string]string{"DTSX_SMTP_USERNAME": `TEST\alice`, "DTSX_SMTP_PASSWORD": probePass},
			[]string{"--conn", conn, "--ca-file", ca}, 0, []string{"NTLM as TEST\\alice", "TLS 1.3", "verified", "AUTH", "nothing sent"}},
		{"json", map[string]string{"DTSX_SMTP_USERNAME": `TEST\alice`, "DTSX_SMTP_PASSWORD": probePass},
			[]string{"--json", "--conn", conn, "--ca-file", ca}, 0, []string{`"ok": true`, `"mechanism": "NTLM"`}},
		{"wrong password", map[string]string{"DTSX_SMTP_USERNAME": `TEST\alice`, "DTSX_SMTP_PASSWORD": "Not-It-1"},
			[]string{"--conn", conn, "--ca-file", ca}, 1, []string{"authentication failed", "535"}},
		{"no credential", nil, []string{"--conn", conn, "--ca-file", ca}, 1, []string{"DTSX_SMTP_USERNAME"}},
		{"untrusted certificate", map[string]string{"DTSX_SMTP_USERNAME": `TEST\alice`, "DTSX_SMTP_PASSWORD": probePass},
			[]string{"--conn", conn}, 1, []string{"not trusted"}},
		{"fenced", nil, []string{"--conn", "SmtpServer=mail.bellsouth.net;", "--allowed-hosts", "127.0.0.1"}, 1, []string{"allowed hosts"}},
		{"package connection", nil, []string{"--package", "../../samples/hello-mail.dtsx", "--connection", "SMTP Connection Manager",
			"--allowed-hosts", "127.0.0.2"}, 1, []string{`"SMTP Connection Manager"`, "localhost:25", "allowed hosts"}},
		{"unknown connection", nil, []string{"--package", "../../samples/hello-mail.dtsx", "--connection", "Nope"}, 1, nil},
		{"usage: both", nil, []string{"--conn", conn, "--package", "x.dtsx"}, 6, nil},
		{"usage: none", nil, []string{}, 6, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"DTSX_SMTP_USERNAME", "DTSX_SMTP_PASSWORD"} {
				t.Setenv(k, tt.env[k])
			}
			code, out, errOut := runCLI(t, append([]string{"smtp", "probe"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out, errOut)
				}
			}
			if strings.Contains(out+errOut, probePass) || strings.Contains(out+errOut, "Not-It-1") {
				t.Errorf("output shows a password:\n%s%s", out, errOut)
			}
		})
	}
}

// TestProbeRealPostfix: the case against the real server: alice's
// NTLM credential from the environment over STARTTLS on 2588, then a wrong
// password (exit 1).
func TestProbeRealPostfix(t *testing.T) {
	env := realsmtp.Env(t)
	conn := "SmtpServer=" + env["SMTP_INFRA_SUBMISSION_TLS"] + ";UseWindowsAuthentication=True;EnableSsl=True;"
	t.Setenv("DTSX_SMTP_USERNAME", `TEST\`+env["SMTP_INFRA_USER"])
	t.Setenv("DTSX_SMTP_PASSWORD", env["SMTP_INFRA_PASS"])
	if code, out, errOut := runCLI(t, "smtp", "probe", "--conn", conn, "--ca-file", env["SMTP_INFRA_TLS_CERT"]); code != 0 ||
		!strings.Contains(out, "NTLM as TEST\\") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	t.Setenv("DTSX_SMTP_PASSWORD", "wrong-"+env["SMTP_INFRA_PASS"])
	if code, out, _ := runCLI(t, "smtp", "probe", "--conn", conn, "--ca-file", env["SMTP_INFRA_TLS_CERT"]); code != 1 ||
		!strings.Contains(out, "authentication failed: 535") {
		t.Fatalf("wrong password: exit %d\n%s", code, out)
	}
}

// TestProbeGSSAPINoCredential: AuthMechanism=GSSAPI with neither keytab nor
// ticket cache fails before connecting and says what to give.
func TestProbeGSSAPINoCredential(t *testing.T) {
	dir := t.TempDir()
	conf := writeFile(t, dir, "krb5.conf", "[libdefaults]\n default_realm = TEST.LOCAL\n[realms]\n TEST.LOCAL = {\n  kdc = 127.0.0.1:1\n }\n")
	t.Setenv(smtp.EnvKrb5Config, conf)
	t.Setenv(smtp.EnvKrb5Keytab, "")
	t.Setenv(smtp.EnvKrb5ClientKeytab, "")
	t.Setenv(smtp.EnvKrb5CCache, "FILE:"+filepath.Join(dir, "none"))
	code, out, errOut := runCLI(t, "smtp", "probe", "--allowed-hosts", "127.0.0.1", "--conn",
		"SmtpServer=127.0.0.1:1;AuthMechanism=GSSAPI;ServicePrincipalName=smtp/mail.test.local;UserName=alice@TEST.LOCAL;")
	if code != 1 || !strings.Contains(out, "no credential found") || !strings.Contains(out, "kinit alice@TEST.LOCAL") || !strings.Contains(out, "Keytab=") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// TestProbeRealGSSAPI: the probe against the real Postfix and KDC with
// UseWindowsAuthentication=True and alice's keytab (KRB5_KTNAME) shows the
// mechanism, principal and service principal; a wrong keytab exits 1 with
// the KDC's refusal.
func TestProbeRealGSSAPI(t *testing.T) {
	env := realsmtp.Env(t)
	kdc := krbtest.Real(t, env)
	spn := kdc.SPN
	principal := env["SMTP_INFRA_USER"] + "@" + kdc.Realm
	dir := t.TempDir()
	writeKeytab := func(name, password string) string {
		path := filepath.Join(dir, name)
		krbtest.WriteKeytab(t, path, map[string]string{principal: password})
		return path
	}
	good, wrong := writeKeytab("alice.keytab", env["SMTP_INFRA_PASS"]), writeKeytab("wrong.keytab", "Not-"+env["SMTP_INFRA_PASS"])
	t.Setenv(smtp.EnvKrb5Config, env["SMTP_INFRA_KRB5_CONFIG"])
	t.Setenv(smtp.EnvKrb5ClientKeytab, "")
	t.Setenv(smtp.EnvKrb5CCache, "FILE:"+filepath.Join(dir, "none"))
	conn := "SmtpServer=" + env["SMTP_INFRA_SUBMISSION_TLS"] + ";UseWindowsAuthentication=True;EnableSsl=True;ServicePrincipalName=" + spn + ";"

	t.Setenv(smtp.EnvKrb5Keytab, "FILE:"+good)
	code, out, errOut := runCLI(t, "smtp", "probe", "--conn", conn, "--ca-file", env["SMTP_INFRA_TLS_CERT"])
	if want := "GSSAPI as " + principal + " for " + spn + " (credential from keytab " + good + " (KRB5_KTNAME)): accepted"; code != 0 || !strings.Contains(out, want) {
		t.Fatalf("exit %d, want a line %q\n%s%s", code, want, out, errOut)
	}
	code, out, _ = runCLI(t, "smtp", "probe", "--json", "--conn", conn, "--ca-file", env["SMTP_INFRA_TLS_CERT"])
	if code != 0 || !strings.Contains(out, `"mechanism": "GSSAPI"`) || !strings.Contains(out, `"servicePrincipal": "`+spn+`"`) {
		t.Fatalf("--json: exit %d\n%s", code, out)
	}

	t.Setenv(smtp.EnvKrb5Keytab, "FILE:"+wrong)
	code, out, errOut = runCLI(t, "smtp", "probe", "--conn", conn, "--ca-file", env["SMTP_INFRA_TLS_CERT"])
	if code != 1 || !strings.Contains(out, "result        failed") || !strings.Contains(out, "refused the key of "+principal+" in the keytab "+wrong) {
		t.Fatalf("wrong keytab: exit %d\n%s%s", code, out, errOut)
	}
}
