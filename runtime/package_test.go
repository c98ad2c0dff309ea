package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/builtin"
)

const delayPkg = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{10000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Mail]" DTS:CreationName="SMTP" DTS:DelayValidation="%s"
      DTS:DTSID="{20000000-0000-0000-0000-000000000000}" DTS:ObjectName="Mail">
      <DTS:ObjectData><SmtpConnectionManager ConnectionString="SmtpServer=;EnableSsl=False;" /></DTS:ObjectData>
    </DTS:ConnectionManager>
  </DTS:ConnectionManagers>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Mail it" DTS:CreationName="Microsoft.SendMailTask" DTS:DelayValidation="%s"
      DTS:DTSID="{30000000-0000-0000-0000-000000000000}" DTS:ExecutableType="Microsoft.SendMailTask" DTS:ObjectName="Mail it">
      <DTS:ObjectData><SendMailTask:SendMailTaskData SendMailTask:SMTPServer="{40000000-0000-0000-0000-000000000000}" SendMailTask:To="a@b"
        xmlns:SendMailTask="www.microsoft.com/sqlserver/dts/tasks/sendmailtask"/></DTS:ObjectData>
    </DTS:Executable>
    <DTS:Executable DTS:refId="Package\Third party" DTS:CreationName="Acme.Task" DTS:DTSID="{50000000-0000-0000-0000-000000000000}"
      DTS:ExecutableType="Acme.Task, Acme, Version=1.0.0.0" DTS:ObjectName="Third party"/>
  </DTS:Executables>
</DTS:Executable>`

// TestDelayValidation: as in SSIS, an object with DelayValidation=True is
// validated only when it runs, so its errors are warnings at validation.
func TestDelayValidation(t *testing.T) {
	for _, delay := range []string{"False", "True"} {
		t.Run(delay, func(t *testing.T) {
			xml := strings.ReplaceAll(delayPkg, "%s", delay)
			p, err := dtsx.LoadPackage("d.dtsx", []byte(xml))
			if err != nil {
				t.Fatal(err)
			}
			rp := runtime.Build(p, runtime.Options{Connections: connbuiltin.Connections(), Tasks: builtin.Tasks()})
			ds := rp.Validate(context.Background())
			want := dtsx.SeverityError
			if delay == "True" {
				want = dtsx.SeverityWarning
			}
			sev := map[string]dtsx.Severity{}
			for _, d := range ds {
				sev[d.Code] = d.Severity
				if d.File != "d.dtsx" || d.Line == 0 {
					t.Errorf("diagnostic not located: %s", d)
				}
			}
			for _, code := range []string{"smtp-empty-server", connections.CodeDanglingRef} {
				if s, ok := sev[code]; !ok || s != want {
					t.Errorf("%s: severity %v (present %v), want %v; all: %v", code, s, ok, want, ds)
				}
			}
			if sev[tasks.CodeUnknownType] != dtsx.SeverityError {
				t.Errorf("unknown executable type not an error: %v", ds)
			}
		})
	}
}
