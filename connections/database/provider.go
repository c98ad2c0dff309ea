package database

import (
	"fmt"
	"regexp"
	"strings"
)

// Kind is the SSIS connection manager type: OLE DB, ADO.NET or ODBC.
type Kind int

// The connection manager types this package reads.
const (
	KindUnknown Kind = iota
	KindOLEDB
	KindADONET
	KindODBC
)

// String returns the CreationName of the kind.
func (k Kind) String() string {
	switch k {
	case KindOLEDB:
		return "OLEDB"
	case KindADONET:
		return "ADO.NET"
	case KindODBC:
		return "ODBC"
	}
	return "unknown"
}

// Family is the database engine a provider reaches, and so the Go driver.
type Family int

// The families with a Go driver.
const (
	FamilyUnsupported Family = iota
	FamilySQLServer
	FamilyPostgreSQL
	FamilySQLite
)

// String names the family.
func (f Family) String() string {
	switch f {
	case FamilySQLServer:
		return "SQL Server"
	case FamilyPostgreSQL:
		return "PostgreSQL"
	case FamilySQLite:
		return "SQLite"
	}
	return "unsupported"
}

// Driver returns the Go module that serves the family, or "".
func (f Family) Driver() string {
	switch f {
	case FamilySQLServer:
		return "github.com/microsoft/go-mssqldb"
	case FamilyPostgreSQL:
		return "github.com/jackc/pgx/v5"
	case FamilySQLite:
		return "modernc.org/sqlite"
	}
	return ""
}

// Provider is what a connection manager's CreationName and connection
// string say about its data source.
type Provider struct {
	Kind   Kind
	Family Family
	// Name is the provider as persisted: the OLE DB Provider= value, the ODBC
	// Driver= value without braces, or the ADO.NET provider type without its
	// assembly qualification. It may be empty (an ODBC DSN, a missing
	// Provider=).
	Name string
	// Bridged is the Provider= or Driver= of an ADO.NET bridge to OLE DB
	// or ODBC (System.Data.OleDb, System.Data.Odbc), which decides its
	// family.
	Bridged string
	// Invariant is the ADO.NET provider invariant name a connection
	// string's Provider= names (Npgsql, System.Data.SQLite, ...), which
	// retargets a manager of any kind to that provider's family; "" when
	// none does. See invariantFamily.
	Invariant string
}

// ParseKind reads a CreationName: "OLEDB", "ODBC", or "ADO.NET:<type>"
// (assembly-qualified or not). It returns the ADO.NET provider type, without
// the assembly, for ADO.NET.
func ParseKind(creationName string) (Kind, string) {
	cn := strings.TrimSpace(creationName)
	switch {
	case strings.EqualFold(cn, "OLEDB"):
		return KindOLEDB, ""
	case strings.EqualFold(cn, "ODBC"):
		return KindODBC, ""
	case len(cn) >= 7 && strings.EqualFold(cn[:7], "ADO.NET"):
		t := strings.TrimPrefix(cn[7:], ":")
		if i := strings.IndexByte(t, ','); i >= 0 {
			t = t[:i]
		}
		return KindADONET, strings.TrimSpace(t)
	}
	return KindUnknown, ""
}

// nativeFamily maps the OLE DB providers and ODBC drivers of each kind to
// families: the first pattern that matches the Provider= or Driver= wins.
var nativeFamily = map[Kind][]struct {
	name   *regexp.Regexp
	family Family
}{
	KindOLEDB: {
		{regexp.MustCompile(`(?i)^(sqlncli\d*|sqloledb|msoledbsql\d*)(\.\d+)?$`), FamilySQLServer},
		{regexp.MustCompile(`(?i)^pgnp(\.\d+)?$`), FamilyPostgreSQL},
	},
	KindODBC: {
		{regexp.MustCompile(`(?i)^(odbc driver \d+ for sql server|sql server native client [\d.]+|sql server|sql native client)$`), FamilySQLServer},
		{regexp.MustCompile(`(?i)^postgresql (unicode|ansi)(\(x64\))?$`), FamilyPostgreSQL},
		{regexp.MustCompile(`(?i)^sqlite3 odbc driver$`), FamilySQLite},
	},
}

// adoNetFamily maps ADO.NET provider types (without assembly) to families.
var adoNetFamily = map[string]Family{
	"system.data.sqlclient.sqlconnection":    FamilySQLServer,
	"microsoft.data.sqlclient.sqlconnection": FamilySQLServer,
	"sql":                                    FamilySQLServer, // the short name of SSIS 2005's ADO.NET:SQL
	"npgsql.npgsqlconnection":                FamilyPostgreSQL,
	"system.data.sqlite.sqliteconnection":    FamilySQLite,
	"microsoft.data.sqlite.sqliteconnection": FamilySQLite,
}

