package dtsx_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/dtsx-run/dtsx/dtsx"
)

// encodedPackage is a format-8 package whose XML declaration names %[1]s
// and whose variable holds %[2]s. Its task, on line 21, has a bad Disabled
// value: the diagnostic must name that line whatever the encoding.
const encodedPackage = `<?xml version="1.0" encoding="%[1]s"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts"
  DTS:refId="Package"
  DTS:CreationName="Microsoft.Package"
  DTS:DTSID="{E0000001-0000-4000-8000-000000000001}"
  DTS:ExecutableType="Microsoft.Package"
  DTS:ObjectName="Encoded">
  <DTS:Property
    DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Variables>
    <DTS:Variable
      DTS:CreationName=""
      DTS:DTSID="{E0000001-0000-4000-8000-000000000002}"
      DTS:Namespace="User"
      DTS:ObjectName="Price">
      <DTS:VariableValue
        DTS:DataType="8">%[2]s</DTS:VariableValue>
    </DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable
      DTS:refId="Package\Tâche"
      DTS:CreationName="Microsoft.ExpressionTask"
      DTS:Disabled="Peut-être"
      DTS:DTSID="{E0000001-0000-4000-8000-000000000003}"
      DTS:ExecutableType="Microsoft.ExpressionTask"
      DTS:ObjectName="Tâche" />
  </DTS:Executables>
</DTS:Executable>
`

const (
	encodedTaskLine  = 21
	encodedValueLine = 17
	encodedTaskID    = "{E0000001-0000-4000-8000-000000000003}"
)

