package pipeline

import (
	"fmt"
	"sort"
	"strings"
)

// Support says how far this runtime means to go with a component class.
type Support int

// Levels of support.
const (
	// SupportUnknown: the class is not in the table.
	SupportUnknown Support = iota
	// SupportFirstWave: a component the Data Flow task is built with.
	SupportFirstWave
	// SupportLater: a Microsoft component planned after the first wave.
	SupportLater
	// SupportScript: the Script Component, whose .NET code cannot run here.
	SupportScript
	// SupportThirdParty: a component that does not ship with SSIS.
	SupportThirdParty
)

var supportNames = [...]string{"unknown", "first-wave", "later", "script", "third-party"}

// String returns unknown, first-wave, later, script or third-party.
func (s Support) String() string {
	if s >= 0 && int(s) < len(supportNames) {
		return supportNames[s]
	}
	return "unknown"
}

// MarshalText makes a Support appear by name in JSON.
func (s Support) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a Support by name, as MarshalText writes it.
func (s *Support) UnmarshalText(b []byte) error {
	for i, n := range supportNames {
		if string(b) == n {
			*s = Support(i)
			return nil
		}
	}
	return fmt.Errorf("pipeline: unknown support level %q", b)
}

// Kind says where a component sits in a data flow.
type Kind string

// Component kinds.
const (
	KindSource      Kind = "source"
	KindTransform   Kind = "transform"
	KindDestination Kind = "destination"
)

// Class is a canonical component class: one per component, whatever the
// format that persisted it.
type Class struct {
	// Name is the canonical name: the componentClassID format 8 persists
	// (Microsoft.FlatFileSource) or, for a managed component, the
	// UserComponentTypeName it persists (Microsoft.ScriptComponentHost).
	Name string
	// Display is the name the SSIS designer and docs use.
	Display string
	Kind    Kind
	Support Support
}

