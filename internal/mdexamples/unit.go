package mdexamples

import (
	"fmt"
	"strings"
)

// Section is a [Section] of a systemd unit file, with its keys in order.
type Section struct {
	Name string
	Line int
	Keys []KeyValue
}

// KeyValue is one Key=Value line of a unit file.
type KeyValue struct {
	Key, Value string
	Line       int
}

// Get returns the values of key in the section, in order.
func (s Section) Get(key string) []string {
	var out []string
	for _, kv := range s.Keys {
		if kv.Key == key {
			out = append(out, kv.Value)
		}
	}
	return out
}

// ParseUnit reads a systemd unit file as systemd.syntax(7) describes it:
// [Section] headers, Key=Value lines, comments starting with # or ;, and
// lines continued with a final backslash. A line that is none of these, or
// a key before the first section, is an error naming its line (first is
// the line of the text's first line).
func ParseUnit(text string, first int) ([]Section, error) {
	var out []Section
	lines, nums := logicalLines(text, first)
	for i, raw := range lines {
		l := strings.TrimSpace(raw)
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			out = append(out, Section{Name: l[1 : len(l)-1], Line: nums[i]})
		default:
			k, v, ok := strings.Cut(l, "=")
			k = strings.TrimSpace(k)
			if !ok || k == "" || strings.ContainsAny(k, " \t") {
				return nil, fmt.Errorf("line %d: %q is not Key=Value", nums[i], l)
			}
			if len(out) == 0 {
				return nil, fmt.Errorf("line %d: %s= comes before any [Section]", nums[i], k)
			}
			s := &out[len(out)-1]
			s.Keys = append(s.Keys, KeyValue{Key: k, Value: strings.TrimSpace(v), Line: nums[i]})
		}
	}
	return out, nil
}
