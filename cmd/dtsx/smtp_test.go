package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
)

const probePass = "Probe-Secret-31"

func TestProbe(t *testing.T) {
	t.Setenv("DTSX_SMTP_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
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
