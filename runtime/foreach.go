package runtime

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
)

// enumeratorKind is the kind of a Foreach Loop's enumerator, from its
// CreationName (format 8: Microsoft.ForEachFileEnumerator; older formats:
// DTS.ForEachFileEnumerator.3 or an assembly-qualified .NET name).
func enumeratorKind(creationName string) string {
	n := strings.ToLower(creationName)
	for _, k := range []string{"file", "item", "fromvar", "nodelist", "ado", "smo", "schemarowset", "hdfs", "azureblob", "datalake"} {
		if strings.Contains(n, "foreach"+k+"enumerator") {
			return k
		}
	}
	return ""
}

// enumerator returns the DTS:ForEachEnumerator element of a Foreach Loop
// and its kind; kind is "" for an unknown one.
func enumerator(x *dtsx.Executable) (*etree.Element, string) {
	for _, c := range x.Element.ChildElements() {
		if c.Tag == "ForEachEnumerator" {
			o := dtsx.Object{Element: c}
			cn, _ := o.Property("CreationName")
			return c, enumeratorKind(cn)
		}
	}
	return nil, ""
}

// foreachSupported reports whether this runtime can run a Foreach Loop's
// enumerator, and if not, why.
func foreachSupported(x *dtsx.Executable) (bool, string) {
	e, kind := enumerator(x)
	switch {
	case e == nil:
		return false, "it has no enumerator"
	case kind == "file", kind == "item", kind == "fromvar", kind == "nodelist", kind == "ado":
		return true, ""
	}
	cn, _ := (&dtsx.Object{Element: e}).Property("CreationName")
	return false, fmt.Sprintf("its enumerator %s is not supported here", cn)
}

// mapping is a Foreach Loop variable mapping: the column of each item that
// goes into a variable.
type mapping struct {
	variable string
	index    int
}

func mappings(x *dtsx.Executable) ([]mapping, error) {
	var out []mapping
	for _, c := range x.Element.ChildElements() {
		if c.Tag != "ForEachVariableMappings" && c.Tag != "ForEachVariableMapping" {
			continue
		}
		list := []*etree.Element{c}
		if c.Tag == "ForEachVariableMappings" {
			list = c.ChildElements()
		}
		for _, m := range list {
			o := dtsx.Object{Element: m}
			name, _ := o.Property("VariableName")
			idx, _ := o.Property("ValueIndex")
			n, err := strconv.Atoi(strings.TrimSpace(idx))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("variable mapping for %s: ValueIndex %q is not an index", name, idx)
			}
			out = append(out, mapping{variable: name, index: n})
		}
	}
	return out, nil
}

// foreachLoop runs a Foreach Loop container: its enumerator's property
// expressions are applied, the collection is enumerated, and for each item
// the mapped variables are set and the body runs, in order. A body that
// fails ends the loop.
func (r *run) foreachLoop(ctx context.Context, x *dtsx.Executable, sc *scope) Status {
	fail := func(err error) Status {
		r.raise(ctx, "OnError", x, sc, fmt.Sprintf("Foreach Loop %q: %v", x.Name, err), -1)
		return Failure
	}
	el, kind := enumerator(x)
	if ok, why := foreachSupported(x); !ok {
		return fail(fmt.Errorf("%s", why))
	}
	maps, err := mappings(x)
	if err != nil {
		return fail(err)
	}
	props, err := r.enumeratorProps(el, sc)
	if err != nil {
		return fail(err)
	}
	var items [][]expr.Value
	var columns [][]string // the ADO enumerator's column names, per item
	switch kind {
	case "file":
		items, err = r.enumerateFiles(props)
	case "item":
		items, err = enumerateItems(el)
	case "fromvar":
		items, err = enumerateVariable(props, sc)
	case "nodelist":
		items, err = r.enumerateNodes(props, sc)
	case "ado":
		var ado adoItems
		ado, err = enumerateADO(props, sc)
		items, columns = ado.rows, ado.columns
	}
	if err != nil {
		return fail(err)
	}
	for i, item := range items {
		if ctx.Err() != nil {
			return Canceled
		}
		for _, m := range maps {
			if columns != nil {
				if err := adoMapping(sc, i, item, columns[i], m); err != nil {
					return fail(err)
				}
				continue
			}
			if m.index >= len(item) {
				return fail(fmt.Errorf("item %d has %d values, and the mapping of %s reads value %d", i+1, len(item), m.variable, m.index))
			}
			if err := sc.write(m.variable, item[m.index]); err != nil {
				return fail(fmt.Errorf("item %d: %w", i+1, err))
			}
		}
		if st := r.container(ctx, x, sc); st != Success {
			return st
		}
	}
	return Success
}

