// Package testfence keeps the tests of a package on loopback: Main, called
// from the package's TestMain, sets the SMTP egress fence
// (DTSX_SMTP_ALLOWED_HOSTS=127.0.0.1,::1,localhost) before any test runs,
// so that a test naming another server fails before any DNS lookup or
// connection, whether or not whoever runs the tests remembered to set it.
//
// It imports nothing of this module, so that the internal tests of any
// package (connections/smtp's included) may use it.
package testfence

import (
	"os"
	"strings"
	"testing"
)

// Env is the variable the SMTP connection managers read their fence from
// (smtp.EnvAllowedHosts).
const Env = "DTSX_SMTP_ALLOWED_HOSTS"

// Loopback is the fence tests run behind.
const Loopback = "127.0.0.1,::1,localhost"

// Set sets the fence to Loopback unless the environment sets one already
// (CI may narrow it further); an empty value, which would mean no fence,
// counts as unset.
func Set() {
	if strings.TrimSpace(os.Getenv(Env)) == "" {
		os.Setenv(Env, Loopback)
	}
}

// SetFor sets the fence to Loopback for the rest of t, whatever the
// environment says: for a test whose servers listen on loopback.
func SetFor(t testing.TB) { t.Setenv(Env, Loopback) }

// Main sets the fence, runs the tests and exits with their code: the whole
// of a TestMain that needs nothing else.
func Main(m *testing.M) {
	Set()
	os.Exit(m.Run())
}
