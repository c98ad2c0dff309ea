package builtin_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
)

// managerTypes are the Go types of the managers, by their names.
var managerTypes = map[string]reflect.Type{
	"*smtp.Manager":        reflect.TypeFor[*smtp.Manager](),
	"*database.Manager":    reflect.TypeFor[*database.Manager](),
	"*file.Manager":        reflect.TypeFor[*file.Manager](),
	"*connections.Generic": reflect.TypeFor[*connections.Generic](),
}

func TestRegistryDispatch(t *testing.T) {
	reg := builtin.Connections()
	tests := []struct {
		creation string
		want     string // Go type of the manager, or "unknown"
	}{
		{"SMTP", "*smtp.Manager"},
		{"smtp", "*smtp.Manager"},
		{"SMTP (KingswaySoft)", "unknown"}, // dispatch on the exact CreationName
		{"FILE", "*file.Manager"},
		{"FLATFILE", "*file.Manager"},
		{"MULTIFLATFILE", "*file.Manager"},
		{"OLEDB", "*database.Manager"},
		{"oledb", "*database.Manager"},
		{"ODBC", "*database.Manager"},
		{"ADO.NET:System.Data.SqlClient.SqlConnection, System.Data, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089", "*database.Manager"},
		{"ADO.NET:Npgsql.NpgsqlConnection, Npgsql", "*database.Manager"},
		{"ADO.NET:System.Data.OracleClient.OracleConnection", "*database.Manager"}, // reported by Validate
		{"EXCEL", "*connections.Generic"},
		{"SPCRED", "unknown"},
		{"", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.creation, func(t *testing.T) {
			m, err := reg.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "x", DTSID: "{00000000-0000-0000-0000-000000000001}",
				CreationName: tt.creation, RefID: "Package.ConnectionManagers[x]", Element: etree.NewElement("ConnectionManager")},
				ConnectionString: "SmtpServer=h;"})
			if tt.want == "unknown" {
				var ute *connections.UnknownTypeError
				if !errors.Is(err, connections.ErrUnknownType) || !errors.As(err, &ute) || ute.Name != tt.creation ||
					!strings.Contains(err.Error(), `"`+tt.creation+`"`) {
					t.Fatalf("New(%q) = %T, %v; want an UnknownTypeError quoting the name", tt.creation, m, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := reflect.TypeOf(m); got != managerTypes[tt.want] {
				t.Fatalf("got %v, want %s", got, tt.want)
			}
		})
	}
}
