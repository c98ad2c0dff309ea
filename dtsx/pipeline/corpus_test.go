package pipeline_test

// The pipelines of the corpus of real packages (read-only, never copied
// into the module): every data flow of every package, and of the packages
// inside .ispac files, loads without a crash; the figures are pinned in
// testdata/corpus.golden (rewritten with -update).

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpusPackages returns every package of the corpus, by the name the
// golden file gives it, with those inside .ispac files.
func corpusPackages(t *testing.T) (names []string, pkgs []*dtsx.Package) {
	t.Helper()
	root := testcorpus.Dir(t)
	f, err := os.Open(filepath.Join(root, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		file, _, _ := strings.Cut(sc.Text(), "\t")
		switch strings.ToLower(filepath.Ext(file)) {
		case ".dtsx":
			p, err := dtsx.LoadPackageFile(filepath.Join(root, file))
			if err != nil {
				continue // the encrypted package: dtsx's own tests cover it
			}
			names, pkgs = append(names, file), append(pkgs, p)
		case ".ispac":
			pr, err := dtsx.LoadProject(filepath.Join(root, file))
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			for _, p := range pr.Packages {
				names, pkgs = append(names, file+"!"+filepath.Base(p.File)), append(pkgs, p)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return names, pkgs
}

// readAll is ReadAll with a panic turned into a failure naming the file.
func readAll(t *testing.T, name string, p *dtsx.Package) (pls []*pipeline.Pipeline, ds dtsx.Diagnostics) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: ReadAll panicked: %v", name, r)
		}
	}()
	return pipeline.ReadAll(p)
}

// firstWaveInCorpus are the first-wave components the corpus has, found by
// reading the contactInfo and description of its components.
var firstWaveInCorpus = []string{"Microsoft.OLEDBSource", "Microsoft.OLEDBDestination", "Microsoft.FlatFileSource",
	"Microsoft.FlatFileDestination", "Microsoft.DerivedColumn", "Microsoft.DataConvert", "Microsoft.ConditionalSplit",
	"Microsoft.RowCount", "Microsoft.UnionAll", "Microsoft.Multicast", "Microsoft.Lookup", "Microsoft.Sort",
	"Microsoft.MergeJoin", "Microsoft.RecordsetDestination", "Microsoft.DataReaderSourceAdapter", "Microsoft.CharacterMap"}

func TestCorpusPipelines(t *testing.T) {
	names, pkgs := corpusPackages(t)
	var (
		b                      strings.Builder
		flows, pkgsWithFlows   int
		total                  pipeline.Counts
		classes, codes, byForm = map[string]int{}, map[string]int{}, map[string]int{}
		types                  = map[string]int{}
	)
	var lines []string
	for i, p := range pkgs {
		pls, ds := readAll(t, names[i], p)
		if len(pls) == 0 {
			continue
		}
		pkgsWithFlows++
		for _, pl := range pls {
			flows++
			byForm[fmt.Sprint(p.Format)]++
			n := pl.Counts()
			total.Components += n.Components
			total.Paths += n.Paths
			total.Inputs += n.Inputs
			total.Outputs += n.Outputs
			total.InputColumns += n.InputColumns
			total.OutputColumns += n.OutputColumns
			total.ExternalColumns += n.ExternalColumns
			for _, c := range pl.Components {
				classes[c.ClassName()]++
				for _, o := range c.Outputs {
					for _, col := range o.Columns {
						types[col.Type.String()]++
					}
				}
			}
			lines = append(lines, fmt.Sprintf("%s | %s: %d components, %d paths, %d output columns, %d input columns, %d external columns; buffers %d rows, %d bytes, %d threads",
				names[i], pl.RefID, n.Components, n.Paths, n.OutputColumns, n.InputColumns, n.ExternalColumns,
				pl.DefaultBufferMaxRows, pl.DefaultBufferSize, pl.EngineThreads))
		}
		for _, d := range ds {
			codes[d.Severity.String()+" "+d.Code]++
			lines = append(lines, fmt.Sprintf("%s | %s[%s] %s: %s", names[i], d.Severity, d.Code, d.Path, d.Message))
		}
	}
	fmt.Fprintf(&b, "packages with data flows: %d\ndata flows: %d (by format: %s)\n", pkgsWithFlows, flows, sortedCounts(byForm))
	fmt.Fprintf(&b, "components: %d\npaths: %d\ninputs: %d\noutputs: %d\noutput columns: %d\ninput columns: %d\nexternal columns: %d\n",
		total.Components, total.Paths, total.Inputs, total.Outputs, total.OutputColumns, total.InputColumns, total.ExternalColumns)
	fmt.Fprintf(&b, "\ncomponents by class:\n%s", sortedLines(classes))
	fmt.Fprintf(&b, "\noutput columns by data type:\n%s", sortedLines(types))
	fmt.Fprintf(&b, "\ndiagnostics by code:\n%s", sortedLines(codes))
	fmt.Fprintf(&b, "\nper data flow and diagnostic:\n%s\n", strings.Join(lines, "\n"))
	golden(t, "testdata/corpus.golden", b.String())

	for _, c := range firstWaveInCorpus {
		if classes[c] == 0 {
			t.Errorf("first-wave component %s is in the corpus but was not recognised in it", c)
		}
	}
	if n := codes["warning "+pipeline.CodeUnknownComponent]; n != 0 {
		t.Errorf("%d corpus components have a class the table does not know", n)
	}
	if flows == 0 {
		t.Fatal("no data flow found in the corpus")
	}
}

func sortedCounts(m map[string]int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedLines(m map[string]int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, "  %-50s %d\n", k, m[k])
	}
	return b.String()
}

// golden compares got with the file, or rewrites it under -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from line %d:\n got: %s\nwant: %s\n(run go test -update if the change is right)", file, i+1, g, w)
			}
		}
	}
}