// enumeratorProps reads the enumerator's properties (the attributes of the
// elements in its ObjectData, by name, lower-cased) and applies its
// property expressions, evaluated in sc, before each enumeration as SSIS
// does. The File enumerator's Directory property is its Folder.
func (r *run) enumeratorProps(el *etree.Element, sc *scope) (map[string]string, error) {
	props := map[string]string{}
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, a := range e.Attr {
			if a.Space == "" || a.Space == "xmlns" {
				if a.Space == "" {
					props[strings.ToLower(a.Key)] = a.Value
				}
			}
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	for _, c := range el.ChildElements() {
		if c.Tag == "ObjectData" {
			for _, d := range c.ChildElements() {
				walk(d)
			}
		}
	}
	for _, c := range el.ChildElements() {
		if c.Tag != "PropertyExpression" {
			continue
		}
		name := c.SelectAttrValue("DTS:Name", c.SelectAttrValue("Name", ""))
		v, err := r.eval(c.Text(), sc)
		if err != nil {
			return nil, fmt.Errorf("enumerator property expression for %s (%s): %w", name, c.Text(), err)
		}
		key := strings.ToLower(name)
		if key == "directory" {
			key = "folder"
		}
		props[key] = propertyText(v)
	}
	return props, nil
}

// enumerateFiles lists the files of the File enumerator: Folder (mapped to
// a local path), FileSpec (wildcards * and ?, matched without regard to
// case as Windows does), Recurse, and FileNameRetrievalType (0 the full
// path, 1 the name with its extension, 2 the name only). Files come in
// name order, as NTFS lists them.
func (r *run) enumerateFiles(props map[string]string) ([][]expr.Value, error) {
	folder := r.opts.Paths.Local(props["folder"], filepath.Dir(r.p.Def.File))
	spec := strings.TrimSpace(props["filespec"])
	if spec == "" {
		spec = "*.*"
	}
	recurse := isTrue(props["recurse"])
	form := strings.TrimSpace(props["filenameretrievaltype"])
	if folder == "" {
		return nil, fmt.Errorf("the File enumerator has no folder")
	}
	if abs, err := filepath.Abs(folder); err == nil {
		folder = abs // items are full paths, whatever the working directory
	}
	if st, err := os.Stat(folder); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("the File enumerator's folder %s (%s here) is not a folder: %v", props["folder"], folder, err)
	}
	var paths []string
	err := filepath.WalkDir(folder, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != folder && !recurse {
				return filepath.SkipDir
			}
			return nil
		}
		if wildcardMatch(spec, d.Name()) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("the File enumerator: %w", err)
	}
	sort.Strings(paths)
	out := make([][]expr.Value, 0, len(paths))
	for _, p := range paths {
		name := filepath.Base(p)
		switch form {
		case "1":
			p = name
		case "2":
			p = strings.TrimSuffix(name, filepath.Ext(name))
		}
		out = append(out, []expr.Value{expr.Str(p)})
	}
	return out, nil
}

// wildcardMatch matches a Windows file spec: * any run, ? one character,
// case-insensitive; "*.*" matches names without a dot too.
func wildcardMatch(spec, name string) bool {
	spec, name = strings.ToLower(spec), strings.ToLower(name)
	if spec == "*.*" || spec == "*" {
		return true
	}
	var match func(s, n string) bool
	match = func(s, n string) bool {
		for len(s) > 0 {
			switch s[0] {
			case '*':
				for i := 0; i <= len(n); i++ {
					if match(s[1:], n[i:]) {
						return true
					}
				}
				return false
			case '?':
				if len(n) == 0 {
					return false
				}
				s, n = s[1:], n[1:]
			default:
				if len(n) == 0 || s[0] != n[0] {
					return false
				}
				s, n = s[1:], n[1:]
			}
		}
		return len(n) == 0
	}
	return match(spec, name)
}

// enumerateItems reads the Item enumerator's items: FEIEItems/FEIEItem,
// each a row of FEIEItemValue with a VARIANT Type and a Value.
func enumerateItems(el *etree.Element) ([][]expr.Value, error) {
	var out [][]expr.Value
	for _, item := range el.FindElements(".//FEIEItem") {
		var row []expr.Value
		for _, iv := range item.SelectElements("FEIEItemValue") {
			t, err := strconv.Atoi(iv.SelectAttrValue("Type", "8"))
			if err != nil {
				return nil, fmt.Errorf("item %d: Type %q is not a type code", len(out)+1, iv.SelectAttrValue("Type", ""))
			}
			v, err := expr.FromDataType(dtsx.DataType(t), iv.SelectAttrValue("Value", ""))
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", len(out)+1, err)
			}
			row = append(row, v)
		}
		out = append(out, row)
	}
	return out, nil
}

