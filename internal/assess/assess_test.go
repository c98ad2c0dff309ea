package assess

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpusResult assesses the whole corpus in capture mode, as `dtsx assess
// --capture` does.
func corpusResult(t *testing.T) (*Result, string) {
	t.Helper()
	dir := testcorpus.Dir(t)
	r, err := Assess(context.Background(), []string{dir}, Options{Capture: true, Job: runner.Job{Name: "dtsx assess"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Packages < 80 {
		t.Fatalf("assessed %d packages of the corpus, want all of them (83)", r.Summary.Packages)
	}
	return r, dir
}

// TestCorpusVerdicts holds the verdict of every corpus package, with what
// blocks it or what it needs, in testdata/corpus.golden (-update rewrites
// it).
func TestCorpusVerdicts(t *testing.T) {
	r, dir := corpusResult(t)
	var b bytes.Buffer
	for _, p := range r.Packages {
		rel, _ := filepath.Rel(dir, p.File)
		fmt.Fprintf(&b, "%s\t%s\t%s\n", filepath.ToSlash(rel), p.Verdict, strings.ReplaceAll(why(p), dir+string(filepath.Separator), ""))
	}
	s := r.Summary
	fmt.Fprintf(&b, "\n%d packages: %d runs-as-is, %d runs-after-configuration, %d blocked, %d not-loaded\n",
		s.Packages, s.RunsAsIs, s.AfterConfiguration, s.Blocked, s.NotLoaded)
	for _, g := range r.Project.Blockers {
		fmt.Fprintf(&b, "%s %s: %d packages\n", g.Kind, g.Type, len(g.Packages))
	}
	golden := filepath.Join("testdata", "corpus.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if !bytes.Equal(want, b.Bytes()) {
		t.Errorf("the corpus verdicts differ from %s (run with -update if the change is meant):\n%s", golden, b.String())
	}
}

// TestCorpusAgreesWithRun holds the verdicts to what the run does: every
// package that runs as is really runs with --capture (exit 0), every
// blocked one is refused by run --validate-only, and every one that runs
// after configuration, when what it needs is not a parameter's value,
// passes run --validate-only (what it lacks is found only by running).
func TestCorpusAgreesWithRun(t *testing.T) {
	r, _ := corpusResult(t)
	asIs := 0
	for _, p := range r.Packages {
		if p.Verdict == NotLoaded || strings.EqualFold(filepath.Ext(filepath.Dir(p.File)), ".ispac") {
			continue
		}
		job := runner.Job{File: p.File, Name: "dtsx run", Capture: t.TempDir()}
		var out bytes.Buffer
		switch p.Verdict {
		case RunsAsIs:
			asIs++
			if code := runner.Run(job, &out, &out); code != runner.ExitSuccess {
				t.Errorf("%s runs as is, but run --capture exits %d:\n%s", p.File, code, tail(out.String()))
			}
		case Blocked:
			job.ValidateOnly = true
			if code := runner.Run(job, io.Discard, io.Discard); code == runner.ExitSuccess {
				t.Errorf("%s is blocked (%s), but run --validate-only accepts it", p.File, why(p))
			}
		case AfterConfiguration:
			if hasParameterNeed(p.Needs) {
				continue
			}
			job.ValidateOnly = true
			if code := runner.Run(job, &out, &out); code != runner.ExitSuccess {
				t.Errorf("%s runs after configuration (%s), but run --validate-only exits %d:\n%s", p.File, why(p), code, tail(out.String()))
			}
		}
	}
	if asIs == 0 {
		t.Errorf("no corpus package runs as is: look at why")
	}
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}