// The table of component classes. Sources: the class IDs, ProgIDs and
// class names are those found in the corpus of real packages (each
// matched to its component by the contactInfo and description persisted
// beside it, in 2005, 2008, 2012 and 2014+ packages); the display names are
// those of the SSIS docs, "Integration Services Transformations" and
// "Data Flow" (https://learn.microsoft.com/sql/integration-services/data-flow/transformations/integration-services-transformations,
// https://learn.microsoft.com/sql/integration-services/data-flow/data-flow).
// ProgIDs (DTSAdapter.OLEDBSource.3, DTSTransform.Lookup.3) are read by
// their middle part, whatever their version suffix. Classes without class
// IDs below are not in the corpus: their format-8 names follow the
// Microsoft.<ProgID> pattern of those that are. The class IDs that are not
// in the corpus come from public code that creates or reads packages of
// that SSIS version: Microsoft's EzAPI (the SSIS 2012 IDs of Aggregate,
// Merge, OLE DB Command, Multicast, Cache Transform, Excel Destination,
// Slowly Changing Dimension), the SQL Server Metadata Toolkit's
// dependency analyzer (its table of the 2005, 2008 and 2012 IDs of the
// Flat File, Excel and Raw File adapters, Lookup, Fuzzy Lookup, OLE DB
// Command, the ODBC adapters and the Recordset Destination) and the
// Chimayo SSIS readers
// (Conditional Split, Multicast and Recordset Destination 2012; Lookup,
// Row Count and Aggregate 2008); each is matched by at least one of them
// to the same component as above. Copy Column, Audit and Character Map
// (but for the ID the corpus has) have no class ID from such a source
// yet: a package that persists another reports an unknown class. The ODBC components of SSIS
// 2012 and later came from Attunity and keep its name (Attunity.SSISODBCSrc
// in the corpus).
var classes = []struct {
	Class
	// progID is the middle part of the ProgID (DTSAdapter.X.n,
	// DTSTransform.X.n), when it differs from the canonical name's.
	progID string
	// ids are the component class GUIDs of SSIS 2005, 2008 and 2012.
	ids []string
}{
	{Class{"Microsoft.OLEDBSource", "OLE DB Source", KindSource, SupportFirstWave}, "",
		[]string{"{2C0A8BE5-1EDC-4353-A0EF-B778599C65A0}", "{BCEFE59B-6819-47F7-A125-63753B33ABB7}", "{165A526D-D5DE-47FF-96A6-F8274C19826B}"}},
	{Class{"Microsoft.OLEDBDestination", "OLE DB Destination", KindDestination, SupportFirstWave}, "",
		[]string{"{E2568105-9550-4F71-A638-B7FE42E66922}", "{5A0B62E8-D91D-49F5-94A5-7BE58DE508F0}", "{4ADA7EAA-136C-4215-8098-D7A7C27FC0D1}"}},
	{Class{"Microsoft.FlatFileSource", "Flat File Source", KindSource, SupportFirstWave}, "",
		[]string{"{90C7770B-DE7C-435E-880E-E718C92C0573}", "{5ACD952A-F16A-41D8-A681-713640837664}", "{D23FD76B-F51D-420F-BBCB-19CBF6AC1AB4}"}},
	{Class{"Microsoft.FlatFileDestination", "Flat File Destination", KindDestination, SupportFirstWave}, "",
		[]string{"{A1DF9F6D-8EE4-4EF0-BB2E-D526130D7A7B}", "{D658C424-8CF0-441C-B3C4-955E183B7FBA}", "{8DA75FED-1B7C-407D-B2AD-2B24209CCCA4}"}},
	{Class{"Microsoft.DerivedColumn", "Derived Column", KindTransform, SupportFirstWave}, "",
		[]string{"{9CF90BF0-5BCC-4C63-B91D-1F322DC12C26}", "{2932025B-AB99-40F6-B5B8-783A73F80E24}", "{49928E82-9C4E-49F0-AABE-3812B82707EC}"}},
	{Class{"Microsoft.DataConvert", "Data Conversion", KindTransform, SupportFirstWave}, "",
		[]string{"{BD06A22E-BC69-4AF7-A69B-C44C2EF684BB}", "{62B1106C-7DB8-4EC8-ADD6-4C664DFFC54A}"}},
	{Class{"Microsoft.ConditionalSplit", "Conditional Split", KindTransform, SupportFirstWave}, "",
		[]string{"{3AE878C6-0D6C-4F48-8128-40E00E9C1B7D}", "{7F88F654-4E20-4D14-84F4-AF9C925D3087}"}},
	{Class{"Microsoft.RowCount", "Row Count", KindTransform, SupportFirstWave}, "",
		[]string{"{DE50D3C7-41AF-4804-9247-CF1DEB147971}", "{150E6007-7C6A-4CC3-8FF3-FC73783A972E}", "{E2697D8C-70DA-42B2-8208-A19CE3A9FE41}"}},
	{Class{"Microsoft.UnionAll", "Union All", KindTransform, SupportFirstWave}, "",
		[]string{"{4D9F9B7C-84D9-4335-ADB0-2542A7E35422}", "{B594E9A8-4351-4939-891C-CFE1AB93E925}"}},
	{Class{"Microsoft.Multicast", "Multicast", KindTransform, SupportFirstWave}, "",
		[]string{"{F1CEE4CE-066D-4FBE-9DC4-4C697A617264}", "{1ACA4459-ACE0-496F-814A-8611F9C27E23}", "{EC139FBC-694E-490B-8EA7-35690FB0F445}"}},
	{Class{"Microsoft.Lookup", "Lookup", KindTransform, SupportFirstWave}, "",
		[]string{"{0FB4AABB-C027-4440-809A-1198049BF117}", "{27648839-180F-45E6-838D-AFF53DF682D2}", "{671046B0-AA63-4C9F-90E4-C06E0B710CE3}"}},
	{Class{"Microsoft.Sort", "Sort", KindTransform, SupportFirstWave}, "",
		[]string{"{07127A7C-164B-422A-AD1F-24BE39B4DB38}", "{5B1A3FF5-D366-4D75-AD1F-F19A36FCBEDB}"}},
	{Class{"Microsoft.Aggregate", "Aggregate", KindTransform, SupportFirstWave}, "",
		[]string{"{9ABE8DF3-0052-42DB-8B18-2089E1D1D1B7}", "{5B201335-B360-485C-BB93-75C34E09B3D3}"}},
	{Class{"Microsoft.MergeJoin", "Merge Join", KindTransform, SupportFirstWave}, "",
		[]string{"{A18A4D58-7C7A-4448-8B98-AE2CEFE81B4C}", "{14D43A4F-D7BD-489D-829E-6DE35750CFE4}"}},
	{Class{"Microsoft.Merge", "Merge", KindTransform, SupportFirstWave}, "",
		[]string{"{D3FC84FA-748F-40B4-A967-F1574F917BE5}"}},
	// The OLE DB Command is not in the corpus: its class IDs are those
	// SSIS 2005, 2008 and 2012 register for DTSTransform.OLEDBCommand.
	{Class{"Microsoft.OLEDBCommand", "OLE DB Command", KindTransform, SupportFirstWave}, "",
		[]string{"{C60ACAD1-9BE8-46B3-87DA-70E59EADEA46}", "{8E61C8F6-C91D-43B6-97EB-3423C06571CC}", "{93FFEC66-CBC8-4C7F-9C6A-CB1C17A7567D}"}},
	{Class{"Microsoft.RecordsetDestination", "Recordset Destination", KindDestination, SupportFirstWave}, "",
		[]string{"{167AF7E9-BA81-425F-B73D-E30C2DCC0F09}", "{C457FD7E-CE98-4C4B-AEFE-F3AE0044F181}"}},
	{Class{"Microsoft.ExcelSource", "Excel Source", KindSource, SupportLater}, "",
		[]string{"{B551FCA8-23BD-4719-896F-D8F352A5283C}", "{A4B1E1C8-17F3-46C8-AAD0-34F0C6FE42DE}", "{8C084929-27D1-479F-9641-ABB7CDADF1AC}"}},
	{Class{"Microsoft.ExcelDestination", "Excel Destination", KindDestination, SupportLater}, "",
		[]string{"{C9269E28-EBDE-4DED-91EB-0BF42842F9F4}", "{1F5D5712-2FBA-4CB9-A95A-86C1F336E1DA}"}},
	{Class{"Microsoft.CharacterMap", "Character Map", KindTransform, SupportFirstWave}, "",
		[]string{"{DEC33219-BA68-4FEB-AC98-9C1B1E577A8D}"}},
	{Class{"Microsoft.FuzzyGrouping", "Fuzzy Grouping", KindTransform, SupportLater}, "GroupDups",
		[]string{"{0A1BDBA0-9C6E-4AD7-97B1-E0E79E462629}"}},
	{Class{"Microsoft.BestMatch", "Fuzzy Lookup", KindTransform, SupportLater}, "",
		[]string{"{9F4EB4D4-AD71-496D-B70B-31ECE1139884}", "{5056651F-F227-4978-94DF-53CDF9E8CCB6}", "{E4A5F949-EC93-45AB-8B36-B52936257EC2}"}},
	{Class{"Microsoft.TermExtraction", "Term Extraction", KindTransform, SupportLater}, "", nil},
	{Class{"Microsoft.TermLookup", "Term Lookup", KindTransform, SupportLater}, "", nil},
	{Class{"Microsoft.PctSampling", "Percentage Sampling", KindTransform, SupportLater}, "", nil},
	{Class{"Microsoft.RowSampling", "Row Sampling", KindTransform, SupportLater}, "", nil},
	{Class{"Microsoft.RawSource", "Raw File Source", KindSource, SupportLater}, "",
		[]string{"{E2568105-9550-4F71-A638-B7FE42E66930}", "{51DC0B24-7421-45C3-B4AB-9481A683D91D}", "{480C7D5A-CE63-405C-B338-3C7F26560EE3}"}},
	{Class{"Microsoft.RawDestination", "Raw File Destination", KindDestination, SupportLater}, "",
		[]string{"{E2568105-9550-4F71-A638-B7FE42E66933}", "{485E7329-8754-42B4-AA5B-29C5DA09CAD5}", "{04762BB6-892F-4EE6-AD46-9CEB0A7EC7A2}"}},
	{Class{"Microsoft.Pivot", "Pivot", KindTransform, SupportLater}, "", nil},
	{Class{"Microsoft.UnPivot", "Unpivot", KindTransform, SupportLater}, "", nil},
	{Class{"Microsoft.CopyMap", "Copy Column", KindTransform, SupportFirstWave}, "", nil},
	{Class{"Microsoft.Lineage", "Audit", KindTransform, SupportFirstWave}, "", nil},
	{Class{"Microsoft.Cache", "Cache Transform", KindTransform, SupportFirstWave}, "",
		[]string{"{BF818E79-2C1C-410D-ADEA-B2D1A04FED01}"}},
	{Class{"Microsoft.SCD", "Slowly Changing Dimension", KindTransform, SupportLater}, "",
		[]string{"{70909A92-ECE9-486D-B17E-30EDE908849E}"}},
	{Class{"Attunity.SSISODBCSrc", "ODBC Source", KindSource, SupportLater}, "",
		[]string{"{A77F5655-A006-443A-9B7E-90B6BD55CB84}"}},
	{Class{"Attunity.SSISODBCDst", "ODBC Destination", KindDestination, SupportLater}, "",
		[]string{"{074B8736-CD73-40A5-822E-888215AF57DA}"}},
}

