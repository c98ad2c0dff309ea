package executesql

import "testing"

// TestTransactSQL: the OLE DB and ODBC forms of a call with a return code
// become T-SQL whose first marker takes the code.
func TestTransactSQL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"? = EXEC dbo.p ?, ? OUTPUT", "EXEC ? = dbo.p ?, ? OUTPUT"},
		{"  ?=execute p", "  EXEC ? = p"},
		{"{call dbo.p(?, ?)}", "EXEC dbo.p ?, ?"},
		{"{? = call p(?)}", "EXEC ? = p ?"},
		{"{call p}", "EXEC p "},
		{"EXEC p ?", "EXEC p ?"},
		{"SELECT ? = 1", "SELECT ? = 1"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := transactSQL(tt.in); got != tt.want {
				t.Errorf("transactSQL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
