package dtsx_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/benchgen"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// BenchmarkLoad measures LoadPackage on two sets of bytes, each beside two
// references that read the same bytes:
//
//	<set>/load      dtsx.LoadPackage, the model and its diagnostics
//	<set>/RawToken  encoding/xml Decoder.RawToken over every token: the baseline
//	<set>/etree     a bare etree ReadFromBytes: the ceiling of a loader built on etree
//
// The sets are "corpus" (every corpus .dtsx) and "10MB" (one generated
// format-8 package of about 10 MB). bench/load.sh turns the MB/s into ratios.
func BenchmarkLoad(b *testing.B) {
	sets := []struct {
		name  string
		files [][]byte
	}{
		{"corpus", benchCorpus(b)},
		{"10MB", [][]byte{benchBigPackage(b, 10<<20, false)}},
	}
	for _, set := range sets {
		var total int64
		for _, d := range set.files {
			total += int64(len(d))
		}
		b.Run(set.name, func(b *testing.B) {
			b.Run("load", func(b *testing.B) {
				b.SetBytes(total)
				b.ReportAllocs()
				for b.Loop() {
					for _, d := range set.files {
						_, _ = dtsx.LoadPackage("bench.dtsx", d)
					}
				}
			})
			b.Run("RawToken", func(b *testing.B) {
				b.SetBytes(total)
				b.ReportAllocs()
				for b.Loop() {
					for _, d := range set.files {
						if err := benchRawTokens(d); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
			b.Run("etree", func(b *testing.B) {
				b.SetBytes(total)
				b.ReportAllocs()
				for b.Loop() {
					for _, d := range set.files {
						doc := etree.NewDocument()
						doc.ReadSettings = benchReadSettings
						if err := doc.ReadFromBytes(bytes.TrimPrefix(d, benchBOM)); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		})
	}
}

var benchBOM = []byte{0xEF, 0xBB, 0xBF}

// benchPassCharset reads every declared encoding as UTF-8, as the loader
// does (real packages are UTF-8 whatever CDATA inside declares).
func benchPassCharset(_ string, r io.Reader) (io.Reader, error) { return r, nil }

var benchReadSettings = etree.ReadSettings{CharsetReader: benchPassCharset}

// benchRawTokens scans data with Decoder.RawToken to the end.
func benchRawTokens(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, benchBOM)))
	d.CharsetReader = benchPassCharset
	for {
		if _, err := d.RawToken(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// benchCorpus reads every .dtsx of the corpus.
func benchCorpus(b *testing.B) [][]byte {
	b.Helper()
	var out [][]byte
	err := filepath.WalkDir(testcorpus.Dir(b), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".dtsx") {
			return err
		}
		data, err := os.ReadFile(path)
		out = append(out, data)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(out) == 0 {
		b.Fatal("no .dtsx in the corpus")
	}
	return out
}

// benchBigPackage generates a format-8 package of at least size bytes
// (benchgen.Write) and checks that it loads with the executables and, with
// diag, exactly the loader diagnostics benchgen says it wrote; without diag
// it has none.
func benchBigPackage(b *testing.B, size int, diag bool) []byte {
	b.Helper()
	data, st := benchgen.Bytes(benchgen.Options{Size: int64(size), Diagnostics: diag})
	p, err := dtsx.LoadPackage("generated.dtsx", data)
	if err != nil {
		b.Fatalf("generated package: %v", err)
	}
	if want := st.Locked + st.DuplicateIDs; len(p.Diagnostics) != want {
		b.Fatalf("generated package: %d diagnostics, want %d: %v", len(p.Diagnostics), want, p.Diagnostics)
	}
	n := 0
	p.Walk(func(*dtsx.Executable) bool { n++; return true })
	if n != st.Executables {
		b.Fatalf("generated package has %d executables, want %d", n, st.Executables)
	}
	return data
}
