package main

import (
	"fmt"
	"strings"
)

// usage returns the help text: every option with its documented
// abbreviation, those that work first, then those refused here with the
// reason. A topic naming an option (/? Set) shows that option alone.
func usage(topic string) string {
	var b strings.Builder
	b.WriteString("Usage: dtexec /option [value] [/option [value]]...\n")
	b.WriteString("Options start with / or -, are case-insensitive, and may be shortened to the part before [ ].\n\n")
	if o := lookup(strings.TrimLeft(strings.TrimSpace(topic), "/-")); topic != "" && o != nil {
		usageLine(&b, o)
		return b.String()
	}
	for i := range options {
		if !refused(&options[i]) {
			usageLine(&b, &options[i])
		}
	}
	b.WriteString("\nNot supported here (dtexec refuses them with exit code 6 and says what to use instead):\n")
	for i := range options {
		if refused(&options[i]) {
			usageLine(&b, &options[i])
		}
	}
	b.WriteString("\nExit codes: 0 success, 1 failure, 3 cancelled, 4 package not found, 5 package not loaded, 6 command-line error.\n")
	return b.String()
}

// usageLine writes one option's line: "/F[ile] file.dtsx   what it does",
// or "not supported: why" for a refused one.
func usageLine(b *strings.Builder, o *option) {
	name := o.name
	if o.min < len(o.name) {
		name = o.name[:o.min] + "[" + o.name[o.min:] + "]"
	}
	parts := strings.SplitN(o.usage, "  ", 2)
	arg, text := strings.TrimSpace(parts[0]), ""
	if len(parts) > 1 {
		text = parts[1]
	}
	if refused(o) {
		text = "not supported: " + text
	}
	left := "/" + strings.TrimSpace(name+" "+arg)
	if len(left) > 37 {
		fmt.Fprintf(b, "  %s\n  %-37s %s\n", left, "", text)
		return
	}
	fmt.Fprintf(b, "  %-37s %s\n", left, text)
}
