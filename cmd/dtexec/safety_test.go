package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/guardtest"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestValidateExecutesNothing: /Validate of a package whose task fails
// validation, or cannot execute here, and whose event handlers would mail
// the package's SMTP server (a loopback test server) and start a process,
// makes no SMTP connection and starts no process; neither does a run
// refused for a task that cannot execute, whose message names dtexec's
// option, not dtsx's.
func TestValidateExecutesNothing(t *testing.T) {
	testfence.SetFor(t)
	for _, tt := range []struct {
		name, kind string
		args       []string
		want       string
	}{
		{"/Validate, invalid task", guardtest.Invalid, []string{"/Va"}, "sendmail-no-recipient"},
		{"/Validate, unsupported task", guardtest.Unsupported, []string{"/Validate"}, "/Unsupported skip"},
		{"unsupported task refused", guardtest.Unsupported, nil, "/Unsupported skip"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := guardtest.Write(t, tt.kind)
			code, out := dtexec(t, append([]string{"/F", g.File}, tt.args...)...)
			if code != 1 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want 1 and %q in:\n%s", code, tt.want, out)
			}
			if strings.Contains(out, "--unsupported") {
				t.Errorf("dtexec recommends dtsx's option:\n%s", out)
			}
			g.AssertNothingRan(t, "")
		})
	}
}

// TestUnsupportedSkip: /Un[supported] skip runs the rest of the package,
// ends the console with the skipped task and their count, and is shown by
// /?.
func TestUnsupportedSkip(t *testing.T) {
	testfence.SetFor(t)
	g := guardtest.Write(t, guardtest.Unsupported)
	code, out := dtexec(t, "/F", g.File, "/Un", "skip")
	if code != 0 || len(g.Server.Messages()) != 1 {
		t.Fatalf("exit %d, %d messages:\n%s", code, len(g.Server.Messages()), out)
	}
	if !strings.HasSuffix(out, "Skipped:  1 task not executed (/Unsupported skip)\n") || strings.Contains(out, "--unsupported") {
		t.Errorf("output:\n%s", out)
	}
	if code, out := dtexec(t, "/F", g.File, "/Unsupported", "maybe"); code != 6 || !strings.Contains(out, "not fail or skip") {
		t.Errorf("/Unsupported maybe: exit %d\n%s", code, out)
	}
	if _, out := dtexec(t, "/?"); !strings.Contains(out, "/Un[supported] fail|skip") {
		t.Errorf("/? does not show /Un[supported]:\n%s", out)
	}
}

// dtsxOption matches the options of dtsx run that dtexec spells otherwise
// or does not have.
var dtsxOption = regexp.MustCompile(`--(unsupported|conn|capture|password|credentials|set|param|project|path-map)\b`)

// TestMessagesSpellDtexecOptions: the hints of the runtime's and the SMTP
// connection's messages name dtexec's options (/Conn, /Par, /Unsupported),
// never dtsx run's, and leave out those dtexec does not have (a
// credentials file).
func TestMessagesSpellDtexecOptions(t *testing.T) {
	dir := t.TempDir()
	param := filepath.Join(dir, "param.dtsx")
	b, err := os.ReadFile(helloMail)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(param, []byte(strings.Replace(string(b), `<DTS:ConnectionManagers>`, `<DTS:PackageParameters>
    <DTS:PackageParameter DTS:CreationName="" DTS:DataType="8" DTS:DTSID="{00000000-0000-0000-0000-0000000000B1}" DTS:ObjectName="Target" DTS:Required="True">
      <DTS:Property DTS:DataType="8" DTS:Name="ParameterValue"></DTS:Property>
    </DTS:PackageParameter>
  </DTS:PackageParameters><DTS:ConnectionManagers>`, 1)), 0o644)
	for _, tt := range []struct {
		name, hosts string
		args        []string
		want        string
	}{
		{"fenced server", "127.0.0.2", []string{"/F", helloMail}, "point the connection elsewhere (/Conn)"},
		{"no password", "127.0.0.1", []string{"/F", helloMail, "/Conn",
			"SMTP Connection Manager;SmtpServer=127.0.0.1:1;AuthMechanism=Plain;UserName=u;AllowInsecureAuth=True;"}, "for every connection)"},
		{"required parameter", "127.0.0.1", []string{"/F", param}, `/Par "$Package::Target";VALUE`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DTSX_SMTP_ALLOWED_HOSTS", tt.hosts)
			code, out := dtexec(t, tt.args...)
			if code != 1 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want 1 and %q in:\n%s", code, tt.want, out)
			}
			if m := dtsxOption.FindString(out); m != "" {
				t.Errorf("dtexec names %s:\n%s", m, out)
			}
		})
	}
}
