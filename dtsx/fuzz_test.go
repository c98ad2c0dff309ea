package dtsx_test

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// fuzzMaxInput bounds the inputs mutated while fuzzing (-fuzz).
const fuzzMaxInput = 1 << 20

// fuzzSeedExts are the file types whose corpus and bad-set files seed
// FuzzLoad.
var fuzzSeedExts = map[string]bool{".dtsx": true, ".conmgr": true, ".params": true, ".dtsconfig": true}

// fuzzAddSeeds adds every file of dir (recursively) with a seed extension.
func fuzzAddSeeds(f *testing.F, dir string) int {
	f.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !fuzzSeedExts[strings.ToLower(filepath.Ext(path))] {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f.Add(data)
		n++
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	return n
}

// FuzzLoad feeds arbitrary bytes to every loader of the package. Nothing may
// panic; a failure must be a *dtsx.Error; and a package that loads must
// survive a save: what WriteTo writes loads again into the same shape.
//
// Seeds: every .dtsx, .conmgr, .params and .dtsConfig of the corpus
// (skipped with DTSX_NO_CORPUS=1) and of testdata/bad.
func FuzzLoad(f *testing.F) {
	seeds := fuzzAddSeeds(f, badDir)
	if os.Getenv("DTSX_NO_CORPUS") != "1" {
		seeds += fuzzAddSeeds(f, testcorpus.Dir(f))
	}
	if seeds < 50 && os.Getenv("DTSX_NO_CORPUS") != "1" {
		f.Fatalf("only %d seed files", seeds)
	}
	fuzzing := flag.Lookup("test.fuzz") != nil && flag.Lookup("test.fuzz").Value.String() != ""
	f.Fuzz(func(t *testing.T, data []byte) {
		if fuzzing && len(data) > fuzzMaxInput {
			// Every seed runs in plain `go test`; while fuzzing, the two
			// multi-MB packages would cost half a second per mutation and
			// stall both workers for most of a one-minute run.
			t.Skip("larger than fuzzMaxInput")
		}
		if cm, ds, err := dtsx.LoadConnectionManager("fuzz.conmgr", data); err != nil {
			fuzzCheckError(t, "LoadConnectionManager", err)
		} else {
			if cm == nil {
				t.Fatal("LoadConnectionManager: no manager and no error")
			}
			fuzzCheckDiagnostics(t, "LoadConnectionManager", "fuzz.conmgr", ds)
		}
		if _, ds, err := dtsx.LoadParameters("fuzz.params", data); err != nil {
			fuzzCheckError(t, "LoadParameters", err)
		} else {
			fuzzCheckDiagnostics(t, "LoadParameters", "fuzz.params", ds)
		}
		if cf, err := dtsx.LoadConfigFile("fuzz.dtsConfig", data); err != nil {
			fuzzCheckError(t, "LoadConfigFile", err)
		} else if cf == nil {
			t.Fatal("LoadConfigFile: no file and no error")
		}

		p, err := dtsx.LoadPackage("fuzz.dtsx", data)
		if err != nil {
			if p != nil {
				t.Fatal("LoadPackage returned a package and an error")
			}
			fuzzCheckError(t, "LoadPackage", err)
			return
		}
		fuzzCheckDiagnostics(t, "LoadPackage", "fuzz.dtsx", p.Diagnostics)
		before := fuzzShape(p)

		var buf bytes.Buffer
		if _, err := p.WriteTo(&buf); err != nil {
			t.Fatalf("WriteTo: %v", err)
		}
		q, err := dtsx.LoadPackage("fuzz-rewritten.dtsx", buf.Bytes())
		if err != nil {
			t.Fatalf("the package loaded, but what WriteTo wrote does not: %v\nwritten:\n%s", err, fuzzHead(buf.Bytes()))
		}
		if after := fuzzShape(q); after != before {
			t.Fatalf("the package changed shape in a load/save/load round trip:\nbefore %+v\nafter  %+v", before, after)
		}
	})
}

// fuzzCheckError checks that a load failure is a *dtsx.Error that says
// what and where.
func fuzzCheckError(t *testing.T, what string, err error) {
	t.Helper()
	var le *dtsx.Error
	if !errors.As(err, &le) {
		t.Fatalf("%s: error %v is a %T, not a *dtsx.Error", what, err, err)
	}
	if !errors.Is(err, dtsx.ErrNotLoaded) || le.Code == "" || le.File == "" || le.Message == "" {
		t.Fatalf("%s: incomplete load error %+v", what, le.Diagnostic)
	}
}

// fuzzCheckDiagnostics checks that every diagnostic has a code, a file and a
// message.
func fuzzCheckDiagnostics(t *testing.T, what, file string, ds dtsx.Diagnostics) {
	t.Helper()
	for _, d := range ds {
		if d.Code == "" || d.File != file || d.Message == "" {
			t.Fatalf("%s: incomplete diagnostic %+v", what, d)
		}
	}
}

// fuzzShapeOf is what a load/save/load round trip must keep.
type fuzzShapeOf struct {
	Format, Executables, Variables, Constraints, Connections, Parameters, Configurations int
	Diagnostics                                                                          int
	Name, DTSID                                                                          string
}

func fuzzShape(p *dtsx.Package) fuzzShapeOf {
	s := fuzzShapeOf{Format: p.Format, Connections: len(p.Connections), Parameters: len(p.Parameters),
		Configurations: len(p.Configurations), Diagnostics: len(p.Diagnostics), Name: p.Name, DTSID: p.DTSID}
	p.Walk(func(x *dtsx.Executable) bool {
		s.Executables++
		s.Variables += len(x.Variables)
		s.Constraints += len(x.Constraints)
		return true
	})
	return s
}

func fuzzHead(b []byte) []byte {
	if len(b) > 2000 {
		return b[:2000]
	}
	return b
}
