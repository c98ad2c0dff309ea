package database_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestMain sets the module's test fence like every package whose tests
// open connections. The database managers take their fence in Options
// (Allow), not from the environment: every test here that reaches a
// server passes one that allows loopback only, or replaces the dial.
func TestMain(m *testing.M) { testfence.Main(m) }
