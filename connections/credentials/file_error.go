package credentials

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FileError is a credentials file that does not parse. It names
// the file and the line, and says what is wrong in its own words: the
// parsers' messages may quote the file, and so a secret.
type FileError struct {
	Path string
	// Format is "JSON" or "YAML".
	Format string
	// Line is the line of the error, from 1; 0 when the parser gave none.
	Line int
	// Msg says what is wrong there.
	Msg string
}

// Error names the file, the line and the fix.
func (e *FileError) Error() string {
	where := e.Path
	if e.Line > 0 {
		where += ", line " + strconv.Itoa(e.Line)
	}
	return fmt.Sprintf("credentials file %s: not valid %s: %s (each key is a connection name, or default, "+
		"and maps to username, domain, password and token)", where, e.Format, e.Msg)
}

// fileError explains err, the parser's, of a credentials file without
// quoting the file.
func fileError(path string, data []byte, isJSON bool, err error) error {
	if isJSON {
		return jsonError(path, data, err)
	}
	return yamlError(path, err)
}

func jsonError(path string, data []byte, err error) error {
	e := &FileError{Path: path, Format: "JSON", Msg: "a syntax error"}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		e.Line = lineAt(data, se.Offset)
		// "invalid character 'x' after …" could quote a secret.
		e.Msg = strings.Join(strings.Fields(quoted.ReplaceAllString(se.Error(), "")), " ")
	case errors.As(err, &te):
		e.Line = lineAt(data, te.Offset)
		e.Msg = fmt.Sprintf("%s where %s is expected", article(te.Value), expected(te.Type.String()))
		if te.Field != "" {
			e.Msg = fmt.Sprintf("%s is %s", te.Field, e.Msg)
		}
	}
	return e
}

// quoted matches a character quoted by encoding/json.
var quoted = regexp.MustCompile(`'[^']*'`)

// lineAt returns the line of data holding the octet at offset (or just
// before it).
func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 1), int64(len(data)))
	return 1 + bytes.Count(data[:offset-1], []byte("\n"))
}

// yamlLine and yamlType take apart yaml.v3's messages.
var (
	yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlType = regexp.MustCompile(`^line (\d+): cannot unmarshal !!(\w+) (?:.* )?into (\S+)$`)
)

func yamlError(path string, err error) error {
	e := &FileError{Path: path, Format: "YAML", Msg: "a syntax error"}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		if m := yamlType.FindStringSubmatch(te.Errors[0]); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Msg = fmt.Sprintf("%s where %s is expected", article(yamlKinds[m[2]]), expected(m[3]))
		}
		return e
	}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2] // the scanner's and parser's problems quote nothing of the file
	}
	return e
}

// yamlKinds maps yaml.v3's tags to encoding/json's kinds of value.
var yamlKinds = map[string]string{"str": "string", "int": "number", "float": "number", "bool": "bool", "seq": "array", "map": "object", "null": "null"}

// article says a kind of value of encoding/json ("array") in words ("a
// list").
func article(kind string) string {
	if w, ok := map[string]string{"string": "a string", "number": "a number", "bool": "a boolean", "array": "a list",
		"object": "a mapping", "null": "null"}[kind]; ok {
		return w
	}
	return "a value of another kind"
}

// expected names what a Go type of the file holds.
func expected(goType string) string {
	if strings.HasSuffix(goType, "Credential") {
		return "a credential (username, domain, password, token)"
	}
	return "a " + goType
}