// invariantFamily maps the ADO.NET provider invariant names (the names
// .NET's DbProviderFactories registers providers under, the providerName
// of a <connectionStrings> entry) to families. A connection string whose
// Provider= is one of them reaches that provider whatever the manager's
// kind, with that provider's keywords: Provider=Npgsql;Host=...;Username=...
// given with --conn or /Conn retargets an OLE DB SQL Server manager to
// PostgreSQL, Provider=System.Data.SQLite;Data Source=... to SQLite. This
// is an extension of dtsx (SSIS cannot change a manager's provider from
// the command line); the manager keeps its kind, so the SQL of its tasks
// keeps its kind's parameter markers.
var invariantFamily = map[string]Family{
	"system.data.sqlclient":    FamilySQLServer,
	"microsoft.data.sqlclient": FamilySQLServer,
	"npgsql":                   FamilyPostgreSQL,
	"system.data.sqlite":       FamilySQLite,
	"microsoft.data.sqlite":    FamilySQLite,
}

// Classify finds the provider of a connection manager from its
// CreationName and the Provider= or Driver= of its connection string
// (provider, as given; braces are removed).
func Classify(creationName, provider string) Provider {
	kind, adoType := ParseKind(creationName)
	name := strings.TrimSpace(strings.Trim(strings.TrimSpace(provider), "{}"))
	p := Provider{Kind: kind, Name: name}
	switch kind {
	case KindOLEDB, KindODBC:
		for _, f := range nativeFamily[kind] {
			if f.name.MatchString(name) {
				p.Family = f.family
				break
			}
		}
	case KindADONET:
		// The .NET bridges to OLE DB and ODBC reach what their Provider= or
		// Driver= names.
		switch strings.ToLower(adoType) {
		case "system.data.oledb.oledbconnection":
			p.Family, p.Bridged = Classify("OLEDB", provider).Family, name
		case "system.data.odbc.odbcconnection":
			p.Family, p.Bridged = Classify("ODBC", provider).Family, name
		default:
			p.Family = adoNetFamily[strings.ToLower(adoType)]
		}
		p.Name = adoType
	}
	if fam, ok := invariantFamily[strings.ToLower(name)]; ok && kind != KindUnknown {
		p.Family, p.Invariant, p.Bridged = fam, name, ""
	}
	return p
}

// String names the provider as the connection manager persists it.
func (p Provider) String() string {
	switch {
	case p.Name == "":
		return p.Kind.String()
	case p.Invariant != "" && p.Kind == KindADONET:
		return "ADO.NET:" + p.Name + " (Provider=" + p.Invariant + ")"
	case p.Invariant != "" && p.Kind == KindODBC:
		return "ODBC (Provider=" + p.Invariant + ")"
	case p.Kind == KindADONET && p.Bridged != "":
		return "ADO.NET:" + p.Name + " (" + p.Bridged + ")"
	case p.Kind == KindADONET:
		return "ADO.NET:" + p.Name
	case p.Kind == KindODBC:
		return "ODBC {" + p.Name + "}"
	}
	return p.Kind.String() + " " + p.Name
}

// unsupportedHint says what to do about a provider with no Go driver.
func (p Provider) unsupportedHint() string {
	lower := strings.ToLower(p.Name + " " + p.Bridged)
	switch {
	case p.Kind == KindODBC && p.Name == "":
		return "an ODBC DSN cannot be resolved here: replace Dsn= with Driver={ODBC Driver 18 for SQL Server}, {PostgreSQL Unicode} or {SQLite3 ODBC Driver} and the server's keywords"
	case p.Kind == KindOLEDB && p.Name == "":
		return "add Provider=MSOLEDBSQL (SQL Server) or PGNP (PostgreSQL) to the connection string"
	case strings.Contains(lower, "ora"):
		return "Oracle is not supported: there is no Oracle driver in dtsx; move the task to a supported database or run it on Windows"
	case strings.Contains(lower, "jet") || strings.Contains(lower, "ace"):
		return "Access and Excel through Jet/ACE are not supported: export the data to a flat file or SQLite"
	case strings.Contains(lower, "msolap"):
		return "Analysis Services (MSOLAP) is not supported here"
	}
	return "supported: SQL Server (SQLNCLI*, SQLOLEDB, MSOLEDBSQL*, SqlClient, ODBC Driver NN for SQL Server), PostgreSQL (Npgsql, PostgreSQL Unicode/ANSI, PGNP) and SQLite (System.Data.SQLite, SQLite3 ODBC Driver); retarget the connection to one of them (a connection string of Provider=Npgsql;Host=… or Provider=System.Data.SQLite;Data Source=… reaches PostgreSQL or SQLite from a manager of any kind)"
}

// unsupportedMessage describes an unsupported provider.
func (p Provider) unsupportedMessage() string {
	if p.Name == "" {
		return fmt.Sprintf("the %s connection string names no provider this runtime can map to a driver", p.Kind)
	}
	return fmt.Sprintf("provider %s has no driver in dtsx", p)
}
