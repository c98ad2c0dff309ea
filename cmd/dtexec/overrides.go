package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime/override"
)

func setSet(st *state, opt, v string, _ bool) error {
	path, val, err := optionPair(opt, v, true, "propertyPath", "property path",
		`in bash, quote the whole value: /Set '\Package.Variables[User::X].Properties[Value];42'`)
	if err != nil {
		return err
	}
	target, err := override.ParsePath(path)
	if err != nil {
		var pe *override.PathError
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = fmt.Sprintf("property path %q: offset %d: %s", pe.Path, pe.Offset, pe.Msg)
		}
		return &OptionError{Option: opt, Msg: msg, Err: err,
			Hint: `paths look like \Package.Variables[User::X].Properties[Value]`}
	}
	st.o.Overrides = append(st.o.Overrides, runner.Override{Set: &runner.Set{Path: target, Value: val}})
	return nil
}

// optionPair splits the value of /Set or /Par at its first ';' outside
// quotes (and outside [ ] when brackets is set) into the unquoted key and
// value. Its errors are *OptionError: key is how the expected form
// "key;value" names the first part, what how an unquoting error names it,
// and hint how to quote the whole value.
func optionPair(opt, v string, brackets bool, key, what, hint string) (string, string, error) {
	i := splitAt(v, brackets)
	if i < 0 {
		return "", "", &OptionError{Option: opt, Msg: "expected " + key + ";value (no ';' found)", Hint: hint}
	}
	k, err := unquote(v[:i])
	if err != nil {
		return "", "", &OptionError{Option: opt, Msg: what + ": " + err.Error()}
	}
	val, err := unquote(v[i+1:])
	if err != nil {
		return "", "", &OptionError{Option: opt, Msg: "value: " + err.Error()}
	}
	return k, val, nil
}

// setConn reads name;connection_string[;name;connection_string...]. The
// connection string itself holds ';': it is the rest of the value unless it
// is quoted, in which case more pairs may follow it.
func setConn(st *state, opt, v string, _ bool) error {
	rest := v
	n := 0
	for {
		i := splitAt(rest, false)
		if i < 0 {
			if n > 0 && strings.TrimSpace(rest) == "" {
				return nil
			}
			return &OptionError{Option: opt, Msg: "expected name;connection_string (no ';' found)",
				Hint: `in bash, quote the whole value: /Conn 'SMTP Connection Manager;SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=True;'`}
		}
		name, err := unquote(rest[:i])
		if err != nil {
			return &OptionError{Option: opt, Msg: "connection name: " + err.Error()}
		}
		rest = rest[i+1:]
		var cs string
		if strings.HasPrefix(rest, `"`) {
			j := splitAt(rest, false)
			part := rest
			if j >= 0 {
				part, rest = rest[:j], rest[j+1:]
			} else {
				rest = ""
			}
			if cs, err = unquote(part); err != nil {
				return &OptionError{Option: opt, Msg: "connection string: " + err.Error()}
			}
		} else {
			cs, rest = rest, ""
		}
		if strings.TrimSpace(name) == "" || strings.TrimSpace(cs) == "" {
			return &OptionError{Option: opt, Msg: "both the connection manager (name or {GUID}) and the connection string must be given"}
		}
		st.o.Overrides = append(st.o.Overrides, runner.Override{Conn: &runner.Conn{Name: name, ConnectionString: cs}})
		n++
		if rest == "" {
			return nil
		}
	}
}

// typeCodes are the CLR TypeCode names /Par takes in parentheses.
var typeCodes = []string{"Boolean", "Byte", "Char", "DateTime", "DBNull", "Decimal", "Double", "Empty",
	"Int16", "Int32", "Int64", "Object", "SByte", "Single", "String", "UInt16", "UInt32", "UInt64"}

