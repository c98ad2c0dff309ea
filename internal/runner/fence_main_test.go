package runner

import (
	"testing"

	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestMain keeps the tests on loopback (DTSX_ALLOWED_HOSTS).
func TestMain(m *testing.M) { testfence.Main(m) }
