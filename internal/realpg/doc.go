// Package realpg gives tests the real PostgreSQL server that
// scripts/postgres/start.sh runs on loopback. It is used when
// DTSX_REAL_PG=1; then a missing server (its settings not in the
// environment) fails the test instead of skipping it.
//
// It imports nothing of this module, so that the tests of any package,
// from connections to cmd, may use it.
package realpg
