package main

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/inspect")

// TestInspectGolden compares dtsx inspect of the samples and of corpus
// packages with every kind of task this runtime runs (Send Mail, File
// System, Execute Process, Execute Package, Execute SQL, Expression,
// Data Flow) with testdata/inspect/NAME.txt; go test -update rewrites them.
// The corpus folder is written CORPUS.
func TestInspectGolden(t *testing.T) {
	chapter3 := "lucmilot__SSIS_2014_Book/850879_c03_download__Chapter3__bin__Development__Chapter3.ispac"
	samples, _ := filepath.Glob("../../samples/*.dtsx")
	if len(samples) < 10 {
		t.Fatalf("%d samples", len(samples))
	}
	cases := map[string][]string{}
	for _, s := range samples {
		cases["sample-"+strings.TrimSuffix(filepath.Base(s), ".dtsx")] = []string{s}
	}
	cases["chapter3"] = []string{testcorpus.Path(t, chapter3)}
	cases["email-start"] = []string{testcorpus.Path(t, "jbernier51__SSIS_Projects/AR_Aging_Import__AR_Aging_Import__Email-Start.dtsx")}
	cases["simple-package"] = []string{testcorpus.Path(t, "johnwelch__ssisUnit/SsisUnit.Tests__TestPackages__SimplePackage.dtsx")}
	corpus := testcorpus.Dir(t)
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"inspect"}, args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got := strings.ReplaceAll(out, corpus, "CORPUS")
			golden := filepath.Join("testdata", "inspect", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("dtsx inspect %s differs from %s:\n%s", name, golden, lineDiff(string(want), got))
			}
		})
	}
}

// lineDiff lists the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < max(len(w), len(g)) && n < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			n++
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want " + wl + "\n  got  " + gl + "\n")
		}
	}
	return b.String()
}
