package expr

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

type corpusPackage struct {
	name    string
	pkg     *dtsx.Package
	project *dtsx.Project
}

// corpusPackages loads every .dtsx of the corpus, and the packages inside
// every .ispac with the project they come with.
func corpusPackages(t *testing.T) []corpusPackage {
	dir := testcorpus.Dir(t)
	var out []corpusPackage
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch strings.ToLower(filepath.Ext(path)) {
		case ".dtsx":
			pkg, err := dtsx.LoadPackageFile(path)
			if err != nil {
				var de *dtsx.Error
				if errors.As(err, &de) && de.Code == dtsx.CodeEncryptedPackage {
					return nil // EncryptAllWithPassword: nothing to read
				}
				t.Errorf("%s: %v", rel, err)
				return nil
			}
			pr, _ := dtsx.ProjectBeside(path)
			out = append(out, corpusPackage{rel, pkg, pr})
		case ".ispac":
			pr, err := dtsx.LoadProject(path)
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				return nil
			}
			for _, pkg := range pr.Packages {
				out = append(out, corpusPackage{rel + "!" + filepath.Base(pkg.File), pkg, pr})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpusOracle is the corpus oracle for variables (Check): every
// variable with EvaluateAsExpression stores its expression and the value
// SSDT computed for it when the package was saved (DTS:VariableValue).
// Evaluating the expression over the package's own variables and
// parameters must give that value back.
func TestCorpusOracle(t *testing.T) {
	checkCorpus(t, KindVariable, 45, map[string]int{"reads the clock": 4, "a value not in the files": 50})
}

// TestCorpusParses parses every expression of the corpus: variables,
// property expressions and precedence constraints.
func TestCorpusParses(t *testing.T) {
	n := 0
	check := func(where, src string) {
		n++
		if _, err := Parse(src); err != nil {
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

// TestCorpusPropertyOracle does for property expressions what
// TestCorpusOracle does for variables: a property with an expression keeps
// the value the designer last computed (a connection manager's
// ConnectionString, a package's CheckpointFileName, a Send Mail task's
// Subject, ...).
func TestCorpusPropertyOracle(t *testing.T) {
	checkCorpus(t, KindProperty, 141, map[string]int{"a value not in the files": 1, "reads the clock": 18,
		"unsupported": 41, "run-time-only value": 9})
}

// checkCorpus runs Check over the corpus and asserts that at least
// minMatch results of kind match and that no skip reason is given more often
// than maxSkips allows (an expression that stops being checked is a
// regression as much as a mismatch: a skip never counts for the goal),
// listing every mismatch and counting the skip reasons.
func checkCorpus(t *testing.T, kind string, minMatch int, maxSkips map[string]int) {
	var total, match, standIns int
	skipped := map[string]int{}
	var mismatches []string
	for _, cp := range corpusPackages(t) {
		for _, r := range Check(cp.pkg, cp.project) {
			if r.Kind != kind {
				continue
			}
			switch r.Status {
			case Skip:
				why, _, _ := strings.Cut(r.Reason, ":")
				skipped[why]++
				continue
			case Match:
				match++
				if r.StandIn {
					standIns++
				}
			case Mismatch:
				mismatches = append(mismatches, fmt.Sprintf("%s: %s %s\n\texpression: %s\n\twant: %q\n\tgot:  %q %s",
					cp.name, r.Path, r.Name, r.Expression, r.Want, r.Got, r.Reason))
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
	for _, m := range mismatches {
		t.Log("mismatch: " + m)
	}
	if total == 0 {
		t.Fatalf("no %s expression could be checked", kind)
	}
	if match < minMatch {
		t.Errorf("only %d of %d %s expressions match their cached values (%d needed)", match, total, kind, minMatch)
	}
	for why, n := range skipped {
		if n > maxSkips[why] {
			t.Errorf("%d %s expressions skipped as %q, at most %d known: an expression that was checked is not any more", n, kind, why, maxSkips[why])
		}
	}
}
