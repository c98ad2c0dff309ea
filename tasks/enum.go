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
	return ParseEnumAs[E](names, nil, "", s)
}

// ParseEnumAs is ParseEnum for an enumeration whose values 0, 1, ... are
// numbered nums in .NET (nil: 0, 1, ...) and whose names may be persisted
// with prefix (ResultSetType_Rowset): a name, in any case and with or
// without the prefix, or its .NET number.
func ParseEnumAs[E ~int](names []string, nums []int, prefix, s string) (E, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	for i, n := range names {
		num := i
		if nums != nil {
			num = nums[i]
		}
		if strings.EqualFold(s, n) || (prefix != "" && strings.EqualFold(s, prefix+n)) || s == strconv.Itoa(num) {
			return E(i), true
		}
	}
	return 0, false
}
