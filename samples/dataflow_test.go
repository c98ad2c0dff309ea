package samples_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
)

// TestCSVSplit runs csv-split.dtsx in a copy of its folder: a Flat File
// Source, a Derived Column, a Conditional Split and three Flat File
// Destinations, one of them on the source's error output. The files it
// writes must be the expected ones beside the sample, and the task must
// report the rows each destination wrote, in SSIS's words.
func TestCSVSplit(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "csv-split.dtsx", filepath.Join(dir, "csv-split.dtsx"))
	if err := os.MkdirAll(filepath.Join(dir, "data", "orders"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join("data", "orders", "orders.csv"), filepath.Join(dir, "data", "orders", "orders.csv"))
	pkgs, pr, err := runtime.Open(filepath.Join(dir, "csv-split.dtsx"), "", dtsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var infos []string
	rp := runtime.Build(pkgs[0], runtime.Options{Project: pr})
	rep := rp.Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1, OnEvent: func(e runtime.Event) {
		if e.Name == "OnInformation" {
			infos = append(infos, e.Message)
		}
	}})
	if rep.Status != runtime.Success {
		t.Fatalf("status %v, want success: %v", rep.Status, rep.Errors)
	}
	for _, f := range []string{"big.csv", "small.csv", "errors.csv"} {
		t.Run(f, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(dir, "data", "orders", f))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("data", "orders", "want-"+f))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("%s =\n%q\nwant\n%q", f, got, want)
			}
		})
	}
	slices.Sort(infos)
	want := []string{`"Write big" wrote 3 rows.`, `"Write errors" wrote 1 rows.`, `"Write small" wrote 1 rows.`}
	if strings.Join(infos, "\n") != strings.Join(want, "\n") {
		t.Errorf("information messages %q, want %q", infos, want)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
