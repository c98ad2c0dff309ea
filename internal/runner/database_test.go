package runner

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/fence"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testfence"
	"github.com/dtsx-run/dtsx/runtime"
)

// dbPackage is a format-8 package with one OLE DB manager, Warehouse, on
// the server given.
func dbPackage(t *testing.T, server string) *runtime.Package {
	t.Helper()
	xml := `<?xml version="1.0"?><DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package" DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p"><DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
<DTS:ConnectionManagers><DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Warehouse]" DTS:CreationName="OLEDB" DTS:DTSID="{00000000-0000-0000-0000-0000000000D1}" DTS:ObjectName="Warehouse"><DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="Data Source=` + server + `;Initial Catalog=dw;Provider=SQLNCLI11.1;User ID=etl;Password=w4rehouse-pw;" /></DTS:ObjectData></DTS:ConnectionManager></DTS:ConnectionManagers>
<DTS:Executables/></DTS:Executable>`
	p, err := dtsx.LoadPackage("fenced.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	return runtime.Build(p, runtime.Options{})
}

// warehouse prepares the connections of rp as job does, behind the job's
// fence, and returns the database manager Warehouse.
func warehouse(t *testing.T, job Job, rp *runtime.Package) *database.Manager {
	t.Helper()
	f, err := job.fence()
	if err != nil {
		t.Fatal(err)
	}
	job.prepareConnections(rp, nil, nil, f)
	m, err := rp.Connection("Warehouse")
	if err != nil {
		t.Fatal(err)
	}
	dm, ok := m.(*database.Manager)
	if !ok {
		t.Fatalf("Warehouse is a %T", m)
	}
	return dm
}

// TestDatabaseBehindTheFence: the runner points every database manager at
// the egress fence (DTSX_ALLOWED_HOSTS, here loopback), so a manager that
// names a private address, or a name, is refused before any DNS lookup or
// connection, with a message naming the manager, the host and the fix,
// and without the password. --allowed-hosts replaces the variables.
func TestDatabaseBehindTheFence(t *testing.T) {
	queries := testfence.CountLookups(t)

	for _, tt := range []struct {
		name, server, allowed string
		want                  []string
	}{
		{"private address", "10.31.60.164", "", []string{`"Warehouse"`, "10.31.60.164", "DTSX_ALLOWED_HOSTS allows only 127.0.0.1,::1,localhost", "add 10.31.60.164 there if the run may reach it"}},
		{"name", "dw01.corp.example", "", []string{`"Warehouse"`, "dw01.corp.example", "DTSX_ALLOWED_HOSTS allows only"}},
		{"instance", `10.31.60.164\ETL,1433`, "", []string{`"Warehouse"`, "10.31.60.164", "DTSX_ALLOWED_HOSTS"}},
		{"--allowed-hosts", "10.31.60.164", "10.0.0.1", []string{`"Warehouse"`, "10.31.60.164", "--allowed-hosts allows only 10.0.0.1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rp := dbPackage(t, tt.server)
			job := Job{AllowedHosts: tt.allowed, Logger: zaptest.NewLogger(t)}
			dm := warehouse(t, job, rp)
			if dm.Run.Allow == nil {
				t.Fatal("the runner set no fence on the database manager")
			}
			_, err := dm.Acquire(context.Background(), dm.Run)
			if !errors.Is(err, fence.ErrNotAllowed) || !errors.Is(err, database.ErrRefused) {
				t.Fatalf("Acquire: %v, want ErrNotAllowed", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not contain %q", err, w)
				}
			}
			t.Log(err)
			if strings.Contains(err.Error(), "w4rehouse-pw") {
				t.Errorf("the password is in %q", err)
			}
		})
	}
	if n := queries.Load(); n != 0 {
		t.Errorf("%d DNS queries before the fence refused", n)
	}
}
