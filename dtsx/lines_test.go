package dtsx_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/benchgen"
)

// TestLinesOfGeneratedPackage: in a generated package of a few hundred
// executables with a diagnostic in every container, each diagnostic and
// each Package.Line of an executable's path names the line where the
// executable's start tag begins, found here by searching the text.
func TestLinesOfGeneratedPackage(t *testing.T) {
	data, st := benchgen.Bytes(benchgen.Options{Size: 1 << 20, Diagnostics: true})
	p, err := dtsx.LoadPackage("generated.dtsx", data)
	if err != nil {
		t.Fatal(err)
	}
	// The generator writes each attribute on its own line, DTS:refId first:
	// the start tag begins on the line before it.
	startLine := func(ref string) int {
		i := bytes.Index(data, []byte(`DTS:refId="`+ref+`"`))
		if i < 0 {
			t.Fatalf("no refId %q in the generated package", ref)
		}
		return bytes.Count(data[:i], []byte("\n"))
	}
	if want := st.Locked + st.DuplicateIDs; len(p.Diagnostics) != want {
		t.Fatalf("%d diagnostics, want %d", len(p.Diagnostics), want)
	}
	for _, d := range p.Diagnostics {
		if want := startLine(d.Path); d.Line != want {
			t.Errorf("%s: want line %d", d, want)
		}
	}
	n := 0
	p.Walk(func(x *dtsx.Executable) bool {
		if x == p.Executable {
			return true
		}
		n++
		if got, want := p.Line(x.RefID), startLine(x.RefID); got != want {
			t.Errorf("Line(%q) = %d, want %d", x.RefID, got, want)
		}
		return true
	})
	if n != st.Executables-1 {
		t.Errorf("%d executables walked, want %d", n, st.Executables-1)
	}
}

// TestLineFallsBackToText: a needle that names no object (here the text of
// a property expression, as runtime diagnostics pass it) gives the line of
// the first element holding it; one found nowhere gives 0.
func TestLineFallsBackToText(t *testing.T) {
	const src = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package"
  DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="P">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\A" DTS:ExecutableType="STOCK:SEQUENCE" DTS:ObjectName="A">
      <DTS:PropertyExpression
        DTS:Name="Disable">@[User::Skip] &gt; 0</DTS:PropertyExpression>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`
	p, err := dtsx.LoadPackage("p.dtsx", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for needle, want := range map[string]int{`@[User::Skip] > 0`: 7, `Package\A`: 6, "A": 6, "nowhere": 0, "": 0} {
		if got := p.Line(needle); got != want {
			t.Errorf("Line(%q) = %d, want %d", needle, got, want)
		}
	}
}

// TestTooDeep: XML nested past MaxDepth is refused with one short line that
// names the file, the line of the element too deep, the limit and the fix,
// however deep the file goes; nesting up to the limit loads.
func TestTooDeep(t *testing.T) {
	nested := func(depth int, sep string) []byte {
		var b strings.Builder
		b.WriteString("<?xml version=\"1.0\"?>\n<DTS:Executable xmlns:DTS=\"www.microsoft.com/SqlServer/Dts\" DTS:ExecutableType=\"Microsoft.Package\">\n" +
			"<DTS:Property DTS:Name=\"PackageFormatVersion\">8</DTS:Property>\n")
		for range depth - 1 {
			b.WriteString("<DTS:ObjectData>" + sep)
		}
		for range depth - 1 {
			b.WriteString("</DTS:ObjectData>" + sep)
		}
		b.WriteString("</DTS:Executable>\n")
		return []byte(b.String())
	}
	for _, tc := range []struct {
		name  string
		depth int
		sep   string
		line  int
	}{
		// The root is line 2 and depth 1; nested elements start on line 4.
		{"a line each", 200000, "\n", 4 + dtsx.MaxDepth - 1},
		{"all on one line", 200000, "", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dtsx.LoadPackage("deep.dtsx", nested(tc.depth, tc.sep))
			var de *dtsx.Error
			if !errors.As(err, &de) {
				t.Fatalf("error %v, want a *dtsx.Error", err)
			}
			msg := de.Error()
			if de.Code != dtsx.CodeTooDeep || de.Line != tc.line || !errors.Is(err, etree.ErrMaxDepth) {
				t.Errorf("%s: want code %s on line %d", msg, dtsx.CodeTooDeep, tc.line)
			}
			for _, s := range []string{fmt.Sprintf("deep.dtsx:%d:", tc.line), fmt.Sprint(dtsx.MaxDepth), "restore it"} {
				if !strings.Contains(msg, s) {
					t.Errorf("%s: no %q", msg, s)
				}
			}
			if len(msg) > 300 || strings.Contains(msg, "\n") {
				t.Errorf("the error is %d bytes or more than a line: %.400q", len(msg), msg)
			}
		})
	}
	if _, err := dtsx.LoadPackage("deep.dtsx", nested(dtsx.MaxDepth, "\n")); err != nil {
		t.Errorf("nesting %d deep: %v", dtsx.MaxDepth, err)
	}
}
