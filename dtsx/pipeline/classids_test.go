package pipeline_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
)

// TestClassIDs: the component class GUIDs of formats 2, 3 (SSIS 2005 and
// 2008) and 6 (SSIS 2012) map to the same class as the format-8 name,
// whatever their case. The IDs beyond the corpus are those of the public
// code that builds or reads packages of that version (see the table's
// doc comment).
func TestClassIDs(t *testing.T) {
	for _, tt := range []struct{ id, want string }{
		{"{7F88F654-4E20-4D14-84F4-AF9C925D3087}", "Microsoft.ConditionalSplit"},
		{"{3AE878C6-0D6C-4F48-8128-40E00E9C1B7D}", "Microsoft.ConditionalSplit"},
		{"{150E6007-7C6A-4CC3-8FF3-FC73783A972E}", "Microsoft.RowCount"},
		{"{EC139FBC-694E-490B-8EA7-35690FB0F445}", "Microsoft.Multicast"},
		{"{27648839-180F-45E6-838D-AFF53DF682D2}", "Microsoft.Lookup"},
		{"{9ABE8DF3-0052-42DB-8B18-2089E1D1D1B7}", "Microsoft.Aggregate"},
		{"{5B201335-B360-485C-BB93-75C34E09B3D3}", "Microsoft.Aggregate"},
		{"{D3FC84FA-748F-40B4-A967-F1574F917BE5}", "Microsoft.Merge"},
		{"{8E61C8F6-C91D-43B6-97EB-3423C06571CC}", "Microsoft.OLEDBCommand"},
		{"{93FFEC66-CBC8-4C7F-9C6A-CB1C17A7567D}", "Microsoft.OLEDBCommand"},
		{"{C457FD7E-CE98-4C4B-AEFE-F3AE0044F181}", "Microsoft.RecordsetDestination"},
		{"{bf818e79-2c1c-410d-adea-b2d1a04fed01}", "Microsoft.Cache"},
		{"{DEC33219-BA68-4FEB-AC98-9C1B1E577A8D}", "Microsoft.CharacterMap"},
		{"{C9269E28-EBDE-4DED-91EB-0BF42842F9F4}", "Microsoft.ExcelDestination"},
		{"{70909A92-ECE9-486D-B17E-30EDE908849E}", "Microsoft.SCD"},
		{"{E4A5F949-EC93-45AB-8B36-B52936257EC2}", "Microsoft.BestMatch"},
		{"{9F4EB4D4-AD71-496D-B70B-31ECE1139884}", "Microsoft.BestMatch"},
		{"{90C7770B-DE7C-435E-880E-E718C92C0573}", "Microsoft.FlatFileSource"},
		{"{D658C424-8CF0-441C-B3C4-955E183B7FBA}", "Microsoft.FlatFileDestination"},
		{"{0FB4AABB-C027-4440-809A-1198049BF117}", "Microsoft.Lookup"},
		{"{C60ACAD1-9BE8-46B3-87DA-70E59EADEA46}", "Microsoft.OLEDBCommand"},
		{"{B551FCA8-23BD-4719-896F-D8F352A5283C}", "Microsoft.ExcelSource"},
		{"{1F5D5712-2FBA-4CB9-A95A-86C1F336E1DA}", "Microsoft.ExcelDestination"},
		{"{51DC0B24-7421-45C3-B4AB-9481A683D91D}", "Microsoft.RawSource"},
		{"{04762BB6-892F-4EE6-AD46-9CEB0A7EC7A2}", "Microsoft.RawDestination"},
		{"{A77F5655-A006-443A-9B7E-90B6BD55CB84}", "Attunity.SSISODBCSrc"},
		{"{074B8736-CD73-40A5-822E-888215AF57DA}", "Attunity.SSISODBCDst"},
		{"DTSTransform.CopyMap.3", "Microsoft.CopyMap"},
		{"DTSTransform.Lineage.3", "Microsoft.Lineage"},
		{"DTSTransform.Cache.2", "Microsoft.Cache"},
		{"DTSTransform.CharacterMap.3", "Microsoft.CharacterMap"},
		{"DTSTransform.GroupDups.3", "Microsoft.FuzzyGrouping"},
		{"DTSTransform.BestMatch.3", "Microsoft.BestMatch"},
		{"DTSTransform.TermExtraction.3", "Microsoft.TermExtraction"},
	} {
		t.Run(tt.id, func(t *testing.T) {
			c, _ := pipeline.LookupClass(tt.id, "")
			if c == nil || c.Name != tt.want {
				t.Errorf("LookupClass(%s) = %v, want %s", tt.id, c, tt.want)
			}
		})
	}
}
