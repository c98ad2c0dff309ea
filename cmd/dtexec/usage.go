package main

import (
	"fmt"
	"strings"
)

// abbreviation.
func usage() string {
	var b strings.Builder
	b.WriteString("Usage: dtexec /option [value] [/option [value]]...\n")
	b.WriteString("Options start with / or -, are case-insensitive, and may be shortened to the part before [ ].\n\n")
	for _, o := range options {
		name := o.name
		if o.min < len(o.name) {
			name = o.name[:o.min] + "[" + o.name[o.min:] + "]"
		}
		parts := strings.SplitN(o.usage, "  ", 2)
		arg, text := strings.TrimSpace(parts[0]), ""
		if len(parts) > 1 {
			text = parts[1]
		}
		left := "/" + strings.TrimSpace(name+" "+arg)
		if len(left) > 37 {
			fmt.Fprintf(&b, "  %s\n  %-37s %s\n", left, "", text)
			continue
		}
		fmt.Fprintf(&b, "  %-37s %s\n", left, text)
	}
	b.WriteString("\nExit codes: 0 success, 1 failure, 3 cancelled, 4 package not found, 5 package not loaded, 6 command-line error.\n")
	return b.String()
}
