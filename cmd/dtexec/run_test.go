package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

func dtexec(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String() + errOut.String()
}

// The samples the tests run.
const (
	helloMail = "../../samples/hello-mail.dtsx"
	childLoad = "../../samples/child-load.dtsx"
)

// writeConfig writes a .dtsConfig that points the SMTP manager of
// hello-mail at server and sets the Send Mail subject.
func writeConfig(t *testing.T, dir, server, subject string) string {
	t.Helper()
	p := filepath.Join(dir, "mail.dtsConfig")
	cfg := `<?xml version="1.0"?>
<DTSConfiguration>
  <Configuration ConfiguredType="Property" Path="\Package.Connections[SMTP Connection Manager].Properties[SmtpServer]" ValueType="String">
    <ConfiguredValue>` + server + `</ConfiguredValue>
  </Configuration>
  <Configuration ConfiguredType="Property" Path="\Package\Send Hello.Properties[Subject]" ValueType="String">
    <ConfiguredValue>` + subject + `</ConfiguredValue>
  </Configuration>
</DTSConfiguration>`
	if err := os.WriteFile(p, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func subjects(srv *smtptest.Server) []string {
	var out []string
	for _, m := range srv.Messages() {
		if i := bytes.Index(m.Data, []byte("Subject: ")); i >= 0 {
			line := m.Data[i+len("Subject: "):]
			out = append(out, strings.TrimSpace(string(line[:bytes.IndexByte(line, '\n')])))
		}
	}
	return out
}

// TestConfigFileAndOrder: /ConfigFile changes an SMTP manager's SmtpServer
// and a Send Mail Subject; /Set and /ConfigFile apply in command-line
// order, the last one winning.
func TestConfigFileAndOrder(t *testing.T) {
	testfence.SetFor(t)
	srv := smtptest.NewServer(t, smtptest.Options{})
	cfg := writeConfig(t, t.TempDir(), srv.Addr(), "Configured subject")
	set := `\Package\Send Hello.Properties[Subject];Set subject`
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"/F", helloMail, "/ConfigFile", cfg}, "Configured subject"},
		{[]string{"/F", helloMail, "/Set", set, "/Conf", cfg}, "Configured subject"},
		{[]string{"/F", helloMail, "-conf", cfg, "-SET", set}, "Set subject"},
	} {
		before := len(srv.Messages())
		code, out := dtexec(t, tt.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", tt.args, code, out)
		}
		if got := subjects(srv); len(got) != before+1 || got[before] != tt.want {
			t.Errorf("%v: subjects %q, want %q last", tt.args, got, tt.want)
		}
	}
}

// TestDesignTimeConfigurationWins: a configuration the package names at
// design time is applied before the command line and again after it, so a
// /Set of the same property does not override it ("You cannot use the /Set
// or the /Connection option to override single values that are also set by
// a configuration", package-configurations.md).
func TestDesignTimeConfigurationWins(t *testing.T) {
	testfence.SetFor(t)
	srv := smtptest.NewServer(t, smtptest.Options{})
	dir := t.TempDir()
	writeConfig(t, dir, srv.Addr(), "Design-time subject")
	b, err := os.ReadFile(helloMail)
	if err != nil {
		t.Fatal(err)
	}
	pkg := strings.Replace(string(b), `DTS:ProtectionLevel="0"`, `DTS:ProtectionLevel="0" DTS:EnableConfig="True"`, 1)
	pkg = strings.Replace(pkg, `<DTS:ConnectionManagers>`, `<DTS:Configurations><DTS:Configuration DTS:ConfigurationString="mail.dtsConfig" DTS:ConfigurationType="1" DTS:CreationName="" DTS:DTSID="{1C2B3A4D-0000-4000-8000-000000000001}" DTS:ObjectName="Mail settings"/></DTS:Configurations><DTS:ConnectionManagers>`, 1)
	p := filepath.Join(dir, "configured.dtsx")
	os.WriteFile(p, []byte(pkg), 0o644)
	code, out := dtexec(t, "/F", p, "/Set", `\Package\Send Hello.Properties[Subject];From the command line`)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if got := subjects(srv); len(got) != 1 || got[0] != "Design-time subject" {
		t.Errorf("subjects %q", got)
	}
}

