package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/guardtest"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestAssessCommand checks the exit codes of dtsx assess (1 when a
// package is blocked or does not load) and its three outputs.
func TestAssessCommand(t *testing.T) {
	testfence.SetFor(t)
	blocked := guardtest.Write(t, guardtest.Unsupported)
	out := filepath.Join(t.TempDir(), "assess.json")
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"samples as is", []string{"assess", "--capture", "../../samples"}, 0, "11 packages: 11 run as is"},
		{"samples need their servers", []string{"assess", "../../samples/hello-mail.dtsx"}, 0, "runs after configuration"},
		{"blocked", []string{"assess", blocked.File}, 1, `Script Task "Load Staging"`},
		{"not loaded", []string{"assess", testcorpus.Path(t, "shirashiki__ssis/template__template__security_test_pass_is_banana.dtsx")}, 1, "not loaded"},
		{"json on stdout", []string{"assess", "--json", "--capture", "../../samples/csv-split.dtsx"}, 0, `"verdict": "runs-as-is"`},
		{"json to a file", []string{"assess", "--json=" + out, blocked.File}, 1, "1 blocked"},
		{"json - on stdout", []string{"assess", "--json", "-", "--capture", "../../samples/csv-split.dtsx"}, 0, `"runsAsIs": 1`},
		{"json FILE.json", []string{"assess", "--json", out + ".json", blocked.File}, 1, "1 blocked"},
		{"no path", []string{"assess"}, 6, ""},
		{"bad path map", []string{"assess", "--path-map", "nope", "../../samples"}, 6, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.want) {
				t.Errorf("exit %d, want %d and %q in:\n%s%s", code, tt.code, tt.want, stdout, stderr)
			}
		})
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Packages []struct {
			Verdict  string
			Blockers []struct{ Kind, Type, Path string }
		}
		Summary struct{ Blocked, ExitCode int }
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("--json=FILE: %v\n%s", err, b)
	}
	if len(r.Packages) != 1 || r.Packages[0].Verdict != "blocked" || len(r.Packages[0].Blockers) != 1 ||
		r.Packages[0].Blockers[0].Type != "Script Task" || r.Summary.ExitCode != 1 {
		t.Errorf("--json=FILE wrote %s", b)
	}
	blocked.AssertNothingRan(t, "")
}

// TestAssessHTML checks that --html writes the page beside the table: one
// card per package with its verdict, the blocking task drawn in red in its
// control flow.
func TestAssessHTML(t *testing.T) {
	testfence.SetFor(t)
	blocked := guardtest.Write(t, guardtest.Unsupported)
	page := filepath.Join(t.TempDir(), "assess.html")
	code, stdout, stderr := runCLI(t, "assess", "--html", page, "--capture", "../../samples/csv-split.dtsx", blocked.File)
	if code != 1 || !strings.Contains(stdout, "1 blocked") {
		t.Fatalf("exit %d, want 1 and the table:\n%s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{`<section id="summary">`, `data-verdict="runs-as-is" data-file="../../samples/csv-split.dtsx"`,
		`data-verdict="blocked"`, `<svg xmlns="http://www.w3.org/2000/svg" class="graph control-flow"`,
		`class="graph data-flow"`, `<g class="node blocked"`, `<tr class="blocker-group" data-kind="task" data-type="Script Task">`} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if code, _, stderr := runCLI(t, "assess", "--html", filepath.Join(t.TempDir(), "no", "a.html"), "../../samples/csv-split.dtsx"); code != 6 || !strings.Contains(stderr, "--html") {
		t.Errorf("an unwritable --html: exit %d, stderr %q", code, stderr)
	}
}
