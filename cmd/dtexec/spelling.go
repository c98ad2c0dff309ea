package main

import (
	"fmt"
	"strings"
)

// dtexecOptions are dtexec's spellings of the options that the runtime's
// messages recommend in dtsx run's: "" for one dtexec has no equivalent of.
var dtexecOptions = map[string]string{
	"--unsupported skip": "/Unsupported skip",
	"--set":              "/Set",
	"--param":            "/Par",
	"--conn":             "/Conn",
	"--password":         "/De[crypt]",
	"--project":          "/Proj",
	"--package":          "/Pack",
	"--credentials FILE": "",
	"--capture":          "",
	"--path-map":         "",
}

// spell turns an option of dtsx run, as a message recommends it, into
// dtexec's (runtime.Spelling): "--param 'NAME=VALUE'" is /Par "NAME";VALUE.
// An option it does not know is kept as it is.
func spell(opt string) string {
	if s, ok := dtexecOptions[opt]; ok {
		return s
	}
	if rest, ok := strings.CutPrefix(opt, "--param '"); ok {
		name, _, _ := strings.Cut(strings.TrimSuffix(rest, "'"), "=")
		return fmt.Sprintf(`/Par "%s";VALUE`, name)
	}
	return opt
}
