package dtsx

import (
	"strings"
	"sync"

	"github.com/beevik/etree"
)

// Lines of diagnostics. The reader records the line of every element's
// start tag as it parses (readXML), so a diagnostic about an object costs a
// map look-up, whatever the size of the file and however many diagnostics
// it has; the file's bytes are not kept once it is loaded.

// lineOf returns the line of e's start tag, or of its nearest ancestor read
// from the file (an element put in the tree later, such as a decrypted
// value, has none of its own); 0 when there is none or lines is nil.
func lineOf(lines map[*etree.Element]int32, e *etree.Element) int {
	for ; e != nil && lines != nil; e = e.Parent() {
		if n, ok := lines[e]; ok {
			return int(n)
		}
	}
	return 0
}

// linesUnless returns the lines of f's elements, or nil when skip is true:
// a file decrypted whole holds a tree its lines say nothing of.
func (f *xmlFile) linesUnless(skip bool) map[*etree.Element]int32 {
	if skip {
		return nil
	}
	return f.lines
}

// packageLines is what Package.Line reads: the lines of the elements, and
// an index of the objects by what callers know of them (DTSID, refId,
// name), built on the first call from the model. It is safe for concurrent
// use.
type packageLines struct {
	at map[*etree.Element]int32

	once             sync.Once
	ids, refs, names map[string]*etree.Element

	mu    sync.Mutex
	found map[string]int // needles searched for in the tree
}

// Line returns the line in the package's file of the object needle names:
// its DTSID (in any letter case, with or without braces), its element path
// (refId) or its name, tried in that order; failing those, the line of the
// first element whose attribute values or text contain needle (a property
// expression, for instance). It returns 0 when nothing matches, or when the
// package was decrypted whole (its lines say nothing of the tree). A needle
// that names an object costs a map look-up, once the first call has indexed
// the objects; one found only in text costs a walk of the tree, once for
// each such needle.
func (p *Package) Line(needle string) int {
	ix := p.lines
	if needle == "" || ix == nil || ix.at == nil {
		return 0
	}
	ix.once.Do(func() { ix.index(p) })
	if e := ix.ids[idKey(needle)]; e != nil {
		return lineOf(ix.at, e)
	}
	if e := ix.refs[needle]; e != nil {
		return lineOf(ix.at, e)
	}
	if e := ix.names[needle]; e != nil {
		return lineOf(ix.at, e)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if n, ok := ix.found[needle]; ok {
		return n
	}
	n := lineOf(ix.at, findText(p.Doc.Root(), needle))
	ix.found[needle] = n
	return n
}

func idKey(id string) string { return strings.ToUpper(strings.Trim(id, "{} ")) }

// index indexes every object of p, the first met winning.
func (ix *packageLines) index(p *Package) {
	ix.ids, ix.refs, ix.names = map[string]*etree.Element{}, map[string]*etree.Element{}, map[string]*etree.Element{}
	ix.found = map[string]int{}
	add := func(o *Object) {
		if o.Element == nil {
			return
		}
		if o.DTSID != "" {
			if k := idKey(o.DTSID); ix.ids[k] == nil {
				ix.ids[k] = o.Element
			}
		}
		if o.RefID != "" && ix.refs[o.RefID] == nil {
			ix.refs[o.RefID] = o.Element
		}
		if o.Name != "" && ix.names[o.Name] == nil {
			ix.names[o.Name] = o.Element
		}
	}
	if p.Executable != nil {
		p.Walk(func(x *Executable) bool {
			add(&x.Object)
			for _, v := range x.Variables {
				add(&v.Object)
			}
			for _, c := range x.Constraints {
				add(&c.Object)
			}
			return true
		})
	}
	for _, cm := range p.Connections {
		add(&cm.Object)
	}
	for _, pa := range p.Parameters {
		add(&pa.Object)
	}
	for _, cf := range p.Configurations {
		add(&cf.Object)
	}
}

// findText returns the first element, in document order, with an attribute
// value or text containing needle, or nil.
func findText(e *etree.Element, needle string) *etree.Element {
	if e == nil {
		return nil
	}
	for _, a := range e.Attr {
		if strings.Contains(a.Value, needle) {
			return e
		}
	}
	for _, t := range e.Child {
		switch c := t.(type) {
		case *etree.CharData:
			if strings.Contains(c.Data, needle) {
				return e
			}
		case *etree.Element:
			if f := findText(c, needle); f != nil {
				return f
			}
		}
	}
	return nil
}

// ElementLine returns the line of e's start tag in the package's file, or
// of its nearest ancestor read from the file; 0 when there is none or the
// package was decrypted whole. It lets the readers of task payloads (the
// data flow's pipeline, for instance) locate their diagnostics.
func (p *Package) ElementLine(e *etree.Element) int {
	if p.lines == nil {
		return 0
	}
	return lineOf(p.lines.at, e)
}
