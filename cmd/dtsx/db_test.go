package main

import (
	"database/sql"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/dtsx-run/dtsx/internal/realpg"
)

const dbProbePass = "Db-Probe-Secret-77"

// dbProbePkg is a format-8 package with the database managers given, each
// "Name|CreationName|ConnectionString".
func dbProbePkg(t *testing.T, managers ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package" DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p"><DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property><DTS:ConnectionManagers>`)
	for i, m := range managers {
		f := strings.SplitN(m, "|", 3)
		fmt.Fprintf(&b, `<DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[%s]" DTS:CreationName="%s" DTS:DTSID="{00000000-0000-0000-0000-%012d}" DTS:ObjectName="%s"><DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="%s" /></DTS:ObjectData></DTS:ConnectionManager>`,
			f[0], f[1], i+1, f[0], strings.ReplaceAll(f[2], `"`, "&quot;"))
	}
	b.WriteString(`</DTS:ConnectionManagers><DTS:Executables/></DTS:Executable>`)
	return writeFile(t, t.TempDir(), "probe.dtsx", b.String())
}

const (
	sqliteCN = "ADO.NET:System.Data.SQLite.SQLiteConnection, System.Data.SQLite"
	npgsqlCN = "ADO.NET:Npgsql.NpgsqlConnection, Npgsql"
)

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// silentServer accepts connections on loopback and never answers; it
// counts them.
func silentServer(t *testing.T) (int, func() int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 16)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	t.Cleanup(func() {
		l.Close()
		for {
			select {
			case c := <-accepted:
				c.Close()
			default:
				return
			}
		}
	})
	return l.Addr().(*net.TCPAddr).Port, func() int { return len(accepted) }
}

// TestDBProbe: one line per database manager, with the server's product
// and version or the precise failure, never the password; an embedded
// SQLite answers in process; a loopback port nothing listens on fails at
// once; a server that never answers fails after --timeout, not later; a
// private address is refused by the fence before any connection.
func TestDBProbe(t *testing.T) {
	t.Setenv("DTSX_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
	dir := t.TempDir()
	lite := filepath.Join(dir, "app.db")
	db, err := sql.Open("sqlite", lite)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.Stat(lite)
	refused := closedPort(t)
	silent, accepted := silentServer(t)
	pkg := dbProbePkg(t,
		"Lite|"+sqliteCN+"|Data Source="+lite+";",
		"Missing|"+sqliteCN+"|Data Source="+filepath.Join(dir, "missing.db")+";",
		fmt.Sprintf("Refused|OLEDB|Data Source=127.0.0.1,%d;Initial Catalog=dw;Provider=MSOLEDBSQL;User ID=etl;Password=%s;", refused, dbProbePass),
		fmt.Sprintf("RefusedPg|%s|Host=127.0.0.1;Port=%d;Database=dw;Username=etl;Password=%s;", npgsqlCN, refused, dbProbePass),
		fmt.Sprintf("Silent|%s|Host=127.0.0.1;Port=%d;Database=dw;Username=etl;Password=%s;Timeout=30;", npgsqlCN, silent, dbProbePass),
		"Private|OLEDB|Data Source=10.31.60.164;Initial Catalog=dw;Provider=SQLNCLI11.1;User ID=etl;Password="+dbProbePass+";",
	)
	start := time.Now()
	code, out, errOut := runCLI(t, "db", "probe", "--timeout", "1s", pkg)
	elapsed := time.Since(start)
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines, want one per manager:\n%s", len(lines), out)
	}
	for i, want := range [][]string{
		{`"Lite"`, "ok: SQLite 3."},
		{`"Missing"`, "missing.db", "a probe creates none"},
		{`"Refused"`, "SQL Server", fmt.Sprintf("127.0.0.1:%d", refused), "connection refused"},
		{`"RefusedPg"`, "PostgreSQL", "connection refused"},
		{`"Silent"`, "PostgreSQL", "no answer within 1s"},
		{`"Private"`, "10.31.60.164", "DTSX_ALLOWED_HOSTS allows only"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d %q lacks %q", i+1, lines[i], w)
			}
		}
	}
	if strings.Contains(out+errOut, dbProbePass) {
		t.Errorf("the password shows:\n%s", out)
	}
	if elapsed > 5*time.Second {
		t.Errorf("the probe took %s; a silent server must fail after --timeout", elapsed)
	}
	if accepted() == 0 {
		t.Error("the silent server saw no connection")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("the probe created a SQLite database")
	}
	if after, _ := os.Stat(lite); after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Error("the probe changed the SQLite database")
	}

	// --connection picks managers; --json is the same results.
	code, out, _ = runCLI(t, "db", "probe", "--json", "--connection", "Lite", pkg)
	if code != 0 || !strings.Contains(out, `"product": "SQLite"`) || strings.Contains(out, `"Refused"`) {
		t.Errorf("--json --connection Lite: exit %d\n%s", code, out)
	}
}

