package dataflow_test

import (
	"runtime"
	"testing"
)

// peakHeap runs the orders pipeline on n rows and returns the largest heap
// in use that its sinks sampled.
func peakHeap(t testing.TB, n int) uint64 {
	runtime.GC()
	var peak uint64
	a, b, err := runOrders(n, &peak)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.rows + b.rows; got != int64(n) {
		t.Fatalf("sinks got %d rows, want %d", got, n)
	}
	return peak
}

// The memory a flow uses does not grow with its rows: the peak heap at
// 1,000,000 rows is about that at 100,000.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 1,100,000 rows")
	}
	small := peakHeap(t, 100_000)
	large := peakHeap(t, 1_000_000)
	t.Logf("peak heap: %d KiB at 100k rows, %d KiB at 1M rows", small>>10, large>>10)
	if limit := small + small/2 + 4<<20; large > limit {
		t.Errorf("peak heap %d at 1M rows, %d at 100k: the flow's memory grows with its rows", large, small)
	}
}

// BenchmarkPeakHeap reports the peak heap of the orders pipeline at three
// sizes, side by side.
func BenchmarkPeakHeap(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000, 10_000_000} {
		b.Run(map[int]string{100_000: "rows=100k", 1_000_000: "rows=1M", 10_000_000: "rows=10M"}[n], func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakHeap(b, n))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
		})
	}
}
