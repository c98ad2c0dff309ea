package layers_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/dtsx-run/dtsx"

// rank is each layer's height: a package may import a package of a lower
// rank, or one of its own subtree (tasks/builtin may import
// tasks/sendmail), never one above it or beside it. Helper packages for tests
// and benchmarks are not ranked and not checked.
var ranks = []struct {
	prefix string
	rank   int
}{
	{"dtsx", 0},
	{"internal/selfsigned", 0},
	{"internal/registry", 0},
	{"internal/mdexamples", 0},
	{"expr", 1},
	{"connections", 1},
	{"internal/graph", 1},
	{"tasks", 2},
	{"runtime", 3},
	{"internal/capture", 4},
	{"internal/report", 4},
	{"internal/progress", 4},
	{"internal/runner", 5},
	{"internal/assess", 6},
	{"cmd", 7},
}

// layer returns the ranked subtree a project package belongs to.
func layer(pkg string) (prefix string, rank int, ok bool) {
	rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
	for _, r := range ranks {
		if rel == r.prefix || strings.HasPrefix(rel, r.prefix+"/") {
			return r.prefix, r.rank, true
		}
	}
	return "", 0, false
}

// allowed reports whether a package of subtree from may import one of
// subtree to.
func allowed(from string, fromRank int, to string, toRank int) bool {
	return from == to || toRank < fromRank
}

func TestAllowed(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     bool
	}{
		{module + "/tasks/builtin", module + "/tasks/sendmail", true},
		{module + "/runtime", module + "/tasks", true},
		{module + "/runtime/override", module + "/connections/connstr", true},
		{module + "/tasks/process", module + "/expr", true},
		{module + "/tasks", module + "/runtime", false},
		{module + "/expr", module + "/connections", false},
		{module + "/connections", module + "/expr", false},
		{module + "/dtsx", module + "/expr", false},
		{module + "/runtime", module + "/internal/runner", false},
	} {
		f, fr, _ := layer(c.from)
		to, tr, _ := layer(c.to)
		if got := allowed(f, fr, to, tr); got != c.want {
			t.Errorf("%s → %s: allowed %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

// TestOneWay lists every non-test import of the module's packages with go
// list and fails on one that runs up or across the layers.
func TestOneWay(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is needed to list imports: %v", err)
	}
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v: %s", err, stderr.String())
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		from, fromRank, ok := layer(f[0])
		if !ok {
			continue
		}
		for _, imp := range f[1:] {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			to, toRank, ok := layer(imp)
			if !ok {
				t.Errorf("%s imports %s, a package with no place in the layers", f[0], imp)
				continue
			}
			checked++
			if !allowed(from, fromRank, to, toRank) {
				t.Errorf("%s imports %s: %s (layer %d) may not import %s (layer %d)", f[0], imp, from, fromRank, to, toRank)
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d project imports checked: the listing is not what it should be", checked)
	}
}
