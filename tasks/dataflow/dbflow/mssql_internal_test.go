package dbflow

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/dtsx-run/dtsx/connections/database"
)

// "OLE DB Destination": the fast-load options reach SQL Server's bulk copy
// as go-mssqldb's BulkOptions. This is tested up to the driver's statement
// only; no SQL Server runs here.
func TestSQLServerCopyIn(t *testing.T) {
	tests := []struct {
		name      string
		options   string
		keepNulls bool
		want      mssql.BulkOptions
		wantErr   string
	}{
		{name: "none", want: mssql.BulkOptions{}},
		{name: "SSIS default", options: "TABLOCK,CHECK_CONSTRAINTS", want: mssql.BulkOptions{Tablock: true, CheckConstraints: true}},
		{name: "all", options: " tablock , FIRE_TRIGGERS, ROWS_PER_BATCH = 5000, KILOBYTES_PER_BATCH=64, ORDER(id ASC, [name] DESC)", keepNulls: true,
			want: mssql.BulkOptions{Tablock: true, FireTriggers: true, RowsPerBatch: 5000, KilobytesPerBatch: 64, KeepNulls: true,
				Order: []string{"id ASC", "[name] DESC"}}},
		{name: "bad number", options: "ROWS_PER_BATCH=many", wantErr: "ROWS_PER_BATCH wants a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseFastLoadOptions(tt.options)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, q, err := objectName(database.FamilySQLServer, "[dbo].[Order Lines]")
			if err != nil {
				t.Fatal(err)
			}
			d := &Destination{opts: o, quoted: q, names: []string{"id", "name"}, FastLoadKeepNulls: tt.keepNulls}
			stmt, ok := strings.CutPrefix(d.copyIn(), "INSERTBULK ")
			if !ok {
				t.Fatalf("statement %q is not go-mssqldb's bulk copy", d.copyIn())
			}
			var got struct {
				TableName   string
				ColumnsName []string
				Options     mssql.BulkOptions
			}
			if err := json.Unmarshal([]byte(stmt), &got); err != nil {
				t.Fatal(err)
			}
			if got.TableName != "[dbo].[Order Lines]" || !reflect.DeepEqual(got.ColumnsName, []string{"id", "name"}) {
				t.Errorf("table %q columns %q", got.TableName, got.ColumnsName)
			}
			if !reflect.DeepEqual(got.Options, tt.want) {
				t.Errorf("options %+v, want %+v", got.Options, tt.want)
			}
		})
	}
}

// Object names as SSIS persists them, quoted for each family.
func TestObjectName(t *testing.T) {
	tests := []struct {
		in        string
		fam       database.Family
		parts     []string
		quoted    string
		wantError string
	}{
		{in: "[dbo].[Orders]", fam: database.FamilySQLServer, parts: []string{"dbo", "Orders"}, quoted: "[dbo].[Orders]"},
		{in: "[dbo].[Orders]", fam: database.FamilyPostgreSQL, parts: []string{"dbo", "Orders"}, quoted: `"dbo"."Orders"`},
		{in: `public.Orders`, fam: database.FamilyPostgreSQL, parts: []string{"public", "orders"}, quoted: `"public"."orders"`},
		{in: `"a""b" . [c]]d]`, fam: database.FamilySQLite, parts: []string{`a"b`, "c]d"}, quoted: `"a""b"."c]d"`},
		{in: "", fam: database.FamilySQLite, wantError: "empty"},
		{in: "a..b", fam: database.FamilySQLite, wantError: "empty part"},
		{in: "[a] b", fam: database.FamilySQLite, wantError: `unexpected "b"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			parts, q, err := objectName(tt.fam, tt.in)
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("err = %v, want %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(parts, tt.parts) || q != tt.quoted {
				t.Errorf("got %q %s, want %q %s", parts, q, tt.parts, tt.quoted)
			}
		})
	}
}
