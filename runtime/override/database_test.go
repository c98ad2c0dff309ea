package override_test

import (
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// TestSetRetargetedDatabase: /Conn (the ConnectionString) moves an OLE DB
// SQL Server manager to Npgsql or SQLite (Provider=<ADO.NET invariant
// name>), and /Set of ServerName, InitialCatalog, UserName and Password
// then writes the keywords of the new provider, taken from the database
// connection manager's own property table (Host and Username for Npgsql,
// Data Source for SQLite), not from a table of OLE DB keywords.
func TestSetRetargetedDatabase(t *testing.T) {
	const name = "localhost.AdventureWorks"
	prefix := `\Package.Connections[` + name + `].Properties[`
	tests := []struct {
		label, cs string
		sets      [][2]string
		want      string
	}{
		{"Npgsql", "Provider=Npgsql;Server=127.0.0.1;Port=5432;Database=app;User ID=a;",
			[][2]string{{"ServerName", "pg01"}, {"InitialCatalog", "sales"}, {"UserName", "etl"}, {"Password", "pg;pw"}},
			`Provider=Npgsql;Server=pg01;Port=5432;Database=sales;User ID=etl;Password="pg;pw";`},
		{"Npgsql, keywords absent", "Provider=Npgsql;",
			[][2]string{{"ServerName", "pg01"}, {"UserName", "etl"}},
			"Provider=Npgsql;Host=pg01;Username=etl;"},
		{"SQLite", "Provider=System.Data.SQLite;Data Source=/srv/a.db;",
			[][2]string{{"ServerName", "/srv/b.db"}},
			"Provider=System.Data.SQLite;Data Source=/srv/b.db;"},
		{"SQL Server stays SQL Server", "Data Source=localhost;Initial Catalog=AdventureWorks;Provider=SQLNCLI11.1;Server=old;",
			[][2]string{{"ServerName", "db1"}},
			"Data Source=db1;Initial Catalog=AdventureWorks;Provider=SQLNCLI11.1;Server=db1;"},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			p := load(t, targets)
			if err := set(t, p, prefix+"ConnectionString]", tt.cs); err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.sets {
				if err := set(t, p, prefix+s[0]+"]", s[1]); err != nil {
					t.Fatalf("%s: %v", s[0], err)
				}
			}
			if msg := connString(name, tt.want)(p); msg != "" {
				t.Error(msg)
			}
			if msg := connString(name, tt.want)(reload(t, p)); msg != "" {
				t.Errorf("after a save and re-load: %s", msg)
			}
		})
	}
}

// TestSetDatabaseUnknownPropertyListsTheTable: a property the database
// manager does not have is refused with the ones it has, its keys
// included.
func TestSetDatabaseUnknownPropertyListsTheTable(t *testing.T) {
	p := load(t, targets)
	err := set(t, p, `\Package.Connections[localhost.AdventureWorks].Properties[Colour]`, "red")
	if err == nil {
		t.Fatal("Set of Colour succeeded")
	}
	for _, w := range []string{"ServerName", "InitialCatalog", "UserName", "Password", "RetainSameConnection"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not name %s", err, w)
		}
	}
}

// TestConfigFileRetargetsDatabase: a .dtsConfig retargets a database
// manager as /Conn and /Set do, its entries applied in order: the
// ConnectionString to Npgsql, then ServerName and UserName as Npgsql
// spells them.
func TestConfigFileRetargetsDatabase(t *testing.T) {
	const cfg = `<?xml version="1.0"?>
<DTSConfiguration>
	<Configuration ConfiguredType="Property" Path="\Package.Connections[localhost.AdventureWorks].Properties[ConnectionString]" ValueType="String">
		<ConfiguredValue>Provider=Npgsql;Port=5432;Database=dw;</ConfiguredValue>
	</Configuration>
	<Configuration ConfiguredType="Property" Path="\Package.Connections[localhost.AdventureWorks].Properties[ServerName]" ValueType="String">
		<ConfiguredValue>pg01</ConfiguredValue>
	</Configuration>
	<Configuration ConfiguredType="Property" Path="\Package.Connections[localhost.AdventureWorks].Properties[UserName]" ValueType="String">
		<ConfiguredValue>etl</ConfiguredValue>
	</Configuration>
</DTSConfiguration>`
	cf, err := dtsx.LoadConfigFile("retarget.dtsConfig", []byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	p := load(t, targets)
	if diags := override.ApplyConfigFile(p, builtinTypes, cf); len(diags) > 0 {
		t.Fatalf("diagnostics %v", diags)
	}
	if msg := connString("localhost.AdventureWorks", "Provider=Npgsql;Port=5432;Database=dw;Host=pg01;Username=etl;")(p); msg != "" {
		t.Error(msg)
	}
}