// TestValidateConnect: dtsx validate stays offline (a listening server
// sees no connection); with --connect it opens each database manager and
// reports one diagnostic per manager.
func TestValidateConnect(t *testing.T) {
	t.Setenv("DTSX_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
	silent, accepted := silentServer(t)
	refused := closedPort(t)
	pkg := dbProbePkg(t,
		fmt.Sprintf("Silent|OLEDB|Data Source=127.0.0.1,%d;Initial Catalog=dw;Provider=MSOLEDBSQL;User ID=etl;Password=%s;", silent, dbProbePass),
		fmt.Sprintf("Refused|%s|Host=127.0.0.1;Port=%d;Database=dw;Username=etl;Password=%s;", npgsqlCN, refused, dbProbePass),
		"Lite|"+sqliteCN+"|Data Source=:memory:;",
	)
	code, out, errOut := runCLI(t, "validate", pkg)
	if code != 0 || accepted() != 0 {
		t.Fatalf("offline validate: exit %d, %d connections\n%s%s", code, accepted(), out, errOut)
	}
	start := time.Now()
	code, out, _ = runCLI(t, "validate", "--connect", "--timeout", "1s", pkg)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("validate --connect took %s with --timeout 1s", elapsed)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s", code, out)
	}
	for _, w := range []string{
		`error[db-connect-failed]: Package.ConnectionManagers[Silent]: connection manager "Silent" (SQL Server, 127.0.0.1:` + fmt.Sprint(silent) + `): no answer within 1s`,
		`error[db-connect-failed]: Package.ConnectionManagers[Refused]`,
		`info[db-connected]: Package.ConnectionManagers[Lite]`,
		"2 errors, 0 warnings",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Count(out, "db-connect-failed") != 2 || strings.Contains(out, dbProbePass) {
		t.Errorf("want one error per failing manager and no password:\n%s", out)
	}
}

// TestDBProbeRealPostgres (DTSX_REAL_PG=1): the real server answers with
// its version.
func TestDBProbeRealPostgres(t *testing.T) {
	env := realpg.Env(t)
	t.Setenv("DTSX_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
	pkg := dbProbePkg(t, "Pg|"+npgsqlCN+"|"+realpg.Npgsql(env), "WrongPw|"+npgsqlCN+"|"+realpg.Npgsql(realpg.WithPassword(env, dbProbePass)))
	code, out, errOut := runCLI(t, "db", "probe", pkg)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 2 || !strings.Contains(lines[0], "ok: PostgreSQL 15") ||
		!strings.Contains(lines[1], "password authentication failed") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, env["DTSX_PG_PASSWORD"]) || strings.Contains(out, dbProbePass) {
		t.Errorf("a password shows:\n%s", out)
	}
}

// metadataPkg is a format-8 package whose Data Flow task reads the table
// t of the SQLite database db with an OLE DB Source whose external columns
// are id (DT_I4) and name (DT_WSTR); validate is its
// validateExternalMetadata attribute.
func metadataPkg(t *testing.T, db, validate string) string {
	t.Helper()
	const src = `Package\Flow\Read t`
	return writeFile(t, t.TempDir(), "metadata.dtsx", `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package" DTS:DTSID="{00000000-0000-0000-0000-0000000000AB}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p">
<DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
<DTS:ConnectionManagers><DTS:ConnectionManager DTS:refId="Package.ConnectionManagers[Lite]" DTS:CreationName="ODBC" DTS:DTSID="{00000000-0000-0000-0000-000000000001}" DTS:ObjectName="Lite"><DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="Driver={SQLite3 ODBC Driver};Database=`+db+`;" /></DTS:ObjectData></DTS:ConnectionManager></DTS:ConnectionManagers>
<DTS:Executables><DTS:Executable DTS:refId="Package\Flow" DTS:CreationName="Microsoft.Pipeline" DTS:DTSID="{00000000-0000-0000-0000-000000000002}" DTS:ExecutableType="Microsoft.Pipeline" DTS:ObjectName="Flow"><DTS:ObjectData><pipeline version="1"><components>
<component refId="`+src+`" componentClassID="Microsoft.OLEDBSource" name="Read t" validateExternalMetadata="`+validate+`" version="7">
<properties><property dataType="System.String" name="OpenRowset">[t]</property><property dataType="System.Int32" name="AccessMode">0</property></properties>
<connections><connection refId="`+src+`.Connections[OleDbConnection]" connectionManagerID="Package.ConnectionManagers[Lite]" connectionManagerRefId="Package.ConnectionManagers[Lite]" name="OleDbConnection" /></connections>
<outputs><output refId="`+src+`.Outputs[OLE DB Source Output]" name="OLE DB Source Output"><outputColumns>
<outputColumn refId="`+src+`.Outputs[OLE DB Source Output].Columns[id]" dataType="i4" externalMetadataColumnId="`+src+`.Outputs[OLE DB Source Output].ExternalColumns[id]" lineageId="`+src+`.Outputs[OLE DB Source Output].Columns[id]" name="id" />
<outputColumn refId="`+src+`.Outputs[OLE DB Source Output].Columns[name]" dataType="wstr" length="20" externalMetadataColumnId="`+src+`.Outputs[OLE DB Source Output].ExternalColumns[name]" lineageId="`+src+`.Outputs[OLE DB Source Output].Columns[name]" name="name" />
</outputColumns><externalMetadataColumns isUsed="True">
<externalMetadataColumn refId="`+src+`.Outputs[OLE DB Source Output].ExternalColumns[id]" dataType="i4" name="id" />
<externalMetadataColumn refId="`+src+`.Outputs[OLE DB Source Output].ExternalColumns[name]" dataType="wstr" length="20" name="name" />
</externalMetadataColumns></output></outputs></component>
</components><paths /></pipeline></DTS:ObjectData></DTS:Executable></DTS:Executables></DTS:Executable>`)
}

// TestValidateConnectExternalMetadata: with --connect, a source whose
// external column the table lacks is an error naming the component, the
// column and the fix (ValidateExternalMetadata True, the default); False
// skips the check; without --connect nothing is opened; the database is
// not changed.
func TestValidateConnectExternalMetadata(t *testing.T) {
	t.Setenv("DTSX_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
	db := filepath.Join(t.TempDir(), "t.db")
	sdb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	const want = `error[data-flow-external-metadata]: Package\Flow\Read t: Data Flow task "Flow": component "Read t": external column "name" of its output is not a column of table or view [t] (it has id)`
	pkg := metadataPkg(t, db, "true")
	if code, out, errOut := runCLI(t, "validate", pkg); code != 0 || strings.Contains(out, "external-metadata") {
		t.Errorf("offline validate: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ := runCLI(t, "validate", "--connect", pkg)
	if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "refresh the component's columns") {
		t.Errorf("validate --connect: exit %d, want 1 and %q\n%s", code, want, out)
	}
	code, out, _ = runCLI(t, "validate", "--connect", metadataPkg(t, db, "false"))
	if code != 0 || strings.Contains(out, "external-metadata") {
		t.Errorf("validate --connect with validateExternalMetadata false: exit %d\n%s", code, out)
	}
	after, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Error("the database file changed during validation")
	}
}
