package dftask

import (
	"reflect"
	"testing"

	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// fastCases are cell texts per column type; the fast paths must give what
// the general conversion gives, or decline.
var fastCases = []struct {
	spec  expr.TypeSpec
	kind  dataflow.Kind
	texts []string
	fast  []string // texts the fast path must take
}{
	{expr.TypeSpec{Type: expr.TypeI4}, dataflow.KindInt32,
		[]string{"0", "7", "-12", "2147483647", "-2147483648", "2147483648", "+5", " 5", "5 ", "1e3", "0x10", "00012", "-", "999999999999999999999"},
		[]string{"0", "7", "-12", "2147483647", "-2147483648", "00012"}},
	{expr.TypeSpec{Type: expr.TypeI2}, dataflow.KindInt16, []string{"32767", "32768", "-32769", "12"}, []string{"32767", "12"}},
	{expr.TypeSpec{Type: expr.TypeI8}, dataflow.KindInt64, []string{"123456789012345678", "-9", "9223372036854775807"}, []string{"123456789012345678", "-9"}},
	{expr.TypeSpec{Type: expr.TypeBool}, dataflow.KindBool, []string{"True", "False", "true", "FALSE", "1", "0", "-1", "yes"}, []string{"True", "False"}},
	{expr.TypeSpec{Type: expr.TypeStr, Length: 10, CodePage: 65001}, dataflow.KindString,
		[]string{"Acme", "Acme, Ltd", `Acme "X"`, "0123456789", "0123456789A", "Québec", "tab\there"}, []string{"Acme", "Acme, Ltd", `Acme "X"`, "0123456789"}},
	{expr.TypeSpec{Type: expr.TypeStr, Length: 10, CodePage: 1252}, dataflow.KindString, []string{"Acme", "naïve", "日本"}, []string{"Acme"}},
	{expr.TypeSpec{Type: expr.TypeWStr, Length: 4}, dataflow.KindWString, []string{"abcd", "abcde", "日本"}, []string{"abcd"}},
	{expr.TypeSpec{Type: expr.TypeDBDate}, dataflow.KindTime,
		[]string{"2024-02-29", "2023-02-29", "2015-12-31", "0999-01-01", "1000-01-01", "2024-1-5", "2024-13-01", "2024-04-31", "2024-01-01 10:00:00", "20240101"},
		[]string{"2024-02-29", "2015-12-31", "1000-01-01"}},
	{expr.TypeSpec{Type: expr.TypeNumeric, Precision: 12, Scale: 2}, dataflow.KindDecimal,
		[]string{"889.20", "5", "5.1", "-0.05", "0.00", "1.234", "9999999999.99", "99999999999.99", ".5", "5.", "-", "1e2", "+3.00"},
		[]string{"889.20", "5", "5.1", "-0.05", "0.00", "9999999999.99"}},
	{expr.TypeSpec{Type: expr.TypeDecimal, Scale: 4}, dataflow.KindDecimal, []string{"1.5", "-3.1415", "2.71828"}, []string{"1.5", "-3.1415"}},
}

func fastLayout(t *testing.T, k dataflow.Kind, s expr.TypeSpec) *dataflow.Buffer {
	t.Helper()
	l, err := dataflow.NewLayout([]dataflow.Column{{Name: "c", LineageID: 1, Kind: k, Length: s.Length, Precision: s.Precision, Scale: s.Scale, CodePage: s.CodePage}})
	if err != nil {
		t.Fatal(err)
	}
	return dataflow.NewBuffer(l)
}

// storedCell returns a one-column buffer of the kind and type holding v in
// its one row.
func storedCell(t *testing.T, k dataflow.Kind, s expr.TypeSpec, v expr.Value) (*dataflow.Buffer, int) {
	t.Helper()
	b := fastLayout(t, k, s)
	row := b.AddRow()
	if err := store(b, 0, row, v); err != nil {
		t.Fatal(err)
	}
	return b, row
}

// TestParseFastMatchesConversion checks that parseFast gives the value the
// flat file source's general conversion stores, for every text it takes,
// and that it takes the plain forms.
func TestParseFastMatchesConversion(t *testing.T) {
	for _, tc := range fastCases {
		col := expr.FlowColumn{Name: "c", Spec: tc.spec}
		for _, in := range tc.texts {
			t.Run(tc.spec.String()+"/"+in, func(t *testing.T) {
				var f fastCell
				took := parseFast(tc.spec, []byte(in), &f)
				if want := contains(tc.fast, in); took != want {
					t.Fatalf("parseFast took it: %v, want %v", took, want)
				}
				if !took {
					return
				}
				slow, err := col.Store(expr.Str(in))
				if err != nil {
					t.Fatalf("the general conversion fails (%v) where the fast path takes it", err)
				}
				a, b := fastLayout(t, tc.kind, tc.spec), fastLayout(t, tc.kind, tc.spec)
				if err := store(a, 0, a.AddRow(), slow); err != nil {
					t.Fatal(err)
				}
				f.set(b, 0, b.AddRow(), tc.kind)
				if got, want := b.Value(0, 0), a.Value(0, 0); !reflect.DeepEqual(got, want) {
					t.Errorf("fast %#v, general %#v", got, want)
				}
			})
		}
	}
}

// TestAppendTextMatchesText checks that appendText writes the text the
// destination's general path (cell, then text) writes, for every value of
// fastCases the general conversion takes, and for NULL.
func TestAppendTextMatchesText(t *testing.T) {
	for _, tc := range fastCases {
		col := expr.FlowColumn{Name: "c", Spec: tc.spec}
		for _, in := range append([]string{""}, tc.texts...) {
			v := expr.NullSpec(tc.spec)
			if in != "" {
				var err error
				if v, err = col.Store(expr.Str(in)); err != nil {
					continue
				}
			}
			t.Run(tc.spec.String()+"/"+in, func(t *testing.T) {
				b, row := storedCell(t, tc.kind, tc.spec, v)
				got, ok := appendText([]byte("x"), b, 0, row, tc.spec)
				if !ok {
					if tc.kind != dataflow.KindString && tc.kind != dataflow.KindWString && tc.spec.Type != expr.TypeDBDate {
						t.Fatalf("appendText declined a %s", tc.spec)
					}
					return
				}
				c, err := cell(b, 0, row, tc.spec)
				if err != nil {
					t.Fatal(err)
				}
				want, err := text(c)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != "x"+want {
					t.Errorf("appendText wrote %q, the general path %q", got[1:], want)
				}
			})
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestCellFastMatchesGeneral checks that cellFast reads the value
// cellGeneral reads, for every value of fastCases the general conversion
// stores that it takes.
func TestCellFastMatchesGeneral(t *testing.T) {
	took := 0
	for _, tc := range fastCases {
		col := expr.FlowColumn{Name: "c", Spec: tc.spec}
		for _, in := range tc.texts {
			v, err := col.Store(expr.Str(in))
			if err != nil {
				continue
			}
			t.Run(tc.spec.String()+"/"+in, func(t *testing.T) {
				b, row := storedCell(t, tc.kind, tc.spec, v)
				got, ok := cellFast(b, 0, row, tc.spec)
				if !ok {
					return
				}
				took++
				want, err := cellGeneral(b, 0, row, tc.spec)
				if err != nil {
					t.Fatal(err)
				}
				if got.Type() != want.Type() || got.Precision() != want.Precision() || got.Scale() != want.Scale() ||
					got.CodePage() != want.CodePage() || got.String() != want.String() || !got.Equal(want) {
					t.Errorf("fast %#v, general %#v", got, want)
				}
			})
		}
	}
	if took < 15 {
		t.Errorf("cellFast took %d values, want the plain ones (15 or more)", took)
	}
}

// TestStoreMatchesGeneral checks that store's direct paths write what
// storeGeneral writes.
func TestStoreMatchesGeneral(t *testing.T) {
	for _, tc := range []struct {
		kind dataflow.Kind
		v    expr.Value
	}{
		{dataflow.KindString, expr.StrCell(expr.TypeSpec{Type: expr.TypeStr, Length: 10, CodePage: 1252}, "Acme")},
		{dataflow.KindWString, expr.Str("日本")},
		{dataflow.KindInt32, expr.I4(-7)},
		{dataflow.KindInt64, expr.I8(1 << 40)},
		{dataflow.KindInt16, func() expr.Value { v, _ := expr.IntOf(expr.TypeI2, 300); return v }()},
	} {
		t.Run(tc.v.String(), func(t *testing.T) {
			a, b := fastLayout(t, tc.kind, expr.TypeSpec{}), fastLayout(t, tc.kind, expr.TypeSpec{})
			if err := store(a, 0, a.AddRow(), tc.v); err != nil {
				t.Fatal(err)
			}
			if err := storeGeneral(b, 0, b.AddRow(), tc.v); err != nil {
				t.Fatal(err)
			}
			if got, want := a.Value(0, 0), b.Value(0, 0); !reflect.DeepEqual(got, want) {
				t.Errorf("store wrote %#v, storeGeneral %#v", got, want)
			}
		})
	}
}
