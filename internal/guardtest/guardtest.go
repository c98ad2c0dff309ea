// Package guardtest has the packages of the tests that validation, and a
// run refused before it starts, execute nothing: packages whose event
// handlers would send mail (to a loopback test server) and start a process
// (which creates a marker file) if anything ran them.
package guardtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// Kinds of package Write makes.
const (
	// Invalid has a Send Mail task with no recipient: it fails validation.
	Invalid = "invalid"
	// Unsupported has a Script task, which cannot execute here,
	// followed on Success by a Send Mail task that is valid.
	Unsupported = "unsupported"
)

// Guard is a package of some kind, written to a file, with what would show
// that something ran.
type Guard struct {
	// File is the package.
	File string
	// Marker is the file the OnError handler's Execute Process task
	// creates.
	Marker string
	// Server is the package's SMTP server.
	Server *smtptest.Server
}

// Write writes a package of the given kind to a temporary folder, its SMTP
// connection manager pointed at a new smtptest server on loopback. Its
// handlers: OnError mails the error and runs touch on Marker; OnWarning,
// OnPreValidate and OnPostValidate send a mail each.
func Write(t *testing.T, kind string) *Guard {
	t.Helper()
	srv := smtptest.NewServer(t, smtptest.Options{})
	dir := t.TempDir()
	g := &Guard{File: filepath.Join(dir, kind+".dtsx"), Marker: filepath.Join(dir, "handler-ran"), Server: srv}
	body := map[string]string{Invalid: invalidBody, Unsupported: unsupportedBody}[kind]
	if body == "" {
		t.Fatalf("guardtest: no package of kind %q", kind)
	}
	constraints := map[string]string{Unsupported: unsupportedConstraints}[kind]
	touch, err := exec.LookPath("touch")
	if err != nil {
		t.Fatalf("guardtest: %v", err)
	}
	xml := strings.NewReplacer("@NAME@", kind, "@SMTP@", srv.Addr(), "@BODY@", body, "@CONSTRAINTS@", constraints,
		"@TOUCH@", touch, "@MARKER@", g.Marker).Replace(template)
	if err := os.WriteFile(g.File, []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	return g
}

// Connections counts the SMTP connections the server accepted.
func (g *Guard) Connections() int {
	n := 0
	for _, l := range g.Server.Transcript() {
		if l == "<connect>" {
			n++
		}
	}
	return n
}

// HandlerRan reports whether the OnError handler's process ran.
func (g *Guard) HandlerRan() bool {
	_, err := os.Stat(g.Marker)
	return err == nil
}

// AssertNothingRan fails the test if the package made an SMTP connection
// or started its process, or if capture (a capture-mode folder, if not "")
// holds a message.
func (g *Guard) AssertNothingRan(t *testing.T, capture string) {
	t.Helper()
	if n := g.Connections(); n != 0 {
		t.Errorf("%d SMTP connections to the package's server, want none", n)
	}
	if g.HandlerRan() {
		t.Errorf("the OnError handler's process ran")
	}
	if capture != "" {
		if files, _ := filepath.Glob(filepath.Join(capture, "*.eml")); len(files) != 0 {
			t.Errorf("capture mode wrote %v", files)
		}
	}
}

const sendMail = `<DTS:Executable DTS:refId="@REF@" DTS:CreationName="Microsoft.SendMailTask" DTS:DTSID="@ID@"
          DTS:ExecutableType="Microsoft.SendMailTask" DTS:ObjectName="@OBJ@">
          <DTS:ObjectData>
            <SendMailTask:SendMailTaskData SendMailTask:SMTPServer="{2C9A4E71-8B3D-4F60-9A15-7D2E6C0B8F34}"
              SendMailTask:From="dtsx@example.com" @TO@ SendMailTask:Subject="@OBJ@"
              SendMailTask:MessageSource="sent by @OBJ@" xmlns:SendMailTask="www.microsoft.com/sqlserver/dts/tasks/sendmailtask" />
          </DTS:ObjectData>
        </DTS:Executable>`

func mail(ref, id, name, to string) string {
	if to != "" {
		to = `SendMailTask:To="` + to + `"`
	}
	return strings.NewReplacer("@REF@", ref, "@ID@", id, "@OBJ@", name, "@TO@", to).Replace(sendMail)
}

var invalidBody = mail(`Package\Send Nothing`, "{4A8D2F60-1C7B-4E39-B5A2-8F0E6D3C1B97}", "Send Nothing", "")

var unsupportedBody = `<DTS:Executable DTS:refId="Package\Load Staging" DTS:CreationName="Microsoft.ScriptTask"
        DTS:DTSID="{4A8D2F60-1C7B-4E39-B5A2-8F0E6D3C1B98}" DTS:ExecutableType="Microsoft.ScriptTask" DTS:ObjectName="Load Staging"/>
    ` + mail(`Package\Mail After Load`, "{4A8D2F60-1C7B-4E39-B5A2-8F0E6D3C1B99}", "Mail After Load", "ops@example.com")

const unsupportedConstraints = `<DTS:PrecedenceConstraints>
    <DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[Loaded]" DTS:From="Package\Load Staging"
      DTS:To="Package\Mail After Load" DTS:LogicalAnd="True" DTS:ObjectName="Loaded"/>
  </DTS:PrecedenceConstraints>`

func handler(event, id string, tasks ...string) string {
	return `<DTS:EventHandler DTS:refId="Package.EventHandlers[` + event + `]" DTS:CreationName="` + event + `" DTS:DTSID="` + id + `"
      DTS:EventID="0" DTS:EventName="` + event + `"><DTS:Executables>` + strings.Join(tasks, "") + `</DTS:Executables></DTS:EventHandler>`
}

var handlers = handler("OnError", "{7B1D3E50-2A6C-4F88-9D14-5C3A7E9B0F21}",
	mail(`Package.EventHandlers[OnError]\Mail the Error`, "{7B1D3E50-2A6C-4F88-9D14-5C3A7E9B0F22}", "Mail the Error", "oncall@example.com"),
	`<DTS:Executable DTS:refId="Package.EventHandlers[OnError]\Touch Marker" DTS:CreationName="Microsoft.ExecuteProcess"
          DTS:DTSID="{7B1D3E50-2A6C-4F88-9D14-5C3A7E9B0F23}" DTS:ExecutableType="Microsoft.ExecuteProcess" DTS:ObjectName="Touch Marker">
          <DTS:ObjectData><ExecuteProcessData Executable="@TOUCH@" Arguments="@MARKER@" /></DTS:ObjectData>
        </DTS:Executable>`) +
	handler("OnWarning", "{7B1D3E50-2A6C-4F88-9D14-5C3A7E9B0F31}",
		mail(`Package.EventHandlers[OnWarning]\Mail the Warning`, "{7B1D3E50-2A6C-4F88-9D14-5C3A7E9B0F32}", "Mail the Warning", "oncall@example.com")) +
	handler("OnPreValidate", "{7B1D3E50-2A6C-4F88-9D14-5C3A7E9B0F41}",
		mail(`Package.EventHandlers[OnPreValidate]\Mail PreValidate`, "{7B1D3E50-2A6C-4F88-9D14-5C3A7E9B0F42}", "Mail PreValidate", "oncall@example.com")) +
	handler("OnPostValidate", "{7B1D3E50-2A6C-4F88-9D14-5C3A7E9B0F51}",
		mail(`Package.EventHandlers[OnPostValidate]\Mail PostValidate`, "{7B1D3E50-2A6C-4F88-9D14-5C3A7E9B0F52}", "Mail PostValidate", "oncall@example.com"))

var template = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{6F0C2B8E-3D5A-4C71-9E2B-1A7F4D9C0E21}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="@NAME@" DTS:ProtectionLevel="0">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[SMTP Connection Manager]" DTS:CreationName="SMTP"
      DTS:DTSID="{2C9A4E71-8B3D-4F60-9A15-7D2E6C0B8F34}" DTS:ObjectName="SMTP Connection Manager">
      <DTS:ObjectData>
        <SmtpConnectionManager ConnectionString="SmtpServer=@SMTP@;UseWindowsAuthentication=False;EnableSsl=False;" />
      </DTS:ObjectData>
    </DTS:ConnectionManager>
  </DTS:ConnectionManagers>
  <DTS:Executables>
    @BODY@
  </DTS:Executables>
  @CONSTRAINTS@
  <DTS:EventHandlers>` + handlers + `</DTS:EventHandlers>
</DTS:Executable>`