// TestValidateSendsNothing: /Validate validates (configurations and
// overrides applied) and sends no mail; an invalid package gives exit 1.
func TestValidateSendsNothing(t *testing.T) {
	testfence.SetFor(t)
	srv := smtptest.NewServer(t, smtptest.Options{})
	code, out := dtexec(t, "/F", helloMail, "/Conn", "SMTP Connection Manager;SmtpServer="+srv.Addr()+";", "/Va")
	if code != 0 || !strings.Contains(out, "package validation returned DTSER_SUCCESS (0)") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("/Validate sent %d messages", n)
	}
	code, out = dtexec(t, "/F", helloMail, "/Conn", "SMTP Connection Manager;SmtpServer=;", "/Va")
	if code != 1 || !strings.Contains(out, "SmtpServer") {
		t.Errorf("an empty SmtpServer: exit %d\n%s", code, out)
	}
}

// TestPasswords: the package encrypted whole with a password loads with
// /De and SSIS_PACKAGE_DECRYPT; a wrong or missing password is exit 5 and
// says so; the password never shows.
func TestPasswords(t *testing.T) {
	testfence.SetFor(t)
	pkg := testcorpus.Path(t, "shirashiki__ssis/template__template__security_test_pass_is_banana.dtsx")
	t.Setenv(passwordEnv, "")
	for _, tt := range []struct {
		args []string
		env  string
		code int
		want string
	}{
		{[]string{"/F", pkg, "/De", "apple", "/Va"}, "", 5, "the package password is wrong"},
		{[]string{"/F", pkg, "/Va"}, "", 5, "encrypted with a password"},
		// The right password loads it, and it validates: its Execute SQL
		// task and its Data Flow (OLE DB Source to OLE DB Destination)
		// both run here.
		{[]string{"/F", pkg, "/De", "banana", "/Va"}, "", 0, "DTSER_SUCCESS"},
		{[]string{"/F", pkg, "/Va"}, "banana", 0, "DTSER_SUCCESS"},
	} {
		t.Setenv(passwordEnv, tt.env)
		code, out := dtexec(t, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("%v (env %q): exit %d, want %d and %q:\n%s", tt.args, tt.env, code, tt.code, tt.want, out)
		}
		if strings.Contains(out, "banana") && !strings.Contains(out, "pass_is_banana") {
			t.Errorf("the password shows:\n%s", out)
		}
	}
}