// enumerateVariable enumerates the value of the variable the From Variable
// enumerator names. Only a value that is a collection can be enumerated;
// here that is an Object variable a task filled with a list.
func enumerateVariable(props map[string]string, sc *scope) ([][]expr.Value, error) {
	name := props["variablename"]
	v, err := (&varEnv{sc: sc}).Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("the From Variable enumerator: %w", err)
	}
	var out [][]expr.Value
	switch l := v.Go().(type) {
	case []expr.Value:
		for _, e := range l {
			out = append(out, []expr.Value{e})
		}
	case [][]expr.Value:
		out = l
	case []string:
		for _, s := range l {
			out = append(out, []expr.Value{expr.Str(s)})
		}
	default:
		return nil, fmt.Errorf("the From Variable enumerator: %s holds a %v, which cannot be enumerated (it needs an Object variable holding a collection)", name, v.Type())
	}
	return out, nil
}

// enumerateNodes runs the NodeList enumerator. The document comes from a
// file connection (SourceType 0), a variable (1) or the property itself
// (2); OuterXPathString selects the nodes, with the XPath subset etree
// supports (paths, //, predicates on attributes and children). By
// EnumerationType, each item is the node's XML (0 Navigator, 1 Node), its
// text (2 NodeText), or for ElementCollection (3) one value per match of
// InnerXPathString inside it.
func (r *run) enumerateNodes(props map[string]string, sc *scope) ([][]expr.Value, error) {
	doc := etree.NewDocument()
	src := props["sourcedocument"]
	var text string
	switch props["sourcetype"] {
	case "0", "FileConnection":
		m, err := r.p.Connection(src)
		if err != nil {
			return nil, fmt.Errorf("the NodeList enumerator's source: %w", err)
		}
		fm, ok := m.(*file.Manager)
		if !ok || len(fm.Paths()) == 0 {
			return nil, fmt.Errorf("the NodeList enumerator's source %q is not a file connection manager", src)
		}
		b, err := os.ReadFile(r.opts.Paths.Local(fm.Paths()[0], filepath.Dir(r.p.Def.File)))
		if err != nil {
			return nil, fmt.Errorf("the NodeList enumerator's source: %w", err)
		}
		text = string(b)
	case "1", "Variable":
		v, err := (&varEnv{sc: sc}).Lookup(src)
		if err != nil {
			return nil, fmt.Errorf("the NodeList enumerator's source: %w", err)
		}
		text = propertyText(v)
	default:
		text = src
	}
	if err := doc.ReadFromString(text); err != nil {
		return nil, fmt.Errorf("the NodeList enumerator's document is not XML: %w", err)
	}
	outer, err := etree.CompilePath(xpathForEtree(props["outerxpathstring"]))
	if err != nil {
		return nil, fmt.Errorf("the NodeList enumerator's OuterXPathString %q: %w", props["outerxpathstring"], err)
	}
	var inner etree.Path
	kind := props["enumerationtype"]
	if kind == "3" || kind == "ElementCollection" {
		if inner, err = etree.CompilePath(xpathForEtree(props["innerxpathstring"])); err != nil {
			return nil, fmt.Errorf("the NodeList enumerator's InnerXPathString %q: %w", props["innerxpathstring"], err)
		}
	}
	var out [][]expr.Value
	for _, e := range doc.FindElementsPath(outer) {
		switch kind {
		case "2", "NodeText":
			out = append(out, []expr.Value{expr.Str(e.Text())})
		case "3", "ElementCollection":
			var row []expr.Value
			for _, c := range e.FindElementsPath(inner) {
				row = append(row, expr.Str(c.Text()))
			}
			out = append(out, row)
		default:
			d := etree.NewDocument()
			d.SetRoot(e.Copy())
			s, _ := d.WriteToString()
			out = append(out, []expr.Value{expr.Str(s)})
		}
	}
	return out, nil
}

// xpathForEtree makes an absolute XPath relative to the document, as
// etree's paths are.
func xpathForEtree(p string) string {
	p = strings.TrimSpace(p)
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") {
		return "." + p
	}
	if strings.HasPrefix(p, "//") {
		return "." + p
	}
	return p
}
