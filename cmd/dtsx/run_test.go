package main

import (
	"encoding/json"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

func readEML(t *testing.T, path string) *mail.Message {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	m, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	return m
}

func body(t *testing.T, m *mail.Message) string {
	b := new(strings.Builder)
	if _, err := io.Copy(b, m.Body); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(b.String())
}

// TestRunCaptureChapter3WithoutCredentials: capture mode logs in nowhere,
// so the package's UseWindowsAuthentication=True needs no credential: exit
// 0 and the capture file, where a run without --capture would fail with
// "no credential found".
func TestRunCaptureChapter3WithoutCredentials(t *testing.T) {
	testfence.SetFor(t)
	for _, k := range []string{"DTSX_SMTP_USERNAME", "DTSX_SMTP_PASSWORD", "DTSX_SMTP_SMTP_CONNECTION_MANAGER_USERNAME",
		"DTSX_SMTP_SMTP_CONNECTION_MANAGER_PASSWORD", "KRB5CCNAME", "KRB5_KTNAME"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	out := filepath.Join(t.TempDir(), "outbox")
	code, stdout, stderr := runCLI(t, "run", "--capture", out,
		testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__SendMailTask.dtsx"))
	if code != 0 || strings.Contains(stdout+stderr, "no credential found") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if m := readEML(t, filepath.Join(out, "0001.eml")); m.Header.Get("Subject") != "Test" {
		t.Errorf("Subject = %q, want Test", m.Header.Get("Subject"))
	}
}

// TestRunCaptureChapter3 runs the real SSIS 2012 package (Windows
// authentication) in capture mode with NTLM credentials from the
// environment: exit 0 and the mail as SSIS would have sent it.
func TestRunCaptureChapter3(t *testing.T) {
	testfence.SetFor(t)
	t.Setenv("DTSX_SMTP_USERNAME", `TEST\alice`)
	t.Setenv("DTSX_SMTP_PASSWORD", "Capture-Secret-5")
	dir := t.TempDir()
	out := filepath.Join(dir, "outbox")
	rep := filepath.Join(dir, "report.json")
	logFile := filepath.Join(dir, "run.log")
	code, stdout, stderr := runCLI(t, "run", "--capture", out, "--json", rep, "--log", logFile, "-v",
		testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__SendMailTask.dtsx"))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	m := readEML(t, filepath.Join(out, "0001.eml"))
	for k, want := range map[string]string{"From": "<myfrom@handle.com>", "To": "<myto@handle.com>", "Subject": "Test"} {
		if got := m.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if b := body(t, m); b != "Test Message" {
		t.Errorf("body %q", b)
	}
	var r struct {
		Status   string `json:"status"`
		ExitCode int    `json:"exitCode"`
		Records  []struct {
			Kind string         `json:"Kind"`
			Data map[string]any `json:"Data"`
		} `json:"records"`
		CaptureFiles []string `json:"captureFiles"`
	}
	b, _ := os.ReadFile(rep)
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Status != "Success" || r.ExitCode != 0 || len(r.Records) != 1 || r.Records[0].Data["reply"] == "" || len(r.CaptureFiles) != 1 {
		t.Errorf("report: %s", b)
	}
	logged, _ := os.ReadFile(logFile)
	for _, want := range []string{`"msg":"OnPreValidate"`, `"msg":"OnProgress"`, `"msg":"smtp session ready"`, `"mechanism":"NTLM"`, `"msg":"OnPostExecute"`} {
		if !strings.Contains(string(logged), want) {
			t.Errorf("the log has no %s:\n%s", want, logged)
		}
	}
	if !strings.Contains(stderr, "OnPreExecute") {
		t.Errorf("-v: no log on stderr:\n%s", stderr)
	}
	if strings.Contains(string(b)+string(logged)+stdout+stderr, "Capture-Secret-5") {
		t.Error("the password reached the output, the log or the report")
	}
}

// TestRunFailures: each failure path exits 1 with a clear error and no mail
// counted as sent.
func TestRunFailures(t *testing.T) {
	testfence.SetFor(t)
	srv := smtptest.NewServer(t, smtptest.Options{RejectRcpt: map[string]int{"ops@example.com": 550}})
	sample, _ := os.ReadFile("../../samples/hello-mail.dtsx")
	dir := t.TempDir()
	write := func(name, from, to string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(strings.Replace(string(sample), from, to, 1)), 0o644)
		return p
	}
	injected := write("inject.dtsx", `SendMailTask:Subject="Hello from dtsx"`, `SendMailTask:Subject="Hi&#xD;&#xA;Bcc: evil@x.com"`)
	attach := write("attach.dtsx", `SendMailTask:Subject=`, `SendMailTask:FileAttachments="/nonexistent/report.csv" SendMailTask:Subject=`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unreachable", []string{"--conn", "SMTP Connection Manager;SmtpServer=127.0.0.1:1;", "../../samples/hello-mail.dtsx"}, "cannot connect"},
		{"550 recipient", []string{"--conn", "SMTP Connection Manager;SmtpServer=" + srv.Addr() + ";", "../../samples/hello-mail.dtsx"}, "550"},
		{"fenced", []string{"../../samples/hello-mail.dtsx", "--allowed-hosts", "127.0.0.2"}, "allowed hosts"},
		{"header injection", []string{"--capture", filepath.Join(dir, "o1"), injected}, "Subject"},
		{"missing attachment", []string{"--capture", filepath.Join(dir, "o2"), attach}, "/nonexistent/report.csv"},
		// Its Execute SQL task's OLE DB connection (Windows login to
		// localhost) cannot be opened here: the task fails and says so.
		{"database not reachable", []string{"--capture", filepath.Join(dir, "o3"), testcorpus.Path(t, "johnwelch__ssisUnit/SsisUnit.Tests__TestPackages__SimplePackage.dtsx")}, `Execute SQL task "Select Count": `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"run"}, tt.args...)...)
			if code != 1 || !strings.Contains(out, tt.want) || !strings.Contains(out, "DTSER_FAILURE (1)") {
				t.Errorf("exit %d, want 1 and %q in:\n%s%s", code, tt.want, out, errOut)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages delivered", n)
	}
	for _, o := range []string{"o1", "o2"} {
		if files, _ := filepath.Glob(filepath.Join(dir, o, "*.eml")); len(files) != 0 {
			t.Errorf("%s: %v captured", o, files)
		}
	}
}

// TestRunRealPostfix runs the Chapter3 package against the real Postfix
// with --conn (NTLM + STARTTLS on 2588) and compares the delivered message
// with the package.
func TestRunRealPostfix(t *testing.T) {
	env := realsmtp.Env(t)
	testfence.SetFor(t)
	t.Setenv("DTSX_SMTP_SMTP_CONNECTION_MANAGER_USERNAME", `TEST\`+env["SMTP_INFRA_USER"])
	t.Setenv("DTSX_SMTP_SMTP_CONNECTION_MANAGER_PASSWORD", env["SMTP_INFRA_PASS"])
	rep := filepath.Join(t.TempDir(), "r.json")
	code, out, errOut := runCLI(t, "run", "--json", rep, "--conn",
		"SMTP Connection Manager;SmtpServer="+env["SMTP_INFRA_SUBMISSION_TLS"]+";UseWindowsAuthentication=True;EnableSsl=True;CAFile="+env["SMTP_INFRA_TLS_CERT"]+";",
		testcorpus.Path(t, "lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__SendMailTask.dtsx"))
	if code != 0 || !strings.Contains(out, "queued as") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	b, _ := os.ReadFile(rep)
	var r struct {
		Records []struct {
			Data map[string]any `json:"Data"`
		} `json:"records"`
	}
	json.Unmarshal(b, &r)
	if len(r.Records) != 1 {
		t.Fatalf("report: %s", b)
	}
	id, _ := r.Records[0].Data["messageId"].(string)
	m := readEML(t, realsmtp.Delivered(t, env, id))
	if m.Header.Get("Subject") != "Test" || m.Header.Get("From") != "<myfrom@handle.com>" || body(t, m) != "Test Message" {
		t.Errorf("delivered %v", m.Header)
	}
}

// TestRunRealPostfixRefusals: the real Postfix refuses a recipient for good
// (550) or for now (451); each run exits 1, names the recipient and the
// code, and counts no mail as sent.
func TestRunRealPostfixRefusals(t *testing.T) {
	env := realsmtp.Env(t)
	testfence.SetFor(t)
	sample, err := os.ReadFile("../../samples/hello-mail.dtsx")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ rcpt, code, hint string }{
		{"reject550@test.local", "550", "correct or remove the refused recipients"},
		{"defer451@test.local", "451", "temporary failure: the server may accept it later"},
	} {
		t.Run(tt.code, func(t *testing.T) {
			dir := t.TempDir()
			pkg := filepath.Join(dir, "p.dtsx")
			os.WriteFile(pkg, []byte(strings.Replace(string(sample), `SendMailTask:To="ops@example.com"`, `SendMailTask:To="`+tt.rcpt+`"`, 1)), 0o644)
			rep := filepath.Join(dir, "r.json")
			code, out, errOut := runCLI(t, "run", "--json", rep, "--conn", "SMTP Connection Manager;SmtpServer="+env["SMTP_INFRA_SMTP"]+";", pkg)
			if code != 1 || !strings.Contains(out, tt.rcpt) || !strings.Contains(out, tt.code) || !strings.Contains(out, tt.hint) || !strings.Contains(out, "DTSER_FAILURE (1)") {
				t.Fatalf("exit %d, want 1 naming %s, %s and the fix:\n%s%s", code, tt.rcpt, tt.code, out, errOut)
			}
			var r struct {
				Records []struct {
					Outcome string `json:"outcome"`
				} `json:"records"`
				Status string `json:"status"`
			}
			b, _ := os.ReadFile(rep)
			if err := json.Unmarshal(b, &r); err != nil || len(r.Records) != 1 || r.Records[0].Outcome == "sent" || r.Status != "Failure" {
				t.Errorf("report counts a mail as sent, or does not fail: %s", b)
			}
		})
	}
}

// TestRunOnErrorSample: the OnError sample's report task fails, its
// handler mails the error, the run exits 1, and the JSON report says both:
// the failed task with its error, and the handler's mail.
func TestRunOnErrorSample(t *testing.T) {
	testfence.SetFor(t)
	dir := t.TempDir()
	rep := filepath.Join(dir, "r.json")
	code, out, errOut := runCLI(t, "run", "--capture", filepath.Join(dir, "outbox"), "--json", rep, "../../samples/onerror-alert.dtsx")
	if code != 1 || !strings.Contains(out, "DTSER_FAILURE (1)") {
		t.Fatalf("exit %d, want 1:\n%s%s", code, out, errOut)
	}
	var r struct {
		Status      string `json:"status"`
		ExitCode    int    `json:"exitCode"`
		Executables []struct {
			RefID  string   `json:"refId"`
			Status string   `json:"status"`
			Errors []string `json:"errors"`
		} `json:"executables"`
		Records []struct {
			Source string         `json:"source"`
			Data   map[string]any `json:"Data"`
		} `json:"records"`
		CaptureFiles []string `json:"captureFiles"`
	}
	b, _ := os.ReadFile(rep)
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Status != "Failure" || r.ExitCode != 1 {
		t.Errorf("status %q exit %d", r.Status, r.ExitCode)
	}
	failed := 0
	for _, x := range r.Executables {
		if x.Status == "Failure" && len(x.Errors) == 1 && strings.Contains(x.Errors[0], "/nonexistent/daily-report.csv") {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("want one failed task naming its missing attachment: %+v", r.Executables)
	}
	if len(r.Records) != 1 || !strings.Contains(r.Records[0].Source, "EventHandlers[OnError]") || len(r.CaptureFiles) != 1 {
		t.Fatalf("want the handler's one mail: %+v, %v", r.Records, r.CaptureFiles)
	}
	if got := r.Records[0].Data["subject"]; got != "Package onerror-alert failed" {
		t.Errorf("handler mail subject %v", got)
	}
}
