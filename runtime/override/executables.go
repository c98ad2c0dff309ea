package override

import (
	"sort"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
)

type propKind int

const (
	kString propKind = iota
	kBool
	kInt
)

// execProp is a property of every executable (or of the package only),
// with the name it is persisted under.
type execProp struct {
	persisted   string
	kind        propKind
	packageOnly bool
}

var execProps = map[string]execProp{
	"description":                   {"Description", kString, false},
	"name":                          {"ObjectName", kString, false},
	"disable":                       {"Disabled", kBool, false},
	"disabled":                      {"Disabled", kBool, false},
	"delayvalidation":               {"DelayValidation", kBool, false},
	"failpackageonfailure":          {"FailPackageOnFailure", kBool, false},
	"failparentonfailure":           {"FailParentOnFailure", kBool, false},
	"forceexecutionvalue":           {"ForceExecValue", kBool, false},
	"forceexecvalue":                {"ForceExecValue", kBool, false},
	"forceexecutionresult":          {"ForceExecutionResult", kInt, false},
	"maxerrorcount":                 {"MaxErrorCount", kInt, false},
	"isolationlevel":                {"ISOLevel", kInt, false},
	"isolevel":                      {"ISOLevel", kInt, false},
	"transactionoption":             {"TransactionOption", kInt, false},
	"loggingmode":                   {"LoggingMode", kInt, false},
	"localeid":                      {"LocaleID", kInt, false},
	"maxconcurrentexecutables":      {"MaxConcurrentExecutables", kInt, true},
	"checkpointfilename":            {"CheckpointFileName", kString, true},
	"checkpointusage":               {"CheckpointUsage", kInt, true},
	"savecheckpoints":               {"SaveCheckpoints", kBool, true},
	"enableconfig":                  {"EnableConfig", kBool, true},
	"suppressconfigurationwarnings": {"SuppressConfigurationWarnings", kBool, true},
	"offlinemode":                   {"OfflineMode", kBool, true},
	"versioncomments":               {"VersionComments", kString, true},
}

func (s *setter) executable(x *dtsx.Executable) error {
	prop := s.path.Property
	format := s.pkg.Format
	isRoot := x.Parent == nil
	if ep, ok := execProps[strings.ToLower(prop)]; ok && (isRoot || !ep.packageOnly) {
		return s.execProp(x, prop, ep, format)
	}
	props := s.types.task(x)
	if p, ok := dtsx.FindProperty(props, prop); ok && x.ObjectData != nil {
		if p.Check != nil {
			if err := p.Check(s.value); err != nil {
				return s.badValue(p.Name, p.Type, err.Error(), p.Sensitive)
			}
		}
		od := x.ObjectData
		if a := persistedAttr(od, p); a != nil {
			a.Value = s.value
		} else if od.Space != "" {
			od.CreateAttr(od.Space+":"+p.Stored(), s.value)
		} else {
			od.CreateAttr(p.Stored(), s.value)
		}
		return nil
	}
	if x.ObjectData != nil {
		if a := findAttr(x.ObjectData, prop); a != nil && !payloadNoise[a.Key] {
			a.Value = s.value
			return nil
		}
	}
	if hasProp(x.Element, prop) && !strings.EqualFold(prop, "DTSID") && !strings.EqualFold(prop, "refId") {
		setProp(x.Element, prop, s.value, format)
		return nil
	}
	var known []string
	for k, ep := range execProps {
		if (isRoot || !ep.packageOnly) && k == strings.ToLower(canonicalExecName(ep.persisted)) {
			known = append(known, canonicalExecName(ep.persisted))
		}
	}
	sort.Strings(known)
	if props != nil {
		for _, p := range props {
			known = append(known, p.Name)
		}
	} else if x.ObjectData != nil {
		for _, a := range x.ObjectData.Attr {
			if a.Space != "xmlns" && !payloadNoise[a.Key] {
				known = appendNew(known, a.Key)
			}
		}
	}
	return s.notFound("property", prop, label(x), known, "")
}

// persistedAttr returns the attribute of the task's payload that persists
// p: under its persisted name, else under its run-time name or an alias.
func persistedAttr(od *etree.Element, p dtsx.Property) *etree.Attr {
	for _, n := range append([]string{p.Stored(), p.Name}, p.Aliases...) {
		if a := findAttr(od, n); a != nil {
			return a
		}
	}
	return nil
}

func canonicalExecName(persisted string) string {
	switch persisted {
	case "ObjectName":
		return "Name"
	case "Disabled":
		return "Disable"
	case "ForceExecValue":
		return "ForceExecutionValue"
	case "ISOLevel":
		return "IsolationLevel"
	}
	return persisted
}

func (s *setter) execProp(x *dtsx.Executable, prop string, ep execProp, format int) error {
	val := s.value
	switch ep.kind {
	case kBool:
		b, ok := dtsx.ParseBool(val)
		if !ok {
			return s.badValue(prop, "Boolean", "expected True, False, 1, 0 or -1", false)
		}
		val = formatBool(b, format)
		if ep.persisted == "Disabled" {
			x.Disabled = b
		}
		if ep.persisted == "EnableConfig" {
			s.pkg.EnableConfig = b
		}
	case kInt:
		n, err := strconv.Atoi(strings.TrimSpace(val))
		if err != nil {
			return s.badValue(prop, "Int32", "expected a whole number", false)
		}
		if ep.persisted == "MaxConcurrentExecutables" {
			if n == 0 || n < -1 {
				return s.badValue(prop, "MaxConcurrentExecutables", "expected -1 (processors + 2) or a positive number", false)
			}
			s.pkg.MaxConcurrentExecutables = n
		}
		val = strconv.Itoa(n)
	case kString:
		if ep.persisted == "ObjectName" {
			if strings.TrimSpace(val) == "" {
				return s.badValue(prop, "name", "an executable needs a name", false)
			}
			x.Name = val
		}
		if ep.persisted == "Description" {
			x.Description = val
		}
	}
	setProp(x.Element, ep.persisted, val, format)
	return nil
}
