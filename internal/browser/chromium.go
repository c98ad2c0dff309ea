package browser

import (
	"os"
	"os/exec"
	"testing"
)

// Width and Height are the size of the viewport of every page.
const (
	Width  = 1280
	Height = 800
)

// candidates are the names of the Chromium binary looked up on PATH when
// DTSX_CHROMIUM is not set.
var candidates = []string{"chromium", "chromium-browser", "google-chrome"}

// Require returns the path of the Chromium binary. It skips the test when
// DTSX_REAL_BROWSER is not 1, and fails it when DTSX_REAL_BROWSER=1 and no
// Chromium is found.
func Require(t testing.TB) string {
	t.Helper()
	if os.Getenv("DTSX_REAL_BROWSER") != "1" {
		t.Skip("DTSX_REAL_BROWSER=1 runs the headless Chromium suite (scripts/chromium/install.sh)")
	}
	path, err := Find()
	if err != nil {
		t.Fatalf("DTSX_REAL_BROWSER=1 but %v: run scripts/chromium/install.sh or set DTSX_CHROMIUM", err)
	}
	return path
}

// Find returns the path of the Chromium binary: DTSX_CHROMIUM when it is set,
// else the first of chromium, chromium-browser and google-chrome on PATH.
func Find() (string, error) {
	if p := os.Getenv("DTSX_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	var err error
	for _, name := range candidates {
		var p string
		if p, err = exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", err
}

// needsNoSandbox reports whether Chromium must run without its sandbox:
// Chromium refuses to start its sandbox as root.
func needsNoSandbox() bool {
	return os.Geteuid() == 0 || os.Getenv("DTSX_CHROMIUM_NO_SANDBOX") == "1"
}
