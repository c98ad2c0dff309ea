package runtime_test

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/runtime"
)

type corpusPackage struct {
	name    string
	pkg     *dtsx.Package
	project *dtsx.Project
}

// corpusPackages opens every .dtsx of the corpus with the project files
// beside it, and every .ispac with the packages inside, as the command
// line opens them (Open).
func corpusPackages(t *testing.T) []corpusPackage {
	dir := testcorpus.Dir(t)
	var out []corpusPackage
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := strings.ToLower(filepath.Ext(path))
		if ext != ".dtsx" && ext != ".ispac" {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		pkgs, pr, err := runtime.Open(path, "", dtsx.Options{})
		if err != nil {
			var de *dtsx.Error
			if errors.As(err, &de) && de.Code == dtsx.CodeEncryptedPackage {
				return nil // EncryptAllWithPassword: nothing to read
			}
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		for _, pkg := range pkgs {
			name := rel
			if ext == ".ispac" {
				name += "!" + filepath.Base(pkg.File)
			}
			out = append(out, corpusPackage{name, pkg, pr})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpusParses parses every expression of the corpus: variables,
// property expressions and precedence constraints.
func TestCorpusParses(t *testing.T) {
	n := 0
	check := func(where, src string) {
		n++
		if _, err := expr.Parse(src); err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}
	for _, cp := range corpusPackages(t) {
		for _, c := range cp.pkg.Connections {
			for _, x := range c.Expressions {
				check(cp.name+": "+c.Name+"."+x.Name, x.Expression)
			}
		}
		cp.pkg.Walk(func(exe *dtsx.Executable) bool {
			for _, v := range exe.Variables {
				if v.EvaluateAsExpression {
					check(cp.name+": "+v.QualifiedName(), v.Expression)
				}
			}
			for _, x := range exe.Expressions {
				check(cp.name+": "+exe.RefID+"."+x.Name, x.Expression)
			}
			for _, c := range exe.Constraints {
				if c.Expression != "" {
					check(cp.name+": "+c.RefID, c.Expression)
				}
			}
			return true
		})
	}
	if n == 0 {
		t.Fatal("the corpus holds no expressions")
	}
	t.Logf("%d expressions parse", n)
}

// TestCorpusOracle is the corpus oracle for variables (Check): every
// variable with EvaluateAsExpression stores its expression and the value
// SSDT computed for it when the package was saved (DTS:VariableValue).
// Evaluating the expression over the package's own variables and
// parameters must give that value back: all 45 that can be checked do.
func TestCorpusOracle(t *testing.T) {
	checkCorpus(t, runtime.KindVariable, 45, nil)
}

// TestCorpusPropertyOracle does for property expressions what
// TestCorpusOracle does for variables: a property with an expression keeps
// the value the designer last computed (a connection manager's
// ConnectionString, a package's CheckpointFileName, a Send Mail task's
// Subject, ...). 141 of the 146 that can be checked match; the other five
// are stale or trimmed copies in the files themselves.
func TestCorpusPropertyOracle(t *testing.T) {
	checkCorpus(t, runtime.KindProperty, 141, map[string]string{
		// The cached ConnectionString names another user (MSEXTRACT) than
		// the project parameter it reads (BIEXTRACT): one was changed
		// after the other was saved.
		"jbernier51__SSIS_Projects/AR_Aging_Import__AR_Aging_Import__StagingJDE-ARInvoices.dtsx: Package.ConnectionManagers[JDE.BIEXTRACT] ConnectionString": "stale",
		// The saved Subject lacks the trailing blanks that the literals
		// give before @[User::V_Database], empty in the file.
		`sreeman2__SSISPackages/PES_PURGE.dtsx: Package\CTRL_O_PURGE_SUCCESS_MAIL_TASK Subject`:                                                   "trimmed",
		`sreeman2__SSISPackages/PES_PURGE.dtsx: Package.EventHandlers[OnTaskFailed]\CTRL_O_PURGE_MAIL_TASK Subject`:                               "trimmed",
		`sreeman2__SSISPackages/PES_WEEKLY_REJECTS.dtsx: Package\SENT MAIL OF REJECTS DURING STAGING TO DW LOAD\CTRL_O_ERROR_REPORT_TASK Subject`: "trimmed",
		`sreeman2__SSISPackages/PES_WEEKLY_REJECTS.dtsx: Package\SENT MAIL OF REJECTS DURING PESDW TO STG LOAD\CTRL_O_ERROR_REPORT_TASK Subject`:  "trimmed",
	})
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// checkCorpus runs Check over the corpus and asserts that at least
// wantMatch results of kind match, that every mismatch is one of
// knownMismatch (keyed "file: path name", the value saying why), and that every skip is one of
// testdata/corpus-skips-<kind>.golden: a result that turns into a skip
// fails, it does not shrink the goal. go test -run ... -update rewrites the
// list, for a skip that is expected (say why in the commit).
func checkCorpus(t *testing.T, kind string, wantMatch int, knownMismatch map[string]string) {
	var total, match, standIns int
	skipped := map[string]int{}
	var skips []string
	var mismatches []string
	seen := map[string]bool{}
	for _, cp := range corpusPackages(t) {
		for _, r := range runtime.Check(cp.pkg, cp.project) {
			if r.Kind != kind {
				continue
			}
			key := cp.name + ": " + r.Path + " " + r.Name
			switch r.Status {
			case runtime.CheckSkip:
				why, _, _ := strings.Cut(r.Reason, ":")
				skipped[why]++
				skips = append(skips, key+"\t"+why)
				continue
			case runtime.CheckMatch:
				match++
				if r.StandIn {
					standIns++
				}
			case runtime.CheckMismatch:
				msg := fmt.Sprintf("%s\n\texpression: %s\n\twant: %q\n\tgot:  %q %s", key, r.Expression, r.Want, r.Got, r.Reason)
				if why, ok := knownMismatch[key]; ok {
					seen[key] = true
					t.Logf("known mismatch (%s): %s", why, msg)
				} else {
					mismatches = append(mismatches, msg)
				}
			}
			total++
		}
	}
	var reasons []string
	for r, n := range skipped {
		reasons = append(reasons, fmt.Sprintf("%d %s", n, r))
	}
	sort.Strings(reasons)
	t.Logf("%d of %d %s expressions match (%d via a cached dependency); skipped: %s", match, total, kind, standIns, strings.Join(reasons, ", "))
	if total == 0 {
		t.Fatalf("no %s expression could be checked", kind)
	}
	for _, m := range mismatches {
		t.Error("mismatch: " + m)
	}
	for key := range knownMismatch {
		if !seen[key] {
			t.Logf("%s no longer mismatches: drop it from the known list", key)
		}
	}
	if match < wantMatch {
		t.Errorf("only %d of %d %s expressions match their cached values, want %d or more", match, total, kind, wantMatch)
	}

	golden := filepath.Join("testdata", "corpus-skips-"+kind+".golden")
	sort.Strings(skips)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(strings.Join(skips, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to write it)", err, t.Name())
	}
	known := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		known[l] = true
	}
	for _, s := range skips {
		if !known[s] {
			t.Errorf("a new skip, not in %s: %s", golden, strings.ReplaceAll(s, "\t", ": "))
		}
		delete(known, s)
	}
	for s := range known {
		t.Logf("%s is no longer skipped (checked or gone): -update drops it from %s", strings.ReplaceAll(s, "\t", ": "), golden)
	}
}
