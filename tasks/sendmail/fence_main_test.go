package sendmail_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestMain keeps the tests on loopback (DTSX_SMTP_ALLOWED_HOSTS).
func TestMain(m *testing.M) { testfence.Main(m) }
