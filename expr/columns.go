package expr

import (
	"fmt"
	"sort"
	"strings"
)

// FlowColumn is a data flow column an expression can name: an input column of
// a Derived Column or Conditional Split, or the output column a Derived
// Column writes (FlowColumn.Store).
type FlowColumn struct {
	// Name is the column's name, as [Name] or Name refers to it.
	Name string
	// Source is the name of the component whose output holds the column,
	// as the dotted notation Source.Name and [Source].[Name] qualify it.
	// It may be empty.
	Source string
	// Lineage is the column's lineageId attribute: a number in formats 2
	// and 3 ("123", written #123), a refId path in format 8
	// (`Package\Data Flow Task\Source.Outputs[Source Output].Columns[Name]`,
	// written #{...}). It may be empty.
	Lineage string
	// Spec is the column's data type, with its length, code page,
	// precision or scale.
	Spec TypeSpec
}

// ref renders the column as an expression names it, for messages.
func (c FlowColumn) ref() string {
	if c.Source != "" {
		return "[" + c.Source + "].[" + c.Name + "]"
	}
	return "[" + c.Name + "]"
}

// Columns is the column environment an expression compiles against: the
// columns of a row, in row order. The index of a column in the list given
// to NewColumns is its index in the rows Program.Eval reads.
type Columns struct {
	list      []FlowColumn
	byName    map[string][]int
	byLineage map[string]int
}

// NewColumns builds a column environment. Two columns with the same
// lineage, or with the same source and name, are an error, and so is a
// column without a name or a type.
func NewColumns(cols []FlowColumn) (*Columns, error) {
	cs := &Columns{list: cols, byName: map[string][]int{}, byLineage: map[string]int{}}
	qualified := map[[2]string]int{}
	for i, c := range cols {
		if c.Name == "" {
			return nil, fmt.Errorf("%w: column %d has no name", ErrColumnSet, i)
		}
		if _, ok := typeNames[c.Spec.Type]; !ok || c.Spec.Type == TypeEmpty || c.Spec.Type == TypeObject {
			return nil, fmt.Errorf("%w: column %s has no data flow type (%s)", ErrColumnSet, c.ref(), c.Spec.Type)
		}
		if c.Lineage != "" {
			if j, dup := cs.byLineage[c.Lineage]; dup {
				return nil, fmt.Errorf("%w: columns %s and %s have the same lineage %q", ErrColumnSet, cols[j].ref(), c.ref(), c.Lineage)
			}
			cs.byLineage[c.Lineage] = i
		}
		key := [2]string{c.Source, c.Name}
		if j, dup := qualified[key]; dup {
			return nil, fmt.Errorf("%w: columns %d and %d are both %s", ErrColumnSet, j, i, c.ref())
		}
		qualified[key] = i
		cs.byName[c.Name] = append(cs.byName[c.Name], i)
	}
	return cs, nil
}

// Len returns the number of columns.
func (cs *Columns) Len() int { return len(cs.list) }

// Column returns the column at index i.
func (cs *Columns) Column(i int) FlowColumn { return cs.list[i] }

// Resolve finds the column a reference names, written as in an
// expression: [Name], Name, Source.Name, [Source].[Name], #123 or
// #{refId path}. It returns the column's index. An unknown column is an
// error wrapping ErrUnknownColumn, a name two sources share one wrapping
// ErrAmbiguousColumn (DTS_E_EXPREVALSTATIC_AMBIGUOUSINPUTCOLUMNNAME: the
// fix is [Source].[Name] or the lineage).
func (cs *Columns) Resolve(ref string) (int, error) {
	if strings.HasPrefix(ref, "#") {
		lineage := ref[1:]
		if strings.HasPrefix(lineage, "{") && strings.HasSuffix(lineage, "}") {
			lineage = lineage[1 : len(lineage)-1]
		}
		if i, ok := cs.byLineage[lineage]; ok {
			return i, nil
		}
		return 0, failf(ErrUnknownColumn, "no input column has the lineage %s", ref)
	}
	parts, ok := splitRef(ref)
	if !ok {
		return 0, failf(ErrUnknownColumn, "%s is not a column reference; write [Name] or [Source].[Name]", ref)
	}
	name, source := parts[len(parts)-1], ""
	if len(parts) == 2 {
		source = parts[0]
	}
	var found []int
	for _, i := range cs.byName[name] {
		if source == "" || cs.list[i].Source == source {
			found = append(found, i)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return 0, cs.unknown(ref, source, name)
	}
	refs := make([]string, len(found))
	for k, i := range found {
		refs[k] = cs.list[i].ref()
	}
	sort.Strings(refs)
	return 0, failf(ErrAmbiguousColumn, "%s could be %s; qualify it as %s or use its lineage", ref, strings.Join(refs, " or "), refs[0])
}

func (cs *Columns) unknown(ref, source, name string) error {
	var hint []string
	for _, c := range cs.list {
		if strings.EqualFold(c.Name, name) && (source == "" || strings.EqualFold(c.Source, source)) {
			hint = append(hint, c.ref())
		}
	}
	if len(hint) > 0 {
		sort.Strings(hint)
		return failf(ErrUnknownColumn, "no input column is named %s; column names are case-sensitive: did you mean %s?", ref, strings.Join(hint, " or "))
	}
	if source != "" {
		return failf(ErrUnknownColumn, "no input column %s comes from %q", name, source)
	}
	return failf(ErrUnknownColumn, "no input column is named %s", ref)
}

// splitRef splits Name, [Name], Source.Name and [Source].[Name] into one or
// two names without brackets.
func splitRef(ref string) ([]string, bool) {
	var parts []string
	for rest := ref; ; {
		var part string
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, false
			}
			part, rest = rest[1:end], rest[end+1:]
		} else if i := strings.IndexByte(rest, '.'); i >= 0 {
			part, rest = rest[:i], rest[i:]
		} else {
			part, rest = rest, ""
		}
		parts = append(parts, part)
		if rest == "" {
			break
		}
		if !strings.HasPrefix(rest, ".") || len(rest) == 1 {
			return nil, false
		}
		rest = rest[1:]
	}
	if len(parts) > 2 {
		return nil, false
	}
	return parts, true
}

