package main

import (
	"errors"
	"fmt"
	"strings"
)

// command line is split: at white space outside double quotes. The quotes
// stay: each option removes them from its value.
func splitCommandFile(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inQuote, inArg := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote, inArg = !inQuote, true
			cur.WriteByte(c)
		case !inQuote && (c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			if inArg {
				out = append(out, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if inQuote {
		return nil, errors.New("a quote is never closed")
	}
	if inArg {
		out = append(out, cur.String())
	}
	return out, nil
}

// ---- values with ';' and quotes ----

// unquote removes dtexec's quotes from a value: "..." parts lose their
// quotes, a doubled quote inside them stands for one, and the parts outside
// quotes are kept as they are.
func unquote(s string) (string, error) {
	if !strings.Contains(s, `"`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			b.WriteByte(s[i])
			continue
		}
		start := i
		i++
		for {
			if i >= len(s) {
				return "", fmt.Errorf("the quote at offset %d is never closed", start)
			}
			if s[i] == '"' {
				if i+1 < len(s) && s[i+1] == '"' {
					b.WriteByte('"')
					i += 2
					continue
				}
				break
			}
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), nil
}

// splitAt returns the offset of the first ';' outside double quotes (and
// outside [ ] when brackets is set), or -1.
func splitAt(s string, brackets bool) int {
	inQuote, depth := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case brackets && c == '[':
			depth++
		case brackets && c == ']' && depth > 0:
			depth--
		case c == ';' && depth == 0:
			return i
		}
	}
	return -1
}

// fields splits s at every ';' outside quotes and unquotes each part.
func fields(s string) ([]string, error) {
	var out []string
	for {
		i := splitAt(s, false)
		part := s
		if i >= 0 {
			part = s[:i]
		}
		u, err := unquote(part)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
		if i < 0 {
			return out, nil
		}
		s = s[i+1:]
	}
}

// optionFields is fields for the value of option opt, its error an
// *OptionError.
func optionFields(opt, v string) ([]string, error) {
	fs, err := fields(v)
	if err != nil {
		return nil, &OptionError{Option: opt, Msg: err.Error()}
	}
	return fs, nil
}
