package expr

import (
	"fmt"
	"strings"
)

// Object returns an Object value holding x, what a task leaves in an Object
// variable at run time: a *Rowset from an Execute SQL task's full result set,
// say. x must be a pointer or another comparable value, so that Values stay
// comparable. The value's text (what String shows, as SSIS shows an Object
// variable's type name) is text.
func Object(x any, text string) Value { return Value{t: TypeObject, s: text, obj: x} }

// Held returns what an Object value holds, or nil for one that holds nothing
// but persisted text (and for a value of any other type).
func (v Value) Held() any {
	if v.t != TypeObject {
		return nil
	}
	return v.obj
}

// Column is a column of a Rowset: its name as the statement returned it and
// the type its values have.
type Column struct {
	Name string
	Type Type
}

// Rowset is a table of typed values held in an Object variable: the rows of a
// full result set (an ADO recordset in SSIS), which a Foreach ADO enumerator
// walks. Rows are in the order the server returned them; each row has a
// value per column.
type Rowset struct {
	Columns []Column
	Rows    [][]Value
}

// RowsetText is the text an Object holding a Rowset shows, as SSIS shows the
// type of an ADO recordset in a variable.
const RowsetText = "System.__ComObject"

// Column returns the index of the column named name (case-insensitive, as
// SSIS binds result columns), or -1.
func (r *Rowset) Column(name string) int {
	for i, c := range r.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// String describes the rowset for messages: its columns and row count, never
// its values.
func (r *Rowset) String() string {
	names := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		names[i] = c.Name
	}
	return fmt.Sprintf("rowset (%s): %d rows", strings.Join(names, ", "), len(r.Rows))
}

// DataSet is the tables an ADO.NET full result set leaves in an Object
// variable (a System.Data.DataSet in SSIS): one Rowset per result the
// statement returned.
type DataSet struct {
	Tables []*Rowset
}

// DataSetText is the text an Object holding a DataSet shows.
const DataSetText = "System.Data.DataSet"
