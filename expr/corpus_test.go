package expr

import (
	"encoding/xml"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// xnode is an element of a package read for this test only: the data flow
// layout (components, their input and output columns and properties) is
// the data flow engine's to model.
type xnode struct {
	name  string
	attrs map[string]string
	kids  []*xnode
	text  string
}

func readTree(t *testing.T, path string) *xnode {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	root := &xnode{}
	stack := []*xnode{root}
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text += string(tok)
		}
	}
	return root
}

func (n *xnode) each(name string, fn func(*xnode)) {
	for _, k := range n.kids {
		if k.name == name {
			fn(k)
		}
		k.each(name, fn)
	}
}

// TestCorpusDataFlowExpressions compiles every Derived Column and
// Conditional Split expression of the corpus, in both its forms (the
// persisted Expression by lineage and the FriendlyExpression by name),
// against the component's input columns typed from the upstream output
// columns' metadata and the package's variables. Expressions that read a
// variable the file does not declare (a System variable) are only parsed.
//
// The persisted Expression is what runs; a FriendlyExpression is only its
// rendering by name, which the designer rewrites when it saves, so a stale
// one is listed in staleFriendly rather than failed.
func TestCorpusDataFlowExpressions(t *testing.T) {
	// staleFriendly lists FriendlyExpressions that name a component by a
	// former name, keyed "file: component", with the reason.
	staleFriendly := map[string]string{
		// The Lookup that supplies AIRCRAFT_ID is now LKP-DIM Flight; the
		// persisted Expression names it by lineage and compiles.
		"RanaRauf__FDD_First/pkg_FDD_ETL_FACT_USAGE.dtsx: Drv-AircraftID": "component renamed",
	}
	dir := testcorpus.Dir(t)
	parsed, compiled, stale := 0, 0, 0
	err := filepath.WalkDir(dir, func(path string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() || !strings.EqualFold(filepath.Ext(path), ".dtsx") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		root := readTree(t, path)
		vars := packageVariables(root)
		outputs := map[string]FlowColumn{}
		root.each("component", func(comp *xnode) {
			comp.each("outputColumn", func(oc *xnode) {
				spec, err := ColumnSpec(oc.attrs["dataType"], atoi(oc.attrs["length"]), atoi(oc.attrs["precision"]), atoi(oc.attrs["scale"]), atoi(oc.attrs["codePage"]))
				if err != nil {
					return // a column of a type expressions cannot read
				}
				outputs[oc.attrs["lineageId"]] = FlowColumn{Name: oc.attrs["name"], Source: comp.attrs["name"], Lineage: oc.attrs["lineageId"], Spec: spec}
			})
		})
		root.each("component", func(comp *xnode) {
			var list []FlowColumn
			comp.each("inputColumn", func(ic *xnode) {
				if c, ok := outputs[ic.attrs["lineageId"]]; ok {
					list = append(list, c)
				}
			})
			var cols *Columns
			comp.each("property", func(p *xnode) {
				if name := p.attrs["name"]; name != "Expression" && name != "FriendlyExpression" {
					return
				}
				src := strings.TrimSpace(p.text)
				if src == "" {
					return
				}
				where := rel + ": " + comp.attrs["name"] + " " + p.attrs["name"] + " " + strconv.Quote(src)
				e, err := Parse(src)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					return
				}
				parsed++
				for _, r := range e.Refs() {
					if _, err := vars.Lookup(r); err != nil {
						return // a System variable, or one of another scope
					}
				}
				if cols == nil {
					if cols, err = NewColumns(list); err != nil {
						t.Errorf("%s: %v", where, err)
						return
					}
				}
				if _, err := e.Compile(cols, vars); err != nil {
					if _, ok := staleFriendly[rel+": "+comp.attrs["name"]]; ok && p.attrs["name"] == "FriendlyExpression" {
						stale++
						return
					}
					t.Errorf("%s: %v", where, err)
					return
				}
				compiled++
			})
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if stale != len(staleFriendly) {
		t.Errorf("%d stale FriendlyExpressions failed to compile, %d are listed", stale, len(staleFriendly))
	}
	if parsed == 0 || compiled == 0 {
		t.Fatalf("the corpus holds %d data flow expressions, %d without variables", parsed, compiled)
	}
	t.Logf("%d data flow expressions parse; %d compile, %d stale ones do not", parsed, compiled, stale)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// packageVariables reads the package's User variables, in format 8
// (attributes) and formats 2 and 3 (DTS:Property children), with the type
// of their persisted value.
func packageVariables(root *xnode) MapEnv {
	env := MapEnv{Vars: map[string]Value{}}
	root.each("Variable", func(v *xnode) {
		ns, name := v.attrs["Namespace"], v.attrs["ObjectName"]
		var val *xnode
		for _, k := range v.kids {
			switch {
			case k.name == "Property" && k.attrs["Name"] == "Namespace":
				ns = k.text
			case k.name == "Property" && k.attrs["Name"] == "ObjectName":
				name = k.text
			case k.name == "VariableValue":
				val = k
			}
		}
		if name == "" || val == nil {
			return
		}
		x, err := FromDataType(dtsx.DataType(atoi(val.attrs["DataType"])), val.text)
		if err == nil {
			env.Vars[ns+"::"+name] = x
		}
	})
	return env
}