// managedClasses are the components hosted by the managed component
// wrapper (componentClassID Microsoft.ManagedComponentHost, or the wrapper's
// class ID or ProgID in formats 2, 3 and 6): the UserComponentTypeName
// property names them, fully qualified (Microsoft.SqlServer.Dts.Pipeline.X,
// formats 2 to 6) or not (Microsoft.X, format 8).
var managedClasses = []Class{
	{"Microsoft.DataReaderSourceAdapter", "ADO NET Source", KindSource, SupportFirstWave},
	{"Microsoft.ADONETDestination", "ADO NET Destination", KindDestination, SupportFirstWave},
	{"Microsoft.ScriptComponentHost", "Script Component", KindTransform, SupportScript},
	{"Microsoft.XmlSourceAdapter", "XML Source", KindSource, SupportLater},
	{"Microsoft.DataReaderDestinationAdapter", "DataReader Destination", KindDestination, SupportLater},
	{"Microsoft.SqlServerDestination", "SQL Server Destination", KindDestination, SupportLater},
}

// managedHostIDs are the class IDs and names of the managed component
// wrapper: 2005, 2008 and 2012 GUIDs, the ProgID and the format-8 name.
var managedHostIDs = []string{
	"{BF01D463-7089-41EE-8F05-0A6DC17CE633}", "{2E42D45B-F83C-400F-8D77-61DDE6A7DF29}",
	"{874F7595-FB5F-40FF-96AF-FBFF8250E3EF}", "DTS.ManagedComponentWrapper", "Microsoft.ManagedComponentHost",
}

