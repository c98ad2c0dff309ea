package graph

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenPackages are the packages drawn: every sample, and corpus packages
// of formats 2, 3, 6 and 8 with containers, event handlers, expressions on
// constraints and data flows.
func goldenPackages(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	samples, err := filepath.Glob("../../samples/*.dtsx")
	if err != nil || len(samples) == 0 {
		t.Fatalf("no samples found: %v", err)
	}
	for _, s := range samples {
		out["sample-"+strings.TrimSuffix(filepath.Base(s), ".dtsx")] = s
	}
	for name, rel := range map[string]string{
		"corpus-f2-biztalk":      "fan130__mssql-ssis-community-samples/main__BizTalkIntegration__Sample1__Sample1.dtsx",
		"corpus-f3-propertytest": "johnwelch__ssisUnit/SsisUnit.Tests__TestPackages__PropertyTest.dtsx",
		"corpus-f6-propertytest": "johnwelch__ssisUnit/SsisUnit.Tests__TestPackages__PropertyTest2012.dtsx",
		"corpus-f8-propertytest": "johnwelch__ssisUnit/SsisUnit.Tests__TestPackages__PropertyTest2017.dtsx",
		"corpus-f8-dataflow":     "johnwelch__ssisUnit/SsisUnit.Tests__TestPackages__DataFlowComponent.dtsx",
		"corpus-f6-loops":        "BartekR__ssisUnitLearning/ssisUnitLearning__60_Loops.dtsx",
		"corpus-f6-dataflow":     "BartekR__ssisUnitLearning/ssisUnitLearning__20_DataFlow.dtsx",
	} {
		out[name] = testcorpus.Path(t, rel)
	}
	return out
}

// TestGolden draws each package's control flow in every format, and its
// data flows in DOT and SVG, and compares them with testdata.
func TestGolden(t *testing.T) {
	for name, file := range goldenPackages(t) {
		t.Run(name, func(t *testing.T) {
			p, err := dtsx.LoadPackageFile(file)
			if err != nil {
				t.Fatalf("load %s: %v", file, err)
			}
			cf := ControlFlow(p)
			for _, f := range Formats {
				var b bytes.Buffer
				if err := Write(&b, cf, f); err != nil {
					t.Fatal(err)
				}
				if f == SVG {
					wellFormed(t, b.Bytes())
				}
				golden(t, name+"."+string(f), b.Bytes())
			}
			var dot, svg bytes.Buffer
			for _, df := range DataFlows(p) {
				if err := WriteDOT(&dot, df); err != nil {
					t.Fatal(err)
				}
				var one bytes.Buffer
				if err := WriteSVG(&one, df); err != nil {
					t.Fatal(err)
				}
				wellFormed(t, one.Bytes())
				svg.Write(one.Bytes())
			}
			if dot.Len() > 0 {
				golden(t, name+".dataflows.dot", dot.Bytes())
				golden(t, name+".dataflows.svg", svg.Bytes())
			}
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff)\ngot:\n%s", path, got)
	}
}

// wellFormed fails unless b is one well-formed XML document whose
// attributes reference nothing outside it.
func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, b)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local == "script" || se.Name.Local == "style" || se.Name.Local == "image" || se.Name.Local == "use" {
				t.Errorf("the SVG has a <%s> element", se.Name.Local)
			}
			for _, a := range se.Attr {
				if a.Name.Local == "href" || a.Name.Local == "src" || a.Name.Local == "id" {
					t.Errorf("the SVG has a %s attribute on <%s>", a.Name.Local, se.Name.Local)
				}
			}
		}
	}
}
