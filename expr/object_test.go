package expr

import "testing"

func TestObjectHolds(t *testing.T) {
	rs := &Rowset{Columns: []Column{{Name: "Id", Type: TypeI4}, {Name: "Name", Type: TypeWStr}},
		Rows: [][]Value{{I4(1), Str("a")}, {I4(2), Str("b")}}}
	v := Object(rs, RowsetText)
	if got, ok := v.Held().(*Rowset); !ok || got != rs {
		t.Fatalf("Held() = %#v, want the rowset", v.Held())
	}
	if v.String() != RowsetText || v.Type() != TypeObject {
		t.Errorf("String() = %q, Type() = %v", v.String(), v.Type())
	}
	if !v.Equal(Object(rs, RowsetText)) {
		t.Error("an Object is not equal to itself")
	}
	if v.Equal(Object(&Rowset{}, RowsetText)) {
		t.Error("two Objects holding different rowsets are equal")
	}
	if Str("x").Held() != nil {
		t.Error("a string holds something")
	}
	if i := rs.Column("NAME"); i != 1 {
		t.Errorf("Column(NAME) = %d, want 1", i)
	}
	if i := rs.Column("nope"); i != -1 {
		t.Errorf("Column(nope) = %d, want -1", i)
	}
	if s := rs.String(); s != "rowset (Id, Name): 2 rows" {
		t.Errorf("String() = %q", s)
	}
	// An Object value keeps its holding through a variable's conversion.
	w, err := v.ConvertTo(13) // dtsx.TypeObject
	if err != nil || w.Held() != rs {
		t.Errorf("ConvertTo(Object) = %#v, %v", w, err)
	}
}