// thirdPartyVendors name the vendors of components that do not ship with
// SSIS, by the start of their class name or UserComponentTypeName.
var thirdPartyVendors = []struct{ prefix, vendor string }{
	{"Microsoft.Samples.", "Microsoft's SQL Server community samples"},
	{"KingswaySoft.", "KingswaySoft"}, {"CozyRoc.", "COZYROC"}, {"Cozyroc", "COZYROC"},
	{"PragmaticWorks.", "Pragmatic Works"}, {"Pragmatic Works", "Pragmatic Works"}, {"TaskFactory.", "Pragmatic Works"},
	{"ZappySys.", "ZappySys"}, {"Devart.", "Devart"}, {"SentryOne.", "SentryOne"}, {"CData.", "CData"},
	{"Attunity.SqlServer.", "Attunity"},
}

// Vendor returns the vendor of a third-party component from its class name
// or UserComponentTypeName: a known vendor's name, else the first part of
// a dotted name that is not Microsoft's, else "".
func Vendor(name string) string {
	for _, v := range thirdPartyVendors {
		if len(name) >= len(v.prefix) && strings.EqualFold(name[:len(v.prefix)], v.prefix) {
			return v.vendor
		}
	}
	if i := strings.IndexByte(name, '.'); i > 0 && !strings.HasPrefix(name, "{") && !strings.EqualFold(name[:i], "Microsoft") {
		return name[:i]
	}
	return ""
}

