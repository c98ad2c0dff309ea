package credentials_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/credentials"
)

// TestEnvPrefixes: each kind of connection reads its own variables, so the
// SMTP default (DTSX_SMTP_USERNAME) is never a database login.
func TestEnvPrefixes(t *testing.T) {
	env := map[string]string{
		"DTSX_SMTP_USERNAME": "mailer", "DTSX_SMTP_PASSWORD": "mail-pass",
		"DTSX_DB_WAREHOUSE_USERNAME": `CORP\etl`, "DTSX_DB_WAREHOUSE_PASSWORD": "db-pass",
	}
	look := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		name, prefix, conn string
		ok                 bool
		user, source       string
	}{
		{"smtp default", "DTSX_SMTP_", "Warehouse", true, "mailer", "environment DTSX_SMTP_*"},
		{"db by name", "DTSX_DB_", "Warehouse", true, `CORP\etl`, "environment DTSX_DB_WAREHOUSE_*"},
		{"db has no default", "DTSX_DB_", "Other", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok, err := credentials.Env{Prefix: tt.prefix, Lookup: look}.Credential(tt.conn)
			if err != nil || ok != tt.ok || c.UserName != tt.user || c.Source != tt.source {
				t.Fatalf("got %v, %v, %v; want ok=%v %q from %q", c, ok, err, tt.ok, tt.user, tt.source)
			}
		})
	}
	if got := credentials.EnvName("DTSX_DB_", "OLE DB: Sales-1", "PASSWORD"); got != "DTSX_DB_OLE_DB__SALES_1_PASSWORD" {
		t.Errorf("EnvName = %q", got)
	}
}

// TestDefaultChain: overrides, then the environment, then the file; a
// file that does not parse is a *FileError that does not quote it.
func TestDefaultChain(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "creds.yaml")
	if err := os.WriteFile(path, []byte("Warehouse:\n  username: CORP\\etl\n  password: file-pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DTSX_DB_WAREHOUSE_USERNAME", "")
	t.Setenv("DTSX_DB_USERNAME", "")
	tests := []struct {
		name      string
		overrides credentials.Static
		user      string
		source    string
	}{
		{"file", nil, `CORP\etl`, "credentials file " + path},
		{"override wins", credentials.Static{"warehouse": {UserName: "o", Password: "op"}}, "o", "an explicit override"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chain, err := credentials.Default("DTSX_DB_", tt.overrides, path)
			if err != nil {
				t.Fatal(err)
			}
			c, ok, err := chain.Credential("Warehouse")
			if err != nil || !ok || c.UserName != tt.user || c.Source != tt.source {
				t.Fatalf("got %v, %v, %v; want %q from %q", c, ok, err, tt.user, tt.source)
			}
			if s := fmt.Sprintf("%v %+v %#v", c, c, c); strings.Contains(s, c.Password) {
				t.Errorf("formatting shows the password: %s", s)
			}
		})
	}
	os.WriteFile(path, []byte("Warehouse: [unclosed\n  password: leaked-secret"), 0o600)
	_, err := credentials.Default("DTSX_DB_", nil, path)
	var fe *credentials.FileError
	if !errors.As(err, &fe) || fe.Line != 1 || strings.Contains(err.Error(), "leaked") || !strings.HasPrefix(err.Error(), "credentials file "+path) {
		t.Errorf("err = %v, want a *FileError at line 1 that does not quote the file", err)
	}
}
