// Package testfence keeps the tests of a package on loopback: Main, called
// from the package's TestMain, sets the egress fence (DTSX_ALLOWED_HOSTS,
// and its alias DTSX_SMTP_ALLOWED_HOSTS, to 127.0.0.1,::1,localhost)
// before any test runs, so that a test naming another server, SMTP or
// database, fails before any DNS lookup or connection, whether or not
// whoever runs the tests remembered to set it.
//
// It imports nothing of this module, so that the internal tests of any
// package (connections/smtp's included) may use it.
package testfence

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// Env is the older variable of the fence, which the SMTP connection
// managers read first (smtp.EnvAllowedHosts); it is now an alias of
// EnvAll and fences every connection.
const Env = "DTSX_SMTP_ALLOWED_HOSTS"

// EnvAll is the variable of the fence of every outbound connection
// (fence.Env).
const EnvAll = "DTSX_ALLOWED_HOSTS"

// Loopback is the fence tests run behind.
const Loopback = "127.0.0.1,::1,localhost"

// Set sets both variables to Loopback unless the environment sets them
// already (CI may narrow them further); an empty value, which would mean
// no fence, counts as unset.
func Set() {
	for _, env := range []string{EnvAll, Env} {
		if strings.TrimSpace(os.Getenv(env)) == "" {
			os.Setenv(env, Loopback)
		}
	}
}

// SetFor sets the fence to Loopback for the rest of t, whatever the
// environment says: for a test whose servers listen on loopback.
func SetFor(t testing.TB) { t.Setenv(Env, Loopback) }

// CountLookups replaces the resolver of package net, for the rest of t,
// by one that counts every query it is asked and answers none, and
// returns the count: a test of the fence checks that it stays 0, that
// nothing was looked up before the fence refused.
func CountLookups(t testing.TB) *atomic.Int32 {
	t.Helper()
	var n atomic.Int32
	r := net.DefaultResolver
	preferGo, dial := r.PreferGo, r.Dial
	r.PreferGo = true
	r.Dial = func(context.Context, string, string) (net.Conn, error) {
		n.Add(1)
		return nil, errors.New("testfence: the resolver was asked")
	}
	t.Cleanup(func() { r.PreferGo, r.Dial = preferGo, dial })
	return &n
}

// Main sets the fence, runs the tests and exits with their code: the whole
// of a TestMain that needs nothing else.
func Main(m *testing.M) {
	Set()
	os.Exit(m.Run())
}
