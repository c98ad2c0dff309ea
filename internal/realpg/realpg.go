package realpg

import (
	"fmt"
	"maps"
	"net"
	"os"
	"testing"
)

// Keys are the settings start.sh writes to its env file.
var Keys = []string{"DTSX_PG_HOST", "DTSX_PG_PORT", "DTSX_PG_USER", "DTSX_PG_PASSWORD", "DTSX_PG_DATABASE"}

// Env returns the server's settings from the environment, or skips the test
// when DTSX_REAL_PG is not 1. A host other than loopback fails the test.
func Env(t testing.TB) map[string]string {
	t.Helper()
	if os.Getenv("DTSX_REAL_PG") != "1" {
		t.Skip("DTSX_REAL_PG=1 runs the PostgreSQL suite (scripts/postgres/start.sh)")
	}
	env := map[string]string{}
	for _, k := range Keys {
		if env[k] = os.Getenv(k); env[k] == "" {
			t.Fatalf("DTSX_REAL_PG=1 but %s is not set: source the env file scripts/postgres/start.sh writes", k)
		}
	}
	if ip := net.ParseIP(env["DTSX_PG_HOST"]); ip == nil || !ip.IsLoopback() {
		t.Fatalf("DTSX_PG_HOST is %s: the suite reaches loopback only", env["DTSX_PG_HOST"])
	}
	return env
}

// WithPassword returns a copy of env whose password is password: the
// settings of a login that the server refuses, for the tests of a wrong
// password.
func WithPassword(env map[string]string, password string) map[string]string {
	c := maps.Clone(env)
	c["DTSX_PG_PASSWORD"] = password
	return c
}

// Npgsql is the ADO.NET (Npgsql) connection string of the server.
func Npgsql(env map[string]string) string {
	return fmt.Sprintf("Host=%s;Port=%s;Database=%s;Username=%s;Password=%s;SSL Mode=Disable;Timeout=10;",
		env["DTSX_PG_HOST"], env["DTSX_PG_PORT"], env["DTSX_PG_DATABASE"], env["DTSX_PG_USER"], env["DTSX_PG_PASSWORD"])
}

// ODBC is the ODBC ({PostgreSQL Unicode}) connection string of the server.
func ODBC(env map[string]string) string {
	return fmt.Sprintf("Driver={PostgreSQL Unicode};Server=%s;Port=%s;Database=%s;Uid=%s;Pwd=%s;SSLmode=disable;",
		env["DTSX_PG_HOST"], env["DTSX_PG_PORT"], env["DTSX_PG_DATABASE"], env["DTSX_PG_USER"], env["DTSX_PG_PASSWORD"])
}

// Loopback refuses every host but a loopback address: the fence of the
// suite, for database.Options.Allow.
func Loopback(host string) error {
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not a loopback address", host)
	}
	return nil
}
