package runtime_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/capture"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks/builtin"
	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

func build(t *testing.T, path string) ([]*runtime.Package, []dtsx.Diagnostics) {
	t.Helper()
	pkgs, pr, err := runtime.Open(path, "", dtsx.Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	var out []*runtime.Package
	var diags []dtsx.Diagnostics
	for _, p := range pkgs {
		rp := runtime.Build(p, runtime.Options{Project: pr, Connections: connbuiltin.Connections(), Tasks: builtin.Tasks()})
		out = append(out, rp)
		diags = append(diags, rp.Validate(context.Background()))
	}
	return out, diags
}

// TestCorpusSendMailReferences checks every SendMailTask:SMTPServer of the
// corpus (37 in .dtsx files, 1 more inside an .ispac): each resolves to an
// SMTP connection manager or is reported as dangling, naming the task and
// the GUID.
func TestCorpusSendMailReferences(t *testing.T) {
	dir := testcorpus.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.dtsx"))
	ispacs, _ := filepath.Glob(filepath.Join(dir, "*", "*.ispac"))
	var resolved, reported, inIspac int
	for _, f := range append(files, ispacs...) {
		if strings.Contains(f, "security_test_pass_is_banana") {
			continue // encrypted whole; no reference can be read without the password
		}
		rps, diags := build(t, f)
		for i, rp := range rps {
			for x, task := range rp.Tasks {
				sm, ok := task.(*sendmail.Task)
				if !ok {
					continue
				}
				ref := sm.Props.SmtpConnection
				m, err := rp.Connection(ref)
				if err == nil {
					if !strings.EqualFold(m.Definition().CreationName, "SMTP") {
						t.Errorf("%s: %s resolves %s to %q of type %s", rp.Def.File, x.RefID, ref, m.Definition().Name, m.Definition().CreationName)
					}
					resolved++
					if strings.HasSuffix(f, ".ispac") {
						inIspac++
					}
					continue
				}
				found := false
				for _, d := range diags[i] {
					if d.Code == connections.CodeDanglingRef && d.Path == x.RefID && strings.Contains(d.Message, ref) &&
						strings.Contains(d.Message, x.Name) && d.Severity == dtsx.SeverityError {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: %s: unresolved SMTPServer %s is not reported as an error naming task and GUID", rp.Def.File, x.RefID, ref)
				}
				reported++
			}
		}
	}
	if resolved+reported-inIspac != 37 || inIspac != 1 {
		t.Errorf("saw %d SMTPServer references in .dtsx files and %d in .ispac files (%d resolved, %d reported), want 37 and 1",
			resolved+reported-inIspac, inIspac, resolved, reported)
	}
	if reported != 1 {
		t.Errorf("%d dangling references, want 1 (jbernier51 StagingExcel-UserMaster)", reported)
	}
	t.Logf("SMTPServer references: %d resolved, %d reported as dangling", resolved, reported)
}

// TestCorpusProjectSMTP checks that the jbernier51 packages resolve their
// Send Mail tasks to the project's SMTP.conmgr, and that the one dangling
// reference is reported with the task and the GUID.
func TestCorpusProjectSMTP(t *testing.T) {
	for _, name := range []string{"Email-Start", "LoadingMasterPackage", "StagingJDE-ARInvoices", "StagingExcel-UserMaster"} {
		t.Run(name, func(t *testing.T) {
			rps, diags := build(t, testcorpus.Path(t, "jbernier51__SSIS_Projects/AR_Aging_Import__AR_Aging_Import__"+name+".dtsx"))
			rp := rps[0]
			n := 0
			for x, task := range rp.Tasks {
				sm, ok := task.(*sendmail.Task)
				if !ok || strings.EqualFold(sm.Props.SmtpConnection, "{95EA6229-26A4-434F-BF7C-564E4A2D0574}") {
					continue
				}
				m, err := rp.Connection(sm.Props.SmtpConnection)
				if err != nil {
					t.Fatalf("%s: %v", x.RefID, err)
				}
				d := m.Definition()
				if !d.Project || d.Name != "SMTP" || !strings.HasSuffix(d.File, "AR_Aging_Import__SMTP.conmgr") {
					t.Errorf("%s resolved to %q (project %v, file %s), want the project's SMTP.conmgr", x.RefID, d.Name, d.Project, d.File)
				}
				n++
			}
			if n == 0 {
				t.Fatal("no Send Mail task resolved")
			}
			if name != "StagingExcel-UserMaster" {
				return
			}
			for _, d := range diags[0] {
				if d.Code == connections.CodeDanglingRef && strings.HasPrefix(d.Message, "Send Mail task") {
					if !strings.Contains(d.Message, `"Send Failure e-Mail"`) || !strings.Contains(d.Message, "{95EA6229-26A4-434F-BF7C-564E4A2D0574}") ||
						d.Path != `Package\Failure Loading Closeout\Send Failure e-Mail` || d.Line == 0 {
						t.Errorf("dangling diagnostic lacks task, GUID, path or line: %s", d)
					}
					return
				}
			}
			t.Error("the dangling SMTPServer reference is not reported")
		})
	}
}

// TestCorpusExpressionsInCapture runs the real Email-Start package of
// jbernier51 (Send Mail properties and the project SMTP manager's
// SmtpServer all come from property expressions over $Project::
// parameters and System variables) in capture mode: the mail carries the
// evaluated values, the manager holds the server its expression names, and
// the mail still went to the capture server.
func TestCorpusExpressionsInCapture(t *testing.T) {
	t.Setenv("DTSX_SMTP_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
	pkgs, pr, err := runtime.Open(testcorpus.Path(t, "jbernier51__SSIS_Projects/AR_Aging_Import__AR_Aging_Import__Email-Start.dtsx"), "", dtsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rp := runtime.Build(pkgs[0], runtime.Options{Project: pr})
	srv, err := capture.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Redirect(rp.Connections.All())
	rep := rp.Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1, SkipUnsupported: true,
		Parameters: map[string]string{"$Project::SendSuccessEMail_ToLine": "ops@example.com;dba@example.com"}})
	if rep.Status != runtime.Success || len(rep.Records) != 1 {
		t.Fatalf("status %v, records %+v, errors %+v", rep.Status, rep.Records, rep.Errors)
	}
	host, _ := os.Hostname()
	got := rep.Records[0].Data
	if got["subject"] != host+":Email-Start.dtsx started successfully" {
		t.Errorf("subject %q", got["subject"])
	}
	if got["from"] != "SSISETLServer@harsco.com" {
		t.Errorf("from %q, want the project parameter's value", got["from"])
	}
	if rcpt := fmt.Sprint(got["recipients"]); rcpt != "[ops@example.com dba@example.com]" {
		t.Errorf("recipients %s, want the overridden parameter's", rcpt)
	}
	m, _ := rp.Connection("SMTP")
	if s := m.(*smtp.Manager).Config.Server; s != "smtprelay.harsco.com" {
		t.Errorf("SMTP manager server %q, want $Project::SMTP_SmtpServer's value", s)
	}
	if files := srv.Files(); len(files) != 1 {
		t.Errorf("captured %v", files)
	}
}

// TestCorpusSystemVariables: a real package whose File System task
// destinations are expressions over System::CreationDate validates (the
// package's creation date is a System variable, as in SSIS).
func TestCorpusSystemVariables(t *testing.T) {
	pkgs, pr, err := runtime.Open(testcorpus.Path(t, "Garwin4j__birthdaynotificationworkspace/SSIS_BithdayNotification__JMMBCustomerNotificationPackage__at_640def63.dtsx"), "", dtsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep := runtime.Build(pkgs[0], runtime.Options{Project: pr}).Execute(context.Background(),
		runtime.RunOptions{ValidateOnly: true, SkipUnsupported: true})
	if rep.Status != runtime.Success {
		t.Errorf("status %v: %+v", rep.Status, rep.Errors)
	}
}
