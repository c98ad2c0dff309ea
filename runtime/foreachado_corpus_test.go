package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/runtime"
)

// TestCorpusForeachADO: the corpus packages with Foreach ADO loops (format
// 2 with the assembly-qualified enumerator name, formats 6 and 8 with
// Microsoft.ForEachADOEnumerator) load and validate, the loops with no
// error or warning of their own: each source is an Object variable.
func TestCorpusForeachADO(t *testing.T) {
	files := map[string]int{ // file → its Foreach ADO loops
		"Garwin4j__birthdaynotificationworkspace/SSIS_BithdayNotification__JMMBCustomerNotificationPackage.dtsx":              4,
		"Garwin4j__birthdaynotificationworkspace/SSIS_BithdayNotification__JMMBCustomerNotificationPackage__at_640def63.dtsx": 3,
		"lucmilot__SSIS_2014_Book/850879_c06_download__Chapter6__Chapter6__ForeachADOEnumerator.dtsx":                         1,
		"jbernier51__SSIS_Projects/AR_Aging_Import__AR_Aging_Import__StagingJDE-ARInvoices.dtsx":                              1,
		"arcanecode__Managing_SSIS_Projects/Demo_SSIS__Master.dtsx":                                                           2,
	}
	for rel, want := range files {
		t.Run(rel, func(t *testing.T) {
			rps, _ := build(t, testcorpus.Path(t, rel))
			rp := rps[0]
			loops := map[string]bool{}
			rp.Def.Walk(func(x *dtsx.Executable) bool {
				if strings.EqualFold(x.Type(), "STOCK:FOREACHLOOP") {
					for _, c := range x.Element.ChildElements() {
						if c.Tag == "ForEachEnumerator" && c.FindElement(".//FEEADO") != nil {
							loops[x.RefID] = true
						}
					}
				}
				return true
			})
			if len(loops) != want {
				t.Errorf("%d Foreach ADO loops, want %d", len(loops), want)
			}
			// A package may fail validation for what is not its loops (one
			// names an ODBC DSN, which has no driver here): what counts is
			// that no diagnostic is the loops' own.
			rep := rp.Execute(context.Background(), runtime.RunOptions{ValidateOnly: true, SkipUnsupported: true})
			for _, e := range append(rep.Errors, rep.Warnings...) {
				for ref := range loops {
					if e.SourceRef == ref || strings.Contains(e.Message, ref+":") {
						t.Errorf("the loop %s has a diagnostic: %s", ref, e.Message)
					}
				}
			}
		})
	}
}
