package override_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime/override"
	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

// TestApplyConfigurations: the configurations a package names apply in its
// order: a file named through an environment variable, an environment
// variable's value; a registry or SQL Server one, and a parent-variable one
// of a package run on its own, are warnings saying what to do instead.
func TestApplyConfigurations(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(helloMail)
	if err != nil {
		t.Fatal(err)
	}
	cfg := `<?xml version="1.0"?><DTSConfiguration><Configuration ConfiguredType="Property" Path="\Package\Send Hello.Properties[Subject]" ValueType="String"><ConfiguredValue>From the file</ConfiguredValue></Configuration></DTSConfiguration>`
	os.WriteFile(filepath.Join(dir, "mail.dtsConfig"), []byte(cfg), 0o644)
	configs := `<DTS:Configurations>
<DTS:Configuration DTS:ConfigurationType="5" DTS:ConfigurationString="MAIL_CONFIG" DTS:CreationName="" DTS:DTSID="{10000000-0000-4000-8000-000000000001}" DTS:ObjectName="file by env"/>
<DTS:Configuration DTS:ConfigurationType="2" DTS:ConfigurationString="MAIL_TO" DTS:ConfigurationVariable="\Package\Send Hello.Properties[ToLine]" DTS:CreationName="" DTS:DTSID="{10000000-0000-4000-8000-000000000002}" DTS:ObjectName="to by env"/>
<DTS:Configuration DTS:ConfigurationType="7" DTS:ConfigurationString="&quot;Cfg&quot;;&quot;[dbo].[SSIS Configurations]&quot;;&quot;Mail&quot;;" DTS:CreationName="" DTS:DTSID="{10000000-0000-4000-8000-000000000003}" DTS:ObjectName="sql"/>
<DTS:Configuration DTS:ConfigurationType="0" DTS:ConfigurationString="User::X" DTS:ConfigurationVariable="\Package.Variables[User::Recipient].Properties[Value]" DTS:CreationName="" DTS:DTSID="{10000000-0000-4000-8000-000000000004}" DTS:ObjectName="parent"/>
</DTS:Configurations><DTS:ConnectionManagers>`
	pkg := strings.Replace(string(b), `DTS:ProtectionLevel="0"`, `DTS:ProtectionLevel="0" DTS:EnableConfig="True"`, 1)
	pkg = strings.Replace(pkg, `<DTS:ConnectionManagers>`, configs, 1)
	path := filepath.Join(dir, "p.dtsx")
	os.WriteFile(path, []byte(pkg), 0o644)
	p, err := dtsx.LoadPackageFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"MAIL_CONFIG": "mail.dtsConfig", "MAIL_TO": "night@example.com"}
	diags := override.ApplyConfigurations(p, nil, override.Sources{
		Env:   func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Local: func(f string) string { return filepath.Join(dir, f) },
		Types: builtinTypes,
	})
	var got []string
	for _, d := range diags {
		got = append(got, d.Severity.String()+" "+d.Message)
	}
	if len(diags) != 2 || !strings.Contains(got[0], `"sql"`) || !strings.Contains(got[0], "SqlServer") || !strings.Contains(got[1], "runs on its own") {
		t.Errorf("diagnostics %q", got)
	}
	var task *dtsx.Executable
	p.Walk(func(x *dtsx.Executable) bool {
		if x.Name == "Send Hello" {
			task = x
		}
		return true
	})
	props, _ := sendmail.ReadProperties(task)
	if props.Subject != "From the file" || props.ToLine != "night@example.com" {
		t.Errorf("Subject %q, ToLine %q", props.Subject, props.ToLine)
	}
}
