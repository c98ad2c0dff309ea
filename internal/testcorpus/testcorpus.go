// Package testcorpus finds the corpus of real SSIS files that tests read
// (../shared/corpus from the module root). A missing corpus fails the test
// unless DTSX_NO_CORPUS=1 says it is expected to be absent.
package testcorpus

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the corpus folder, or skips the test when DTSX_NO_CORPUS=1,
// or fails it when the corpus is missing.
func Dir(t testing.TB) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		if os.Getenv("DTSX_NO_CORPUS") == "1" {
			t.Skip("corpus absent and DTSX_NO_CORPUS=1")
		}
		t.Fatalf("corpus not found at %s: %v (set DTSX_NO_CORPUS=1 to skip corpus tests)", dir, err)
	}
	return dir
}

// Path returns the path of a corpus file given relative to the corpus.
func Path(t testing.TB, rel string) string { return filepath.Join(Dir(t), rel) }
