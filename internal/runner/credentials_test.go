package runner

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
)

// TestCredentialsReachDatabaseManagers: the --credentials file the SMTP
// managers read also gives a SQL Server manager's Windows login
// (Integrated Security=SSPI) its NTLM user, once the command line has
// prepared the package's connections.
func TestCredentialsReachDatabaseManagers(t *testing.T) {
	t.Setenv("KRB5_KTNAME", filepath.Join(t.TempDir(), "none.keytab"))
	t.Setenv("KRB5CCNAME", filepath.Join(t.TempDir(), "none.ccache"))
	file := filepath.Join(t.TempDir(), "creds.yaml")
	if err := os.WriteFile(file, []byte("Warehouse:\n  username: CORP\\etl\n  password: not-shown-9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pkg, err := dtsx.LoadPackage("p.dtsx", []byte(`<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{1D2C3B4A-0000-4000-8000-000000000001}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:ConnectionManagers>
    <DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Warehouse]" DTS:CreationName="OLEDB"
      DTS:DTSID="{1D2C3B4A-0000-4000-8000-000000000002}" DTS:ObjectName="Warehouse">
      <DTS:ObjectData>
        <DTS:ConnectionManager DTS:ConnectionString="Data Source=127.0.0.1;Initial Catalog=dw;Provider=MSOLEDBSQL.1;Integrated Security=SSPI;" />
      </DTS:ObjectData>
    </DTS:ConnectionManager>
  </DTS:ConnectionManagers>
</DTS:Executable>`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file, user string
	}{
		{"with --credentials", file, `CORP\etl`},
		{"without", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job := Job{CredentialsFile: tc.file}
			creds, dbCreds, err := job.credentials()
			if err != nil {
				t.Fatal(err)
			}
			rp := runtime.Build(pkg, runtime.Options{})
			job.prepareConnections(rp, creds, dbCreds, nil)
			m, err := rp.Connection("Warehouse")
			if err != nil {
				t.Fatal(err)
			}
			login, err := m.(*database.Manager).Login(m.(*database.Manager).Run)
			if tc.user == "" {
				if err == nil {
					t.Fatalf("a Windows login with no credentials: %+v, want an error", login)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if login.Kind != database.LoginNTLM || login.User != tc.user {
				t.Errorf("login %+v, want NTLM as %s", login, tc.user)
			}
		})
	}
}