func encodedSource(declared, value string) string {
	return strings.NewReplacer("%[1]s", declared, "%[2]s", value).Replace(encodedPackage)
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	order := binary.AppendByteOrder(binary.LittleEndian)
	if bigEndian {
		order = binary.BigEndian
	}
	if bom {
		out = order.AppendUint16(out, 0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

func singleByte(t *testing.T, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := cm.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding the test package: %v", err)
	}
	return b
}

// TestEncodings: packages saved in UTF-16 (either byte order, with a byte
// order mark or recognised by their first characters as in appendix F of
// the XML recommendation) or in a single-byte encoding their declaration
// names load with the right text, their diagnostics on the right lines,
// and save as UTF-8 that says so.
func TestEncodings(t *testing.T) {
	const value = "Café 5€ – naïve"
	tests := []struct {
		name     string
		data     []byte
		value    string
		encoding string // Package.Encoding
	}{
		{"UTF-16LE with BOM", utf16Bytes(encodedSource("utf-16", value), false, true), value, "UTF-16LE"},
		{"UTF-16BE with BOM", utf16Bytes(encodedSource("utf-16", value), true, true), value, "UTF-16BE"},
		{"UTF-16LE with BOM, CRLF", utf16Bytes(strings.ReplaceAll(encodedSource("UTF-16", value), "\n", "\r\n"), false, true), value, "UTF-16LE"},
		{"UTF-16LE without BOM", utf16Bytes(encodedSource("utf-16", value), false, false), value, "UTF-16LE"},
		{"UTF-16BE without BOM", utf16Bytes(encodedSource("utf-16", value), true, false), value, "UTF-16BE"},
		{"windows-1252", singleByte(t, charmap.Windows1252, encodedSource("windows-1252", "Café 5€")), "Café 5€", "windows-1252"},
		{"Windows-1252 in capitals", singleByte(t, charmap.Windows1252, encodedSource("Windows-1252", "Café 5€")), "Café 5€", "Windows-1252"},
		{"iso-8859-1", singleByte(t, charmap.ISO8859_1, encodedSource("iso-8859-1", "Café à 5 F")), "Café à 5 F", "iso-8859-1"},
		{"iso-8859-15", singleByte(t, charmap.ISO8859_15, encodedSource("ISO-8859-15", "Café 5€")), "Café 5€", "ISO-8859-15"},
		// .NET declares utf-16 for XML written to a string, which is then
		// often saved as UTF-8: the bytes win over the declaration.
		{"UTF-8 declared utf-16", []byte(encodedSource("utf-16", value)), value, ""},
		{"UTF-8 BOM declared utf-16", append([]byte{0xEF, 0xBB, 0xBF}, encodedSource("utf-16", value)...), value, ""},
		{"UTF-8 declared utf-8", []byte(encodedSource("utf-8", value)), value, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := dtsx.LoadPackage("enc.dtsx", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			checkEncoded(t, p, tc.value, tc.encoding, encodedTaskLine)

			var saved bytes.Buffer
			if _, err := p.WriteTo(&saved); err != nil {
				t.Fatal(err)
			}
			if !utf8.Valid(saved.Bytes()) || !bytes.Contains(saved.Bytes(), []byte(`encoding="utf-8"`)) ||
				!bytes.Contains(saved.Bytes(), []byte(tc.value)) {
				t.Fatalf("the save is not UTF-8 declared as such with the value in it:\n%.300s", saved.Bytes())
			}
			q, err := dtsx.LoadPackage("saved.dtsx", saved.Bytes())
			if err != nil {
				t.Fatalf("the save does not load: %v", err)
			}
			// etree writes each start tag on one line: the task's is the
			// line of its refId.
			i := bytes.Index(saved.Bytes(), []byte(`DTS:refId="Package\Tâche"`))
			checkEncoded(t, q, tc.value, "", 1+bytes.Count(saved.Bytes()[:max(i, 0)], []byte("\n")))
		})
	}
}

func checkEncoded(t *testing.T, p *dtsx.Package, value, encoding string, taskLine int) {
	t.Helper()
	if p.Encoding != encoding {
		t.Errorf("Encoding %q, want %q", p.Encoding, encoding)
	}
	if len(p.Variables) != 1 || p.Variables[0].Value != value {
		t.Errorf("variables %+v, want User::Price = %q", p.Variables, value)
	}
	if len(p.Executables) != 1 || p.Executables[0].Name != "Tâche" {
		t.Errorf("executables %+v, want Tâche", p.Executables)
	}
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != dtsx.CodeBadValue || p.Diagnostics[0].Line != taskLine ||
		!strings.Contains(p.Diagnostics[0].Message, `"Peut-être"`) {
		t.Errorf("diagnostics %v, want the Disabled value of Tâche on line %d", p.Diagnostics, taskLine)
	}
	for _, needle := range []string{encodedTaskID, `Package\Tâche`, "Tâche"} {
		if got := p.Line(needle); got != taskLine {
			t.Errorf("Line(%q) = %d, want %d", needle, got, taskLine)
		}
	}
}

// TestEncodingErrors: what cannot be read is refused with the file, the
// line, what is wrong and the fix.
func TestEncodingErrors(t *testing.T) {
	surrogate := utf16Bytes(encodedSource("utf-16", "Café"), false, true)
	// Replace the é of the value (the only non-ASCII character) with a lone
	// high surrogate.
	i := bytes.Index(surrogate, []byte{0xE9, 0x00})
	surrogate[i], surrogate[i+1] = 0x3D, 0xD8
	tests := []struct {
		name string
		data []byte
		code string
		line int
		text []string // in the message or the hint
	}{
		{"unknown encoding", []byte(encodedSource("x-klingon", "Qapla'")), dtsx.CodeUnknownEncoding, 1,
			[]string{`"x-klingon"`, "UTF-8", `encoding="windows-1252"`}},
		{"windows-1252 bytes, no declaration", singleByte(t, charmap.Windows1252,
			strings.Replace(encodedSource("utf-8", "Café 5€"), ` encoding="utf-8"`, "", 1)), dtsx.CodeMalformedXML, encodedValueLine,
			[]string{"invalid UTF-8", "not UTF-8", `encoding="windows-1252"`}},
		{"UTF-16 cut in a character", utf16Bytes(encodedSource("utf-16", "x"), false, true)[:101], dtsx.CodeTruncatedXML, 0,
			[]string{"UTF-16", "truncated"}},
		{"UTF-16 lone surrogate", surrogate, dtsx.CodeMalformedXML, encodedValueLine, []string{"U+D83D", "surrogate"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dtsx.LoadPackage("enc.dtsx", tc.data)
			var de *dtsx.Error
			if !errors.As(err, &de) || !errors.Is(err, dtsx.ErrNotLoaded) {
				t.Fatalf("error %v, want a *dtsx.Error", err)
			}
			if de.Code != tc.code || de.File != "enc.dtsx" || (tc.line != 0 && de.Line != tc.line) {
				t.Errorf("%s: code %s, line %d; want %s, line %d", de, de.Code, de.Line, tc.code, tc.line)
			}
			for _, s := range tc.text {
				if !strings.Contains(de.Message+" "+de.Hint, s) {
					t.Errorf("%s: no %q", de, s)
				}
			}
			if strings.Contains(de.Error(), "\n") {
				t.Errorf("the error is not one line: %q", de.Error())
			}
		})
	}
}
