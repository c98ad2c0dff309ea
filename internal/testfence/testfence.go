// Package testfence puts a test binary behind the egress fence: every SMTP
// connection a test opens may reach loopback only, whatever the environment
// the tests were started in, so that no test depends on remembering to set
// the fence and a slip fails before any DNS lookup.
package testfence

import (
	"os"
	"testing"
)

// Env is the fence's environment variable (connections/smtp.EnvAllowedHosts;
// a test there holds the two together, since that package's own tests
// cannot import it from here).
const Env = "DTSX_SMTP_ALLOWED_HOSTS"

// Loopback is the only fence tests run behind.
const Loopback = "127.0.0.1,::1,localhost"

// Set fences the process to loopback.
func Set() {
	if err := os.Setenv(Env, Loopback); err != nil {
		panic("testfence: " + err.Error())
	}
}

// Main fences the process to loopback, runs the tests and exits with their
// code. A package's TestMain is testfence.Main(m), or calls Set first.
func Main(m *testing.M) {
	Set()
	os.Exit(m.Run())
}
