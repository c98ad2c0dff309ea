package dftask_test

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// utf16File returns s as a UTF-16 file with a byte order mark, as a Flat
// File connection manager with Unicode True reads it.
func utf16File(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// TestCorpusMergeJoin runs the Data Flow task of a real package (format
// 8 in an .ispac): two Flat File Sources of customers through a Union
// All into a Sort on ID, a Flat File Source of products into a Sort on
// customerid, a Merge Join (JoinType 1, left outer, "Merge Join
// Transformation") of both, a Row Count and a Derived Column into a Flat
// File Destination. Every customer is kept, with each of its products or
// none.
func TestCorpusMergeJoin(t *testing.T) {
	pr, err := dtsx.Options{}.LoadProject(testcorpus.Path(t, "shinaly__SSIS_Template/Demo__Packages__Demo.ispac"))
	if err != nil {
		t.Fatal(err)
	}
	var p *dtsx.Package
	for _, q := range pr.Packages {
		if filepath.Base(q.File) == "CopyCustomers4.dtsx" {
			p = q
		}
	}
	if p == nil {
		t.Fatal("no CopyCustomers4.dtsx in the project")
	}
	dir := t.TempDir()
	files := map[string]string{
		"Customers.txt":    "ID,Name\r\n2,Bob\r\n1,Ada\r\n",
		"NewCustomers.txt": "ID,Name\r\n3,Cyd\r\n",
		"Products.txt":     "id,name,customerid\r\n10,Pen,1\r\n12,Cup,3\r\n11,Ink,1\r\n",
	}
	for f, s := range files {
		if err := os.WriteFile(filepath.Join(dir, f), utf16File(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := tasktest.NewEnv(t, p, dir)
	for cm, f := range map[string]string{"Customers Dst": "Customers.txt", "New Customers Src": "NewCustomers.txt",
		"Products Src": "Products.txt", "Convert Customers Dst": "Converted.txt"} {
		m, err := env.Conns.Resolve(cm)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.(*file.Manager).SetProperty("ConnectionString", `C:\`+f); err != nil {
			t.Fatal(err)
		}
	}
	runFlow(t, p, env, "DFT Convert customer names")
	b, err := os.ReadFile(filepath.Join(dir, "Converted.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := "Product Id,Product Name,Customer Id,Customer Name\r\n10,PEN,1,ADA\r\n11,INK,1,ADA\r\n,,2,BOB\r\n12,CUP,3,CYD\r\n"
	if got := b; string(got) != string(utf16File(want)) {
		t.Errorf("Converted.txt = %q, want %q in UTF-16", got, want)
	}
	if n, err := env.Vars["User::CustomerCount"].Int(); err != nil || n != 4 {
		t.Errorf("User::CustomerCount = %v (%v), want 4", env.Vars["User::CustomerCount"], err)
	}
}
