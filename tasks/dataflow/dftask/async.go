package dftask

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// intProp returns the integer value of a custom property, or def when it
// is not persisted or empty.
func intProp(ps []*pipeline.Property, name, where string, def int) (int, error) {
	p := findProp(ps, name)
	if p == nil || strings.TrimSpace(p.Value) == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(p.Value))
	if err != nil {
		return 0, fmt.Errorf("%s: %s is %q, not an integer", where, p.Name, p.Value)
	}
	return n, nil
}

// boolProp returns the Boolean value of a custom property (True or False,
// any case; 1 or 0 as older formats write it), or def when it is not
// persisted or empty.
func boolProp(ps []*pipeline.Property, name, where string, def bool) (bool, error) {
	p := findProp(ps, name)
	if p == nil || strings.TrimSpace(p.Value) == "" {
		return def, nil
	}
	switch strings.ToLower(strings.TrimSpace(p.Value)) {
	case "true", "1", "-1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("%s: %s is %q, not True or False", where, p.Name, p.Value)
}

// lineageRef returns the engine lineage number a column-reference property
// names (SortColumnId, AggregationColumnId, OutputColumnLineageID): #{refId}
// in formats 6 and 8, a number in formats 2 and 3; 0 when the property is
// absent or names none (-1, 0).
func (b *Build) lineageRef(p *pipeline.Property) int {
	if p == nil {
		return 0
	}
	ref := strings.TrimSpace(p.Value)
	if refs := p.LineageRefs(); len(refs) == 1 {
		ref = refs[0]
	}
	ref = strings.TrimSuffix(strings.TrimPrefix(ref, "#{"), "}")
	if ref == "" || ref == "0" || ref == "-1" {
		return 0
	}
	return b.Lineage(ref)
}

// lcidTags maps the Windows locale IDs a component's LocaleID may hold to
// BCP 47 tags ([MS-LCID], "Windows Language Code Identifier (LCID)
// Reference"); the common ones of the Integration Services designer's list.
var lcidTags = map[int]string{
	1025: "ar-SA", 1026: "bg-BG", 1027: "ca-ES", 1028: "zh-TW", 1029: "cs-CZ", 1030: "da-DK", 1031: "de-DE",
	1032: "el-GR", 1033: "en-US", 1035: "fi-FI", 1036: "fr-FR", 1037: "he-IL", 1038: "hu-HU", 1040: "it-IT",
	1041: "ja-JP", 1042: "ko-KR", 1043: "nl-NL", 1044: "nb-NO", 1045: "pl-PL", 1046: "pt-BR", 1048: "ro-RO",
	1049: "ru-RU", 1050: "hr-HR", 1051: "sk-SK", 1053: "sv-SE", 1054: "th-TH", 1055: "tr-TR", 1058: "uk-UA",
	1060: "sl-SI", 1061: "et-EE", 1062: "lv-LV", 1063: "lt-LT", 1066: "vi-VN", 2052: "zh-CN", 2057: "en-GB",
	2070: "pt-PT", 3079: "de-AT", 3081: "en-AU", 3082: "es-ES", 3084: "fr-CA", 4105: "en-CA", 2055: "de-CH",
	2067: "nl-BE", 2060: "fr-BE", 4108: "fr-CH", 5129: "en-NZ", 6153: "en-IE", 2058: "es-MX", 1081: "hi-IN",
	16393: "en-IN", 3076: "zh-HK", 4100: "zh-SG", 7177: "en-ZA", 1086: "ms-MY", 1057: "id-ID",
	8201: "en-JM", 9225: "en-029", 10249: "en-BZ", 11273: "en-TT", 13321: "en-PH", 17417: "en-MY", 18441: "en-SG",
}

// locale returns the BCP 47 tag of a component's LocaleID (its localeId
// attribute), "" (the transform's en-US) when none is persisted or it is
// -1 or 0, the "neutral" locale the designer writes.
func locale(c *pipeline.Component) (string, error) {
	if c.Element == nil {
		return "", nil
	}
	v := strings.TrimSpace(c.Element.SelectAttrValue("localeId", ""))
	if v == "" {
		return "", nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return "", fmt.Errorf("its localeId %q is not a locale ID: set the component's LocaleID", v)
	}
	if n <= 0 {
		return "", nil
	}
	tag, ok := lcidTags[n]
	if !ok {
		return "", fmt.Errorf("its LocaleID %d is not one this runtime maps to a language: set the component's LocaleID to one such as 1033 (English, United States)", n)
	}
	return tag, nil
}

// sortedInput describes how the rows of an input are sorted, from the
// output they come from: its IsSorted and the SortKeyPosition and
// ComparisonFlags of its columns ("Sort Data for the Merge and Merge Join
// Transformations").
func (b *Build) sortedInput(in *pipeline.Input) transform.SortedInput {
	// The output the path starts at, else (behind synchronous
	// transformations, which keep the order) the output a column comes
	// from: the first one that is sorted.
	var cands []*pipeline.Output
	for _, p := range b.Pipeline.Paths {
		if p.End == in && p.Start != nil {
			cands = append(cands, p.Start)
		}
	}
	for _, ic := range in.Columns {
		if ic.Upstream != nil && ic.Upstream.Output != nil {
			cands = append(cands, ic.Upstream.Output)
		}
	}
	var up *pipeline.Output
	for _, o := range cands {
		if o.IsSorted {
			up = o
			break
		}
	}
	if up == nil {
		return transform.SortedInput{}
	}
	s := transform.SortedInput{IsSorted: up.IsSorted}
	var cols []*pipeline.OutputColumn
	for _, oc := range up.Columns {
		if oc.SortKeyPosition != 0 {
			cols = append(cols, oc)
		}
	}
	abs := func(n int) int { return max(n, -n) }
	slices.SortStableFunc(cols, func(x, y *pipeline.OutputColumn) int { return abs(x.SortKeyPosition) - abs(y.SortKeyPosition) })
	for _, oc := range cols {
		s.Keys = append(s.Keys, b.Lineage(oc.LineageID))
		s.Descending = append(s.Descending, oc.SortKeyPosition < 0)
		s.ComparisonFlags = append(s.ComparisonFlags, transform.Comparison(oc.ComparisonFlags))
	}
	return s
}
