package dftask_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

const names = "Name,Kana\r\nAda Lovelace,がっこう\r\nİsmet,カタカナ\r\n"

// TestCharacterMap runs Flat File Source → Character Map → Copy Column →
// Flat File Destination ("Character Map Transformation", "Copy Column
// Transformation"): Name is made uppercase in place (MapFlags 512, a
// read-write input column), Lower is a new column of Name made lowercase
// (256, its InputColumnLineageId), Katakana a new column of Kana in
// half-width katakana (0x600000); the Copy Column copies Name as the
// Character Map left it.
func TestCharacterMap(t *testing.T) {
	rep, _, dir := runPackage(t, "charmap.dtsx", map[string]string{"names.csv": names}, nil)
	wantSuccess(t, rep)
	want := "Name,Lower,Katakana,Copy\r\nADA LOVELACE,ada lovelace,ｶﾞｯｺｳ,ADA LOVELACE\r\nİSMET,ismet,ｶﾀｶﾅ,İSMET\r\n"
	if got := read(t, filepath.Join(dir, "mapped.csv")); got != want {
		t.Errorf("mapped.csv = %q, want %q", got, want)
	}
}

// setMapFlags sets the MapFlags of the Character Map's column named col
// (an input or an output column).
func setMapFlags(root *etree.Element, col, v string) {
	for _, attr := range []string{"name", "cachedName"} {
		for _, e := range component(root, "Map").FindElements(`.//*[@` + attr + `='` + col + `']/properties/property[@name='MapFlags']`) {
			e.SetText(v)
		}
	}
}

// TestCharacterMapFailures: a mapping whose result is longer than its
// column fails the component by its truncation disposition, or keeps the
// cut value with IgnoreFailure ("Error Handling in Data"); a byte
// reversal that gives half of a surrogate pair is an error the error
// disposition handles.
func TestCharacterMapFailures(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		edit   func(r *etree.Element)
		want   []string // in the errors; none: success
		mapped string
	}{
		{"truncation fails", "Name,Kana\r\nAda,ぎんこういん\r\n", nil,
			[]string{`component "Map" failed`, "0xC020902A", `"Katakana"`}, ""},
		{"truncation ignored", "Name,Kana\r\nAda,ぎんこういん\r\n", func(r *etree.Element) {
			setColumn(r, "Map", "Katakana", "truncationRowDisposition", "IgnoreFailure")
		}, nil, "Name,Lower,Katakana,Copy\r\nADA,ada,ｷﾞﾝｺｳｲ,ADA\r\n"},
		{"lone surrogate", "Name,Kana\r\nØl,か\r\n", func(r *etree.Element) {
			setMapFlags(r, "Lower", "2048")
		}, []string{`component "Map" failed`, "0xC0209029", "byte reversal of U+00D8 gives U+D800"}, ""},
		{"lone surrogate ignored", "Name,Kana\r\nØl,か\r\n", func(r *etree.Element) {
			setMapFlags(r, "Lower", "2048")
			setColumn(r, "Map", "Lower", "errorRowDisposition", "IgnoreFailure")
		}, nil, "Name,Lower,Katakana,Copy\r\nØL,,ｶ,ØL\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _, dir := runPackage(t, "charmap.dtsx", map[string]string{"names.csv": tt.input}, tt.edit)
			if tt.want == nil {
				wantSuccess(t, rep)
				if got := read(t, filepath.Join(dir, "mapped.csv")); got != tt.mapped {
					t.Errorf("mapped.csv = %q, want %q", got, tt.mapped)
				}
				return
			}
			wantErrors(t, rep, tt.want)
		})
	}
}

// wantErrors fails unless the package failed with errors that say each of
// want.
func wantErrors(t *testing.T, rep *runtime.Report, want []string) {
	t.Helper()
	if rep.Status == runtime.Success {
		t.Fatal("the package succeeded")
	}
	var msgs []string
	for _, e := range rep.Errors {
		msgs = append(msgs, e.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("errors %q do not say %q", msgs, w)
		}
	}
}

// TestCharacterMapValidation: validation refuses the operations that
// cannot run, naming the component, the column and the fix, and runs
// nothing.
func TestCharacterMapValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(r *etree.Element)
		want []string
	}{
		{"simplified chinese", func(r *etree.Element) { setMapFlags(r, "Lower", "33554432") },
			[]string{dftask.CodeComponent + `: Data Flow task "Map names": component "Map" (Package\Map names\Map)`, `column "Lower"`, "Simplified Chinese maps characters by the Windows conversion tables"}},
		{"exclusive", func(r *etree.Element) { setMapFlags(r, "Name", "768") },
			[]string{`input column "Name"`, "Lowercase and Uppercase are mutually exclusive: keep one of them"}},
		{"not a number", func(r *etree.Element) { setMapFlags(r, "Katakana", "upper") },
			[]string{`column "Katakana"`, `MapFlags "upper" is not a number`}},
		{"no source", func(r *etree.Element) {
			component(r, "Map").FindElement(`.//property[@name='InputColumnLineageId']`).SetText(`#{Package\Map names\Copy.Outputs[Copy Column Output].Columns[Copy of Name]}`)
		}, []string{`column "Lower"`, "InputColumnLineageID #{Package", "is not the lineage ID of one of the input's columns"}},
		{"copy without source", func(r *etree.Element) {
			component(r, "Copy").FindElement(`.//property[@name='copyColumnId']`).SetText("")
		}, []string{`component "Copy"`, `column "Copy of Name"`, "has no copyColumnId"}},
		{"not a string", func(r *etree.Element) {
			setColumn(r, "Map", "Lower", "dataType", "i4")
		}, []string{`column "Lower"`, "a Character Map column is a string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task, env, dir := load(t, "charmap.dtsx", tt.edit)
			ds := task.Validate(context.Background(), env)
			var msgs []string
			for _, d := range ds {
				msgs = append(msgs, d.Code+": "+d.Message)
			}
			all := strings.Join(msgs, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("validation %q does not say %q", msgs, w)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "mapped.csv")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("validation wrote mapped.csv (%v)", err)
			}
		})
	}
}