var (
	classByKey   = map[string]*Class{}
	managedByKey = map[string]*Class{}
)

func init() {
	for i := range classes {
		c := &classes[i].Class
		short := strings.TrimPrefix(c.Name, "Microsoft.")
		for _, k := range append([]string{c.Name, short, classes[i].progID}, classes[i].ids...) {
			if k != "" {
				classByKey[strings.ToUpper(k)] = c
			}
		}
	}
	for i := range managedClasses {
		c := &managedClasses[i]
		managedByKey[strings.ToUpper(strings.TrimPrefix(c.Name, "Microsoft."))] = c
	}
}

// Classes returns the canonical component classes this package knows,
// sorted by name.
func Classes() []Class {
	var out []Class
	for _, c := range classes {
		out = append(out, c.Class)
	}
	out = append(out, managedClasses...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// isManagedHost reports whether a componentClassID is the managed
// component wrapper's.
func isManagedHost(id string) bool {
	id = stripProgIDVersion(id)
	for _, h := range managedHostIDs {
		if strings.EqualFold(id, h) {
			return true
		}
	}
	return false
}

// stripProgIDVersion drops the version of a ProgID (DTSAdapter.OLEDBSource.3
// gives DTSAdapter.OLEDBSource).
func stripProgIDVersion(id string) string {
	if i := strings.LastIndexByte(id, '.'); i > 0 && i < len(id)-1 && strings.Trim(id[i+1:], "0123456789") == "" {
		return id[:i]
	}
	return id
}

// LookupClass returns the canonical class of a component from its
// persisted componentClassID and, for a managed component, its
// UserComponentTypeName property (or ""). It returns nil for a class it
// does not know; third-party reports whether the name is a known
// third-party vendor's.
func LookupClass(classID, userType string) (c *Class, thirdParty bool) {
	classID = strings.TrimSpace(classID)
	if isManagedHost(classID) {
		t := strings.TrimSpace(userType)
		if i := strings.IndexByte(t, ','); i >= 0 {
			t = strings.TrimSpace(t[:i])
		}
		short := strings.TrimPrefix(strings.TrimPrefix(t, "Microsoft.SqlServer.Dts.Pipeline."), "Microsoft.")
		if c := managedByKey[strings.ToUpper(short)]; c != nil {
			return c, false
		}
		return nil, isThirdParty(t)
	}
	key := stripProgIDVersion(classID)
	for _, p := range []string{"DTSAdapter.", "DTSTransform."} {
		if len(key) > len(p) && strings.EqualFold(key[:len(p)], p) {
			key = key[len(p):]
		}
	}
	if c := classByKey[strings.ToUpper(key)]; c != nil {
		return c, false
	}
	return nil, isThirdParty(classID)
}

func isThirdParty(name string) bool {
	for _, v := range thirdPartyVendors {
		if p := v.prefix; len(name) >= len(p) && strings.EqualFold(name[:len(p)], p) {
			return true
		}
	}
	return false
}
