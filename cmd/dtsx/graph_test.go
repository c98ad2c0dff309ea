package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// TestGraphCommand checks dtsx graph's formats, output file, .ispac
// package choice, data-flow choice and exit codes.
func TestGraphCommand(t *testing.T) {
	ispac := testcorpus.Path(t, "BartekR__ssisUnitLearning/Assets__ispac__ssisUnitLearning.ispac")
	sample := filepath.Join("..", "..", "samples", "csv-split.dtsx")
	tests := []struct {
		name string
		args []string
		code int
		// out and errOut must appear in standard output and error.
		out, errOut string
	}{
		{"svg by default", []string{"graph", sample}, 0, `<svg xmlns="http://www.w3.org/2000/svg" class="graph control-flow"`, ""},
		{"dot", []string{"graph", "--format", "dot", sample}, 0, `digraph "csv-split" {`, ""},
		{"mermaid", []string{"graph", "--format=mermaid", sample}, 0, "flowchart TD\n", ""},
		{"a data flow", []string{"graph", "--format", "dot", "--data-flow", "Split orders", sample}, 0, `"n1" -> "n6" [label="Flat File Source Error Output", color="#c62828"`, ""},
		{"no such data flow", []string{"graph", "--data-flow", "Nope", sample}, 6, "", `no Data Flow task named "Nope"`},
		{"bad format", []string{"graph", "--format", "png", sample}, 6, "", `--format "png": use svg, dot or mermaid`},
		{"help", []string{"graph", "--help"}, 0, "--data-flow NAME", ""},
		{"no file", []string{"graph"}, 6, "", "no package given"},
		{"missing file", []string{"graph", "nope.dtsx"}, 4, "", "nope.dtsx"},
		{"ispac needs a package", []string{"graph", ispac}, 6, "", "pick one with --package NAME (01_OnlyParametersAndVariables.dtsx"},
		{"ispac package", []string{"graph", "--format", "mermaid", "--package", "60_Loops", ispac}, 0, "subgraph c2 [", ""},
		{"ispac unknown package", []string{"graph", "--package", "Nope", ispac}, 6, "", `has no package "Nope"`},
		{"--package on a dtsx", []string{"graph", "--package", "x", sample}, 6, "", "picks a package of an .ispac"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			if !strings.Contains(out, tc.out) {
				t.Errorf("stdout lacks %q:\n%s", tc.out, out)
			}
			if !strings.Contains(errOut, tc.errOut) {
				t.Errorf("stderr lacks %q:\n%s", tc.errOut, errOut)
			}
		})
	}
}

// TestGraphOutputFile checks that -o writes the file in the format its
// extension names.
func TestGraphOutputFile(t *testing.T) {
	dir := t.TempDir()
	for ext, want := range map[string]string{".svg": "<svg ", ".dot": "digraph ", ".mmd": "flowchart TD"} {
		out := filepath.Join(dir, "g"+ext)
		if code, stdout, errOut := runCLI(t, "graph", "-o", out, filepath.Join("..", "..", "samples", "onerror-alert.dtsx")); code != 0 || stdout != "" {
			t.Fatalf("%s: exit %d, stdout %q, stderr %s", ext, code, stdout, errOut)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), want) {
			t.Errorf("%s starts %q, want %q", out, b[:min(len(b), 40)], want)
		}
	}
}
