package main

import (
	"fmt"
	"strconv"
	"strings"
)

func setVerifyBuild(st *state, opt, v string, _ bool) error {
	fs, err := optionFields(opt, v)
	if err != nil {
		return err
	}
	if len(fs) > 3 {
		return &OptionError{Option: opt, Msg: "expected major[;minor[;build]]"}
	}
	var out []int64
	for _, f := range fs {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not a number", f), Hint: "expected major[;minor[;build]]"}
		}
		out = append(out, n)
	}
	st.o.VerifyBuild = out
	return nil
}

func setDump(st *state, opt, v string, _ bool) error {
	var codes []string
	for _, c := range strings.Split(v, ";") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		hex := strings.TrimPrefix(strings.TrimPrefix(c, "0x"), "0X")
		if _, err := strconv.ParseUint(hex, 16, 32); err != nil || hex == c {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not an error code such as 0xC020801C", c)}
		}
		codes = append(codes, c)
	}
	if len(codes) == 0 {
		return &OptionError{Option: opt, Msg: "no error code given", Hint: "e.g. /Dump 0xC020801C"}
	}
	return notSupported("Dump")(st, opt, v, true)
}

// looksLikeGUID accepts hexadecimal digits and dashes, with or without
// braces. It is loose on purpose: the dtexec documentation's own example
// has six groups.
func looksLikeGUID(s string) bool {
	t := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}")
	if len(t) < 32 {
		return false
	}
	digits := 0
	for _, c := range t {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			digits++
		case c == '-':
		default:
			return false
		}
	}
	return digits >= 32
}

// usage returns the help text: every option with its documented
