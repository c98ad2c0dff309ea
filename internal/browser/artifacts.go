package browser

import (
	"os"
	"path/filepath"
	"testing"
)

// ArtifactDir returns the directory that keeps the screenshots, creating it:
// $DTSX_ARTIFACTS when it is set, else artifacts/ at the root of the
// repository (the nearest directory above the test's own that holds go.mod).
func ArtifactDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("DTSX_ARTIFACTS")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatalf("browser: no artefact directory: %v; set DTSX_ARTIFACTS", err)
		}
		dir = filepath.Join(root, "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("browser: artefact directory: %v", err)
	}
	return dir
}

// moduleRoot returns the nearest directory at or above the working
// directory that holds a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
