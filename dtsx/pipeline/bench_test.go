package pipeline_test

import (
	"os"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// benchFile is the corpus package with the most components in one data
// flow (24, format 2).
const benchFile = "sreeman2__SSISPackages/PES_PURGE.dtsx"

// BenchmarkLoadPackage is the baseline of BenchmarkReadAll: loading the
// package whose pipelines it reads.
func BenchmarkLoadPackage(b *testing.B) {
	data, err := os.ReadFile(testcorpus.Path(b, benchFile))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := dtsx.LoadPackage(benchFile, data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAll reads every pipeline of a loaded package; compare it
// with BenchmarkLoadPackage run beside it.
func BenchmarkReadAll(b *testing.B) {
	data, err := os.ReadFile(testcorpus.Path(b, benchFile))
	if err != nil {
		b.Fatal(err)
	}
	p, err := dtsx.LoadPackage(benchFile, data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if pls, _ := pipeline.ReadAll(p); len(pls) == 0 {
			b.Fatal("no pipeline")
		}
	}
}
