package runtime

import (
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
)

// adoMode is what a Foreach ADO enumerator walks (its EnumType, SSIS's
// ADOEnumerationType): the rows of the first table, the rows of every
// table, or the tables themselves.
type adoMode int

// The ADO enumeration modes, with ADOEnumerationType's values
// ("ADOEnumerationType Enumeration", Microsoft.SqlServer.Dts.Runtime.
// Enumerators.ADO).
const (
	adoTables         adoMode = 0 // EnumerateTables: "All tables (ADO.NET dataset only)"
	adoAllRows        adoMode = 1 // EnumerateAllRows: "Rows in all tables (ADO.NET dataset only)"
	adoRowsFirstTable adoMode = 2 // EnumerateRowsInFirstTable: "Rows in the first table"
)

// dataTableText is the text of an Object value holding one table of a
// DataSet, as the All tables mode hands it to a variable.
const dataTableText = "System.Data.DataTable"

// parseADOMode reads a persisted EnumType, by name or by value; an absent
// one is the editor's default, Rows in the first table.
func parseADOMode(s string) (adoMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "enumeraterowsinfirsttable", "2":
		return adoRowsFirstTable, nil
	case "enumerateallrows", "1":
		return adoAllRows, nil
	case "enumeratetables", "0":
		return adoTables, nil
	}
	return 0, fmt.Errorf("the ADO enumerator's EnumType %q is not EnumerateRowsInFirstTable, EnumerateAllRows or EnumerateTables", s)
}

// adoItems holds what the Foreach ADO enumerator walks: a row of values per
// item, and the names of the columns, for messages.
type adoItems struct {
	rows    [][]expr.Value
	columns [][]string // per item; nil for a table item
}

// enumerateADO walks the Object variable the Foreach ADO enumerator names
// (VarName) as the Foreach Loop Container page describes it: an ADO
// recordset (an OLE DB full result set, a *expr.Rowset) gives its rows in
// every mode; an ADO.NET DataSet gives the rows of its first table, the rows
// of all its tables in order, or one item per table, an Object holding the
// table, for a nested loop to walk. A table handed on that way (a
// DataTable) cannot be walked as tables: SSIS raises an error at run time.
func enumerateADO(props map[string]string, sc *scope) (adoItems, error) {
	name := strings.TrimSpace(props["varname"])
	mode, err := parseADOMode(props["enumtype"])
	if err != nil {
		return adoItems{}, err
	}
	if name == "" {
		return adoItems{}, fmt.Errorf("the ADO enumerator names no source variable (VarName): choose the Object variable an Execute SQL task fills with a full result set")
	}
	v, err := (&varEnv{sc: sc}).Lookup(name)
	if err != nil {
		return adoItems{}, fmt.Errorf("the ADO enumerator's source variable: %w", err)
	}
	var out adoItems
	addRows := func(r *expr.Rowset) {
		names := make([]string, len(r.Columns))
		for i, c := range r.Columns {
			names[i] = c.Name
		}
		for _, row := range r.Rows {
			out.rows = append(out.rows, row)
			out.columns = append(out.columns, names)
		}
	}
	switch h := v.Held().(type) {
	case *expr.Rowset:
		if h == nil {
			break
		}
		if mode == adoTables && v.String() == dataTableText {
			return adoItems{}, fmt.Errorf("the ADO enumerator walks the tables of %s, which holds one table (a DataTable), not a DataSet: choose Rows in the first table", name)
		}
		addRows(h)
		return out, nil
	case *expr.DataSet:
		if h == nil {
			break
		}
		switch mode {
		case adoRowsFirstTable:
			if len(h.Tables) > 0 && h.Tables[0] != nil {
				addRows(h.Tables[0])
			}
		case adoAllRows:
			for _, t := range h.Tables {
				if t != nil {
					addRows(t)
				}
			}
		case adoTables:
			for _, t := range h.Tables {
				out.rows = append(out.rows, []expr.Value{expr.Object(t, dataTableText)})
				out.columns = append(out.columns, nil)
			}
		}
		return out, nil
	case nil:
	default:
		return adoItems{}, fmt.Errorf("the ADO enumerator's source variable %s holds a %T, which is neither a recordset nor a DataSet", name, h)
	}
	if v.Type() != expr.TypeObject {
		return adoItems{}, fmt.Errorf("the ADO enumerator's source variable %s is a %v: it must be an Object variable that an Execute SQL task with ResultSetType Full result set fills", name, v.Type())
	}
	return adoItems{}, fmt.Errorf("the ADO enumerator's source variable %s holds no recordset (only what the package persisted, or NULL): an Execute SQL task with ResultSetType Full result set, storing its result in %s, must run before the loop", name, name)
}

// adoValue checks the value a Foreach ADO loop maps into a variable: SSIS
// assigns a column's NULL (DBNull) only to an Object variable, and refuses
// it elsewhere ("The type of the value being assigned to variable differs
// from the current variable type", DTS_E_RUNTIMEVARIABLETYPECHANGE).
// Other values are converted to the variable's type by the write.
func adoValue(sc *scope, variable string, v expr.Value, column string) error {
	if !v.IsNull() {
		return nil
	}
	target, err := sc.find(variable)
	if err != nil {
		return err
	}
	if target.dataType == dtsx.TypeObject {
		return nil
	}
	return fmt.Errorf("column %s is NULL, and %s is a %v variable: SSIS assigns a NULL (DBNull) only to an Object variable "+
		"(DTS_E_RUNTIMEVARIABLETYPECHANGE); replace NULLs in the query (ISNULL, COALESCE) or map the column to an Object variable",
		column, target.name, target.dataType)
}

