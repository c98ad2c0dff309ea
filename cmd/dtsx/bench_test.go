package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/benchgen"
	"github.com/dtsx-run/dtsx/internal/runner"
)

// benchValidateFile writes the generated 10 MB package with diagnostics
// (benchgen.Options.Diagnostics) to a temporary file, checks that `dtsx
// validate` reports every one of them, and returns the file and its size.
func benchValidateFile(b *testing.B) (string, int64) {
	b.Helper()
	data, st := benchgen.Bytes(benchgen.Options{Size: 10 << 20, Diagnostics: true})
	path := filepath.Join(b.TempDir(), "generated.dtsx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	var out strings.Builder
	if code := run([]string{"validate", path}, &out, io.Discard); code != runner.ExitFailure {
		b.Fatalf("dtsx validate: exit %d, want %d:\n%s", code, runner.ExitFailure, out.String())
	}
	// Errors: one unknown type and one duplicate DTSID per container.
	want := "validated 1 package: " + plural(st.ThirdParty+st.DuplicateIDs, "error")
	if !strings.Contains(out.String(), want) {
		b.Fatalf("dtsx validate: no %q in its output's end:\n%s", want, tail(out.String(), 500))
	}
	return path, int64(len(data))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// BenchmarkValidate10MB runs `dtsx validate` (cmdValidate: load, build,
// validate every connection manager and task, print the diagnostics) on a
// generated package of about 10 MB with many executables and hundreds of
// diagnostics. BenchmarkRawToken10MB reads and scans the same file with
// encoding/xml's RawToken; bench/validate.sh prints the ratio of the two.
func BenchmarkValidate10MB(b *testing.B) {
	path, size := benchValidateFile(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		run([]string{"validate", path}, io.Discard, io.Discard)
	}
}

// BenchmarkRawToken10MB is the baseline of BenchmarkValidate10MB: the same
// file read and scanned to the end with Decoder.RawToken.
func BenchmarkRawToken10MB(b *testing.B) {
	path, size := benchValidateFile(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := benchgen.RawTokens(data); err != nil {
			b.Fatal(err)
		}
	}
}
