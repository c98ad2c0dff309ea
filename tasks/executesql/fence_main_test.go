package executesql_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestMain sets the module's test fence: the tests reach SQLite in
// process and, with DTSX_REAL_PG=1, the PostgreSQL on loopback.
func TestMain(m *testing.M) { testfence.Main(m) }