// validateADO checks a Foreach ADO enumerator without running anything:
// its EnumType, and that its VarName names an Object variable in scope
// ("The variable specified for the Foreach ADO enumerator must be of Object
// data type", Foreach Loop Container). A VarName that a property
// expression sets is checked only when the loop runs; one that names no
// variable of this package may be a parent package's, so it is a warning.
func (p *Package) validateADO(x *dtsx.Executable) dtsx.Diagnostics {
	el, kind := enumerator(x)
	if kind != "ado" {
		return nil
	}
	var out dtsx.Diagnostics
	add := func(sev dtsx.Severity, msg, hint string) {
		out = append(out, dtsx.Diagnostic{Severity: sev, Code: CodeForeachADO, File: p.Def.File, Path: x.RefID,
			Line: p.Def.Line(x.DTSID), Message: fmt.Sprintf("Foreach Loop %q: %s", x.Name, msg), Hint: hint})
	}
	props := map[string]string{}
	var expressed []string
	for _, c := range el.ChildElements() {
		switch c.Tag {
		case "ObjectData":
			for _, d := range c.FindElements(".//FEEADO") {
				for _, a := range d.Attr {
					if a.Space == "" {
						props[strings.ToLower(a.Key)] = a.Value
					}
				}
			}
		case "PropertyExpression":
			expressed = append(expressed, strings.ToLower(c.SelectAttrValue("DTS:Name", c.SelectAttrValue("Name", ""))))
		}
	}
	setBy := func(names ...string) bool {
		for _, e := range expressed {
			for _, n := range names {
				if e == n {
					return true
				}
			}
		}
		return false
	}
	if !setBy("type", "enumtype") {
		if _, err := parseADOMode(props["enumtype"]); err != nil {
			add(dtsx.SeverityError, err.Error(), "open the loop in the designer and choose an enumeration mode")
		}
	}
	if setBy("dataobjectvariable", "varname") {
		return out
	}
	name := strings.TrimSpace(props["varname"])
	if name == "" {
		add(dtsx.SeverityError, "the ADO enumerator names no source variable (VarName)",
			"choose the Object variable an Execute SQL task fills with a full result set")
		return out
	}
	def := findVariableDef(p.Def.Executable, x, name)
	switch {
	case def == nil:
		add(dtsx.SeverityWarning, fmt.Sprintf("the ADO enumerator's source variable %s is not a variable of this package", name),
			"unless a parent package defines it, declare it as an Object variable")
	case def.DataType != dtsx.TypeObject:
		add(dtsx.SeverityError, fmt.Sprintf("the ADO enumerator's source variable %s is a %v variable; it must be an Object variable", def.QualifiedName(), def.DataType),
			"make it an Object variable, filled by an Execute SQL task with ResultSetType Full result set")
	}
	return out
}

// findVariableDef returns the definition of the variable name (qualified,
// or unqualified) that x sees: its own, then its ancestors' up to root.
func findVariableDef(root, x *dtsx.Executable, name string) *dtsx.Variable {
	name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(name), "@["), "]")
	for c := x; c != nil; c = c.Parent {
		for _, v := range c.Variables {
			if strings.EqualFold(v.QualifiedName(), name) || (!strings.Contains(name, "::") && strings.EqualFold(v.Name, name)) {
				return v
			}
		}
		if c == root {
			break
		}
	}
	return nil
}

// CodeForeachADO reports a Foreach ADO enumerator that cannot run as
// persisted.
const CodeForeachADO = "foreach-ado"

// adoMapping sets the variable of mapping m from row i of a Foreach ADO
// loop (columns names its columns; nil for a table item), by column index
// as the loop's Variable Mappings page does, converted to the variable's
// type.
func adoMapping(sc *scope, i int, row []expr.Value, columns []string, m mapping) error {
	what := fmt.Sprintf("row %d", i+1)
	if columns == nil {
		what = fmt.Sprintf("table %d", i+1)
	}
	if m.index >= len(row) {
		if columns == nil {
			return fmt.Errorf("%s is one value (the table, index 0), and the mapping of %s reads index %d", what, m.variable, m.index)
		}
		return fmt.Errorf("%s has %d columns (%s), and the mapping of %s reads column index %d (indexes start at 0)",
			what, len(row), strings.Join(columns, ", "), m.variable, m.index)
	}
	column := fmt.Sprintf("%d", m.index)
	if m.index < len(columns) && columns[m.index] != "" {
		column = fmt.Sprintf("%d (%s)", m.index, columns[m.index])
	}
	v := row[m.index]
	if err := adoValue(sc, m.variable, v, column); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := sc.write(m.variable, v); err != nil {
		return fmt.Errorf("%s, column %s: %w", what, column, err)
	}
	return nil
}
