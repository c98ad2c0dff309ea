package tasks

import (
	"strconv"
	"strings"
)

// EnumName returns the name of value i of an enumeration whose values are
// 0, 1, ... named names, or i as a number when it has no name.
func EnumName[E ~int](names []string, i E) string {
	if i >= 0 && int(i) < len(names) {
		return names[i]
	}
	return strconv.Itoa(int(i))
}

// ParseEnum reads a value of an enumeration whose values are 0, 1, ...
// named names: a name, in any case, or its number, as property expressions
// give it. An empty value is 0, which formats 6 and 8 omit; a value it
// cannot read is 0 and false.
func ParseEnum[E ~int](names []string, s string) (E, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	for i, n := range names {
		if strings.EqualFold(s, n) || s == strconv.Itoa(i) {
			return E(i), true
		}
	}
	return 0, false
}
