package dtsx

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// TestReadMatchesEtree: the tree readXML builds is the one etree's own
// reader builds from the same bytes (compared by what each writes, with the
// white-space and CDATA flags etree keeps), for every XML file of the corpus
// and of testdata that etree reads.
func TestReadMatchesEtree(t *testing.T) {
	var files []string
	for _, dir := range []string{testcorpus.Dir(t), "testdata"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".dtsx", ".conmgr", ".params", ".dtproj", ".dtsconfig", ".manifest":
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	compared := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := etree.NewDocument()
		want.ReadSettings = etree.ReadSettings{CharsetReader: func(_ string, r io.Reader) (io.Reader, error) { return r, nil }}
		if want.ReadFromBytes(bytes.TrimPrefix(data, utf8BOM)) != nil || want.Root() == nil {
			continue // broken on purpose (testdata/bad); their errors are tested there
		}
		got, lerr := readXML(path, data)
		if lerr != nil {
			t.Errorf("%s: etree reads it, readXML fails: %v", path, lerr)
			continue
		}
		compared++
		if diff := sameTree(&got.doc.Element, &want.Element); diff != "" {
			t.Errorf("%s: the tree differs from etree's: %s", path, diff)
		}
		if len(got.lines) != countElements(want.Root()) {
			t.Errorf("%s: %d lines recorded, %d elements", path, len(got.lines), countElements(want.Root()))
		}
	}
	if compared < 80 {
		t.Errorf("only %d files compared; the corpus has more than 80", compared)
	}
}

// sameTree compares two trees token by token, white-space flags and the
// attributes' elements included; it returns "" or the first difference.
func sameTree(got, want *etree.Element) string {
	if got.Space != want.Space || got.Tag != want.Tag {
		return "<" + got.FullTag() + "> for <" + want.FullTag() + ">"
	}
	if len(got.Attr) != len(want.Attr) {
		return fmt.Sprintf("<%s> has %d attributes, want %d", want.FullTag(), len(got.Attr), len(want.Attr))
	}
	for i, a := range got.Attr {
		b := want.Attr[i]
		if a.Space != b.Space || a.Key != b.Key || a.Value != b.Value || a.Element() != got {
			return fmt.Sprintf("<%s> attribute %d is %s=%q, want %s=%q", want.FullTag(), i, a.FullKey(), a.Value, b.FullKey(), b.Value)
		}
	}
	if len(got.Child) != len(want.Child) {
		return fmt.Sprintf("<%s> has %d children, want %d", want.FullTag(), len(got.Child), len(want.Child))
	}
	for i, c := range got.Child {
		if c.Parent() != got || c.Index() != i {
			return fmt.Sprintf("<%s> child %d has the wrong parent or index", want.FullTag(), i)
		}
		switch w := want.Child[i].(type) {
		case *etree.Element:
			g, ok := c.(*etree.Element)
			if !ok {
				return fmt.Sprintf("<%s> child %d is a %T, want an element", want.FullTag(), i, c)
			}
			if d := sameTree(g, w); d != "" {
				return d
			}
		case *etree.CharData:
			g, ok := c.(*etree.CharData)
			if !ok || g.Data != w.Data || g.IsWhitespace() != w.IsWhitespace() || g.IsCData() != w.IsCData() {
				return fmt.Sprintf("<%s> child %d: text %#v, want %#v", want.FullTag(), i, c, w)
			}
		case *etree.Comment:
			if g, ok := c.(*etree.Comment); !ok || g.Data != w.Data {
				return fmt.Sprintf("<%s> child %d: %#v, want a comment %q", want.FullTag(), i, c, w.Data)
			}
		case *etree.Directive:
			if g, ok := c.(*etree.Directive); !ok || g.Data != w.Data {
				return fmt.Sprintf("<%s> child %d: %#v, want a directive %q", want.FullTag(), i, c, w.Data)
			}
		case *etree.ProcInst:
			if g, ok := c.(*etree.ProcInst); !ok || g.Target != w.Target || g.Inst != w.Inst {
				return fmt.Sprintf("<%s> child %d: %#v, want <?%s %s?>", want.FullTag(), i, c, w.Target, w.Inst)
			}
		default:
			return fmt.Sprintf("<%s> child %d: unexpected %T", want.FullTag(), i, w)
		}
	}
	return ""
}

func countElements(e *etree.Element) int {
	n := 1
	for _, c := range e.ChildElements() {
		n += countElements(c)
	}
	return n
}

// TestReadDuplicateAttributes: a repeated attribute keeps its first place
// and its last value, as etree's reader does; the same local name under
// another prefix is another attribute.
func TestReadDuplicateAttributes(t *testing.T) {
	const src = `<r xmlns:a="urn:a" name="1" a:name="2" name="3" a:name="4" b="5"/>`
	f, lerr := readXML("dup.xml", []byte(src))
	if lerr != nil {
		t.Fatal(lerr)
	}
	want := etree.NewDocument()
	if err := want.ReadFromString(src); err != nil {
		t.Fatal(err)
	}
	if diff := sameTree(&f.doc.Element, &want.Element); diff != "" {
		t.Error(diff)
	}
	if a := f.doc.Root().SelectAttr("a:name"); a == nil || a.Value != "4" || a.Element() != f.doc.Root() {
		t.Errorf("a:name = %+v", a)
	}
}