// TestRealPostfixChapter3: the command line, unchanged, delivers the
// Chapter3 Send Mail package's mail through Postfix (STARTTLS, then NTLM
// with credentials from the environment); the message is read back from
// the Maildir.
func TestRealPostfixChapter3(t *testing.T) {
	env := realsmtp.Env(t)
	testfence.SetFor(t)
	t.Setenv("SSL_CERT_FILE", env["SMTP_INFRA_TLS_CERT"]) // trust the test server's certificate as a system root
	t.Setenv("DTSX_SMTP_SMTP_CONNECTION_MANAGER_USERNAME", `TEST\`+env["SMTP_INFRA_USER"])
	t.Setenv("DTSX_SMTP_SMTP_CONNECTION_MANAGER_PASSWORD", env["SMTP_INFRA_PASS"])
	pkg := testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__SendMailTask.dtsx")
	conn := "SMTP Connection Manager;SmtpServer=" + env["SMTP_INFRA_SUBMISSION_TLS"] + ";UseWindowsAuthentication=True;EnableSsl=True;"
	// /Rep EWIP adds the information events, which carry Postfix's reply.
	code, out := dtexec(t, "/F", pkg, "/Conn", conn, "/Rep", "EWIP")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	id := regexp.MustCompile(`queued as ([0-9A-Za-z]+)`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("no Postfix queue id in:\n%s", out)
	}
	data, err := os.ReadFile(realsmtp.Delivered(t, env, id[1]))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"From: <myfrom@handle.com>", "To: <myto@handle.com>", "Subject: Test", "Test Message"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("delivered message lacks %q:\n%s", want, data)
		}
	}
	if strings.Contains(out, env["SMTP_INFRA_PASS"]) {
		t.Error("the password shows in the output")
	}
	// /Validate alone sends nothing.
	code, out = dtexec(t, "/F", pkg, "/Conn", conn, "/Validate", "/Rep", "V")
	if code != 0 || strings.Contains(out, "queued as") {
		t.Errorf("/Validate: exit %d\n%s", code, out)
	}
}

// TestConsoleLog: /ConsoleLog prints the chosen columns of the log entries
// its lists let through.
func TestConsoleLog(t *testing.T) {
	testfence.SetFor(t)
	srv := smtptest.NewServer(t, smtptest.Options{})
	code, out := dtexec(t, "/F", helloMail, "/Conn", "SMTP Connection Manager;SmtpServer="+srv.Addr()+";", "/Cons", "NSM;I;OnPreExecute")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{"OnPreExecute,hello-mail,\n", "OnPreExecute,Send Hello,\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "OnPostExecute,") {
		t.Errorf("an entry not included shows:\n%s", out)
	}
}

// TestWindowsPathsMapped: an attachment named by a Windows path is found
// where DTSX_PATH_MAP says that folder is on this machine.
func TestWindowsPathsMapped(t *testing.T) {
	testfence.SetFor(t)
	srv := smtptest.NewServer(t, smtptest.Options{})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "daily.csv"), []byte("a,b\n1,2\n"), 0o644)
	b, _ := os.ReadFile(helloMail)
	pkg := filepath.Join(dir, "p.dtsx")
	os.WriteFile(pkg, []byte(strings.Replace(string(b), `SendMailTask:Subject=`, `SendMailTask:FileAttachments="C:\Reports\Daily.csv" SendMailTask:Subject=`, 1)), 0o644)
	os.Rename(filepath.Join(dir, "daily.csv"), filepath.Join(dir, "Daily.csv"))
	conn := "SMTP Connection Manager;SmtpServer=" + srv.Addr() + ";"
	t.Setenv("DTSX_PATH_MAP", "")
	if code, out := dtexec(t, "/F", pkg, "/Conn", conn); code != 1 || !strings.Contains(out, `C:\Reports\Daily.csv (here /Reports/Daily.csv)`) {
		t.Errorf("unmapped: exit %d\n%s", code, out)
	}
	t.Setenv("DTSX_PATH_MAP", `c:\reports=`+dir)
	code, out := dtexec(t, "/F", pkg, "/Conn", conn, "/Rep", "EWI")
	if code != 0 {
		t.Fatalf("mapped: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, `path C:\Reports\Daily.csv is `+filepath.Join(dir, "Daily.csv")+" here") {
		t.Errorf("/Rep I does not show the mapping:\n%s", out)
	}
	if m := srv.Messages(); len(m) != 1 || !bytes.Contains(m[0].Data, []byte("filename=Daily.csv")) {
		t.Errorf("messages %d", len(m))
	}
}

// TestProjectPackage: /Proj with /Pack picks a package of an .ispac; a name
// the project lacks is exit 4, listing the packages it has.
func TestProjectPackage(t *testing.T) {
	testfence.SetFor(t)
	ispac := testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__bin__Development__Chapter3.ispac")
	if code, out := dtexec(t, "/Proj", ispac, "/Pack", "SendMailTask.dtsx", "/Va"); code != 0 || !strings.Contains(out, "Package:  SendMailTask") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if code, out := dtexec(t, "/Proj", ispac, "/Pack", "Nope.dtsx", "/Va"); code != 4 || !strings.Contains(out, "SendMailTask.dtsx") {
		t.Errorf("unknown package: exit %d\n%s", code, out)
	}
}
