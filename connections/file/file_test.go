package file_test

import (
	"slices"
	"testing"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
)

// TestSetProperty: a property expression or /Set changes the path a file
// connection manager gives, not its definition; a bad usage type is refused.
func TestSetProperty(t *testing.T) {
	def := &dtsx.ConnectionManager{Object: dtsx.Object{Name: "Files", CreationName: "MULTIFILE"}, ConnectionString: `C:\a.csv`}
	m, err := file.New(def)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetProperty("ConnectionString", `C:\x.csv|C:\y.csv`); err != nil {
		t.Fatal(err)
	}
	if got := m.Paths(); !slices.Equal(got, []string{`C:\x.csv`, `C:\y.csv`}) {
		t.Errorf("Paths() = %q", got)
	}
	if def.ConnectionString != `C:\a.csv` {
		t.Errorf("the definition changed: %q", def.ConnectionString)
	}
	if err := m.SetProperty("FileUsageType", "7"); err == nil {
		t.Error("FileUsageType 7 accepted")
	}
	if err := m.SetProperty("FileUsageType", "2"); err != nil || m.Usage != file.ExistingFolder {
		t.Errorf("FileUsageType 2: %v, usage %v", err, m.Usage)
	}
	if err := m.SetProperty("ServerName", "x"); err == nil {
		t.Error("an unknown property accepted")
	}
}
