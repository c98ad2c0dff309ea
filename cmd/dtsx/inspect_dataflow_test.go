package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// TestInspectDataFlow: inspect shows each data flow's components with
// their classes, its paths and its column counts, in text and JSON, for a
// format-2 package (numeric IDs, 2005 class GUIDs) and a format-8 one. The
// expected values were read from the packages' XML.
func TestInspectDataFlow(t *testing.T) {
	for _, tc := range []struct {
		file, task string
		text       []string
		components []string // name=class
		paths      int
		outCols    int
		inCols     int
		diagCodes  []string
	}{
		{file: "sreeman2__SSISPackages/PES_COMMODITY_HARM_JOC.dtsx", task: "Update PES_REF_COMMODITY_HARMCODE_JOCCODE",
			text: []string{"data flow: 3 components, 2 paths, 14 output columns, 5 input columns, 11 external columns (buffers: 10000 rows, 10485760 bytes; 5 engine threads)",
				"[OLE DB Source]  inputs 0 (0 columns), outputs 2 (12 columns)",
				"path CommodityHarmJocMatches.OLE DB Source Output -> Row Count.Row Count Input 1"},
			components: []string{"PES_REF_COMMODITY_HARMCODE_JOCCODE=Microsoft.OLEDBDestination", "Row Count=Microsoft.RowCount",
				"CommodityHarmJocMatches=Microsoft.OLEDBSource"},
			paths: 2, outCols: 14, inCols: 5},
		{file: "shinaly__SSIS_Template/Demo__Packages__CopyCustomers.dtsx", task: "DFT Convert customer names",
			text: []string{"data flow: 6 components, 5 paths, 7 output columns, 3 input columns",
				"[Script Component]  inputs 1 (0 columns), outputs 1 (0 columns)  (script)",
				"path FFS Customers.Flat File Source Error Output -> Row Count.Row Count Input 1",
				`warning[script-component]: Package\DFT Convert customer names\SC Test`},
			components: []string{"DER Convert names to upper string=Microsoft.DerivedColumn", "FFD Customers converted=Microsoft.FlatFileDestination",
				"FFS Customers=Microsoft.FlatFileSource", "RCNT Count  customers=Microsoft.RowCount", "Row Count=Microsoft.RowCount",
				"SC Test=Microsoft.ScriptComponentHost"},
			paths: 5, outCols: 7, inCols: 3, diagCodes: []string{pipeline.CodeScriptComponent}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			file := testcorpus.Path(t, tc.file)
			code, out, errOut := runCLI(t, "inspect", file)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, want := range tc.text {
				if !strings.Contains(out, want) {
					t.Errorf("inspect lacks %q", want)
				}
			}
			code, out, _ = runCLI(t, "inspect", "--json", file)
			if code != 0 {
				t.Fatal(out)
			}
			var rep struct {
				Executable *exeJSON `json:"executable"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var found *pipeline.Summary
			var walk func(x *exeJSON)
			walk = func(x *exeJSON) {
				if x.Name == tc.task {
					found = x.DataFlow
				}
				for _, c := range x.Executables {
					walk(c)
				}
			}
			walk(rep.Executable)
			if found == nil {
				t.Fatalf("no dataFlow for %q", tc.task)
			}
			var comps []string
			for _, c := range found.Components {
				comps = append(comps, c.Name+"="+c.Class)
			}
			if strings.Join(comps, "; ") != strings.Join(tc.components, "; ") {
				t.Errorf("components = %q, want %q", comps, tc.components)
			}
			if len(found.Paths) != tc.paths || found.Counts.OutputColumns != tc.outCols || found.Counts.InputColumns != tc.inCols {
				t.Errorf("paths %d, columns out %d in %d; want %d, %d, %d", len(found.Paths), found.Counts.OutputColumns,
					found.Counts.InputColumns, tc.paths, tc.outCols, tc.inCols)
			}
			var codes []string
			for _, d := range found.Diagnostics {
				codes = append(codes, d.Code)
			}
			if strings.Join(codes, ",") != strings.Join(tc.diagCodes, ",") {
				t.Errorf("diagnostics %q, want %q", codes, tc.diagCodes)
			}
		})
	}
}
