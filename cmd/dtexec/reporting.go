package main

import (
	"fmt"
	"strings"
)

func setReporting(st *state, opt, v string, _ bool) error {
	fs, err := optionFields(opt, v)
	if err != nil {
		return err
	}
	r := Reporting{Given: true}
	levels := strings.TrimSpace(fs[0])
	if levels == "" {
		return &OptionError{Option: opt, Msg: "no level given", Hint: "N, or some of E W I C D P, or V"}
	}
	none := false
	for _, c := range strings.ToUpper(levels) {
		switch {
		case c == 'N':
			none = true
		case strings.ContainsRune(reportLetters, c):
			r.Levels |= 1 << strings.IndexRune(reportLetters, c)
		default:
			return &OptionError{Option: opt, Msg: fmt.Sprintf("unknown level %q", c), Hint: "N none, E errors, W warnings, I information, C custom, D data flow, P progress, V verbose"}
		}
	}
	if (none && (r.Levels != 0 || len(levels) > 1)) || (r.Levels&ReportVerbose != 0 && len(levels) > 1) {
		return &OptionError{Option: opt, Msg: fmt.Sprintf("%q: N and V must be given alone", levels)}
	}
	for _, e := range fs[1:] {
		if e = strings.TrimSpace(e); e != "" {
			r.Events = append(r.Events, e)
		}
	}
	st.o.Reporting = r
	return nil
}

func setConsoleLog(st *state, opt, v string, has bool) error {
	c := &st.o.ConsoleLog
	first := !c.Enabled
	c.Enabled = true
	if !has || strings.TrimSpace(v) == "" {
		c.Columns = AllColumns
		return nil
	}
	fs, err := optionFields(opt, v)
	if err != nil {
		return err
	}
	rest := fs
	var cols ConsoleColumns
	if f := strings.ToUpper(strings.TrimSpace(fs[0])); f != "I" && f != "E" {
		if f != "" {
			for _, ch := range f {
				k := strings.IndexRune(columnLetters, ch)
				if k < 0 {
					return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is neither display options (N C O S G X M T) nor a list option (I or E)", fs[0])}
				}
				cols |= 1 << k
			}
		}
		rest = fs[1:]
	}
	switch {
	case cols == 0:
		c.Columns = AllColumns
	case first:
		c.Columns = cols
	case c.Columns != AllColumns:
		c.Columns |= cols
	}
	var list *[]string
	for _, f := range rest {
		t := strings.TrimSpace(f)
		switch strings.ToUpper(t) {
		case "I":
			list = &c.Include
			continue
		case "E":
			list = &c.Exclude
			continue
		case "":
			continue
		}
		if list == nil {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q: a name comes after I (include) or E (exclude)", t)}
		}
		*list = append(*list, t)
	}
	return nil
}

// logProviders maps the documented ProgIDs and ClassIDs to the ProgID of
// the provider, and says which ones need Windows or SQL Server. The file
// providers could work here but are not implemented: every /L is refused,
// after its value is checked.
var logProviders = []struct {
	progID, classID string
	instead         string // why it needs Windows or SQL Server; empty for the file providers
}{
	{"DTS.LogProviderTextFile", "{59B2C6A5-663F-4C20-8863-C83F9B72E2EB}", ""},
	{"DTS.LogProviderXMLFile", "{AFED6884-619C-484F-9A09-F42D56E1A7EA}", ""},
	{"DTS.LogProviderSQLProfiler", "{5C0B8D21-E9AA-462E-BA34-30FF5F7A42A1}", "SQL Server Profiler traces need Windows and SQL Server"},
	{"DTS.LogProviderSQLServer", "{6AA833A1-E4B2-4431-831B-DE695049DC61}", "the SQL Server log provider writes to a SQL Server table"},
	{"DTS.LogProviderEventLog", "{97634F75-1DC7-4F1F-8A4C-DAF0E13AAA22}", "the Windows Event Log does not exist here"},
}

func setLogger(st *state, opt, v string, _ bool) error {
	i := splitAt(v, false)
	idPart, cfgPart := v, ""
	if i >= 0 {
		idPart, cfgPart = v[:i], v[i+1:]
	}
	id, err := unquote(idPart)
	if err != nil {
		return &OptionError{Option: opt, Msg: err.Error()}
	}
	cfg, err := unquote(cfgPart)
	if err != nil {
		return &OptionError{Option: opt, Msg: err.Error()}
	}
	id = strings.TrimSpace(id)
	for _, lp := range logProviders {
		base := strings.TrimSuffix(strings.ToLower(id), ".1")
		if base != strings.ToLower(lp.progID) && !strings.EqualFold(strings.Trim(id, "{}"), strings.Trim(lp.classID, "{}")) {
			continue
		}
		if lp.instead != "" {
			return &WindowsOnlyError{Option: opt, Msg: lp.progID + ": " + lp.instead, Instead: notSupportedText["Logger"][1]}
		}
		if strings.TrimSpace(cfg) == "" {
			return &OptionError{Option: opt, Msg: lp.progID + " needs a file: " + lp.progID + ";file"}
		}
		return &NotSupportedError{Option: opt, Msg: lp.progID + ": " + notSupportedText["Logger"][0], Instead: notSupportedText["Logger"][1]}
	}
	return &OptionError{Option: opt, Msg: fmt.Sprintf("unknown log provider %q", id),
		Hint: "use DTS.LogProviderTextFile or DTS.LogProviderXMLFile (or their ClassIDs)"}
}
