package dftask_test

import (
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

// Each component no factory builds gets its reason class and a sentence
// naming it: the Script Component, a third-party vendor's class (known or
// named by its namespace), a second-wave Microsoft component, an unknown
// GUID.
func TestUnsupported(t *testing.T) {
	for _, tt := range []struct {
		classID, userType string
		want              dftask.Reason
		says              string
	}{
		{"Microsoft.ManagedComponentHost", "Microsoft.ScriptComponentHost", dftask.ReasonScript, "Script Component"},
		{"{2E42D45B-F83C-400F-8D77-61DDE6A7DF29}", "Microsoft.Samples.SqlServer.SSIS.SharePointListAdapters.SharePointListSource, SharePointListAdapters", dftask.ReasonThirdParty, "of Microsoft's SQL Server community samples"},
		{"KingswaySoft.IntegrationToolkit.DynamicsCrm.CrmDestination", "", dftask.ReasonThirdParty, "of KingswaySoft"},
		{"Acme.Widgets.Pipeline.Cleaner", "", dftask.ReasonThirdParty, "of Acme,"},
		{"Microsoft.ExcelSource", "", dftask.ReasonSecondWave, "the Excel Source is a Microsoft component not yet supported by dtsx"},
		{"Attunity.SSISODBCSrc", "", dftask.ReasonSecondWave, "the ODBC Source is a Microsoft component not yet supported by dtsx"},
		{"{0A1BDBA0-9C6E-4AD7-97B1-E0E79E462629}", "", dftask.ReasonSecondWave, "Fuzzy Grouping"},
		{"{00000000-1111-2222-3333-444444444444}", "", dftask.ReasonUnknown, "{00000000-1111-2222-3333-444444444444} is not one dtsx knows"},
	} {
		t.Run(tt.classID, func(t *testing.T) {
			c := &pipeline.Component{Name: "C", ClassID: tt.classID, UserComponentTypeName: tt.userType}
			c.Class, c.ThirdParty = pipeline.LookupClass(tt.classID, tt.userType)
			r, why, fix := dftask.Unsupported(c)
			if r != tt.want || !strings.Contains(why, tt.says) || fix == "" {
				t.Errorf("Unsupported = %s, %q, %q; want %s saying %q, and a fix", r, why, fix, tt.want, tt.says)
			}
		})
	}
}