// setParam reads [$Package::|$Project::]name[(type)];value into the
// runner's parameter override ("$Package::name" or "$Project::name"), and
// CM.<connection>.<property>;value into the /Set of that property.
func setParam(st *state, opt, v string, _ bool) error {
	name, val, err := optionPair(opt, v, false, "name", "parameter name",
		`in bash, quote the whole value: /Par '$Package::Name;value'`)
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	scope := "Package"
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lower, "$package::"):
		name = name[len("$package::"):]
	case strings.HasPrefix(lower, "$project::"):
		scope, name = "Project", name[len("$project::"):]
	case strings.HasPrefix(lower, "$serveroption::"):
		return &WindowsOnlyError{Option: opt, Msg: "$ServerOption:: parameters (SYNCHRONIZED, LOGGING_LEVEL, ...) set options of executions in the SSISDB catalog",
			Instead: "remove them; a run here is synchronous and logs to the console"}
	case strings.HasPrefix(name, "$"):
		return &OptionError{Option: opt, Msg: fmt.Sprintf("unknown parameter scope in %q", name), Hint: "use $Package::, $Project:: or CM.<connection>.<property>"}
	}
	if strings.HasSuffix(name, ")") {
		open := strings.LastIndexByte(name, '(')
		if open < 0 {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q has a ) without (", name)}
		}
		t := strings.TrimSpace(name[open+1 : len(name)-1])
		name = strings.TrimSpace(name[:open])
		typ := ""
		for _, c := range typeCodes {
			if strings.EqualFold(c, t) {
				typ = c
			}
		}
		if typ == "" {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("unknown data type %q", t), Hint: "use a CLR TypeCode: " + strings.Join(typeCodes, ", ")}
		}
		if reason := checkTyped(typ, val); reason != "" {
			// The value is not quoted: the parameter may be sensitive,
			// which only the package says.
			return &OptionError{Option: opt, Msg: fmt.Sprintf("the value of %s is not a valid %s: %s", name, typ, reason)}
		}
	}
	if scope == "Package" && len(name) > 3 && strings.EqualFold(name[:3], "CM.") {
		cm := name[3:]
		dot := strings.LastIndexByte(cm, '.')
		if dot <= 0 || dot == len(cm)-1 {
			return &OptionError{Option: opt, Msg: fmt.Sprintf("%q is not CM.<connection>.<property>", name),
				Hint: "e.g. CM.SourceServer.InitialCatalog"}
		}
		conn, prop := cm[:dot], cm[dot+1:]
		if strings.TrimSpace(conn) == "" {
			return &OptionError{Option: opt, Msg: "empty parameter name"}
		}
		path, err := override.ParsePath(`\Package.Connections[` + conn + `].Properties[` + prop + `]`)
		if err != nil {
			return &OptionError{Option: opt + " CM." + conn + "." + prop, Msg: err.Error(), Err: err}
		}
		st.o.Overrides = append(st.o.Overrides, runner.Override{Set: &runner.Set{Path: path, Value: val}})
		return nil
	}
	if strings.TrimSpace(name) == "" {
		return &OptionError{Option: opt, Msg: "empty parameter name"}
	}
	st.o.Overrides = append(st.o.Overrides, runner.Override{Param: &runner.Param{Name: "$" + scope + "::" + name, Value: val}})
	return nil
}

// checkTyped checks a /Par value against its declared type; "" means it
// fits.
func checkTyped(t, v string) string {
	v = strings.TrimSpace(v)
	bits := map[string]int{"SByte": 8, "Int16": 16, "Int32": 32, "Int64": 64, "Byte": 8, "UInt16": 16, "UInt32": 32, "UInt64": 64}
	switch t {
	case "SByte", "Int16", "Int32", "Int64":
		if _, err := strconv.ParseInt(v, 10, bits[t]); err != nil {
			return "expected a whole number in the range of " + t
		}
	case "Byte", "UInt16", "UInt32", "UInt64":
		if _, err := strconv.ParseUint(v, 10, bits[t]); err != nil {
			return "expected a whole number in the range of " + t
		}
	case "Single", "Double", "Decimal":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "expected a number"
		}
	case "Boolean":
		switch strings.ToLower(v) {
		case "true", "false", "1", "0", "-1":
		default:
			return "expected True or False"
		}
	}
	return ""
}