// Store converts v to the column's type, as a Derived Column writes an
// expression's result to its output column (Derived Column
// Transformation: the result is converted to the column's data type,
// length, precision, scale and code page). A NULL stays NULL. A value the
// type cannot hold (an illegal cast, a number out of range or precision,
// text that does not parse) is a *ConversionError; a string or byte
// string longer than the column is a *TruncationError, returned together
// with the value cut to the column's length. A cast inside the expression
// truncates silently, as "Data Truncation (SSIS Expressions)" says the
// evaluator does at run time: only the store into the column checks.
func (c FlowColumn) Store(v Value) (Value, error) {
	s := c.Spec
	if v.null {
		return NullSpec(s), nil
	}
	if w, ok := storeFast(v, s); ok {
		return w, nil
	}
	if !CastLegal(v.t, s.Type) {
		return Value{}, &ConversionError{Column: c.Name, Err: failf(ErrCast, "cannot store %s in a %s column", v.t, s)}
	}
	if s.Length > 0 && (s.Type == TypeWStr || s.Type == TypeStr || s.Type == TypeBytes) {
		full := s
		full.Length = 0
		w, err := convert(v, full)
		if err != nil {
			return Value{}, &ConversionError{Column: c.Name, Err: err}
		}
		var n int
		switch {
		case s.Type == TypeBytes, s.Type == TypeStr && s.CodePage == 65001:
			n = len(w.s)
		default:
			n = unitLen(w.s)
		}
		if n > s.Length {
			cut, _ := convert(w, s)
			return cut, &TruncationError{Column: c.Name, Spec: s, Length: n}
		}
		return w, nil
	}
	w, err := convert(v, s)
	if err != nil {
		return Value{}, &ConversionError{Column: c.Name, Err: err}
	}
	return w, nil
}

// Cast converts v to the type spec as the cast operator does: the value of
// (DT_NUMERIC,10,2)v, (DT_STR,50,1252)v or (DT_DBTIMESTAMP2,3)v, strings
// cut silently to the length, characters outside a DT_STR's code page
// replaced by "?". It is how a data flow builds a typed column value from
// text or from another type. The cast must be legal (CastLegal); a value
// that does not convert is an error wrapping ErrConversion or
// ErrOverflow.
func (v Value) Cast(s TypeSpec) (Value, error) {
	if !CastLegal(v.t, s.Type) {
		return Value{}, failf(ErrCast, "cannot cast %s to %s", v.t, s.Type)
	}
	return convert(v, s)
}

// storeFast stores the values a data flow writes most, without the general
// conversion: an integer into a column of its own type, and ASCII text
// that fits into a DT_WSTR or DT_STR column (ASCII is the same in every
// code page, so nothing is replaced, and its length is its length in
// characters and in bytes). Anything else reports false and takes the
// general path, which checks and converts.
func storeFast(v Value, s TypeSpec) (Value, bool) {
	switch {
	case v.t == s.Type && v.t.IsInteger():
		return v, true
	case (v.t == TypeWStr || v.t == TypeStr) && (s.Type == TypeWStr || s.Type == TypeStr):
		if s.Length > 0 && len(v.s) > s.Length || !isASCII(v.s) {
			return Value{}, false
		}
		w := Value{t: s.Type, s: v.s}
		if s.Type == TypeStr {
			w.cp = int32(s.CodePage)
		}
		return w, true
	}
	return Value{}, false
}
