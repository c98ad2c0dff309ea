package credentials_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestMain sets the module's test fence like every package whose tests
// touch Kerberos: nothing here dials, but a keytab or krb5.conf could name
// a KDC.
func TestMain(m *testing.M) { testfence.Main(m) }
