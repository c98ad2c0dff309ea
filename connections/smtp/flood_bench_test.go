package smtp_test

import (
	"context"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// floodBytes is the size of the EHLO reply of BenchmarkEHLOFlood.
const floodBytes = 1 << 30

// BenchmarkEHLOFlood dials a server whose EHLO reply is a 1 GiB flood of
// "250-" lines (made as they are written), read by go-smtp (plain) and by
// the client's own reader before STARTTLS (starttls). It reports the bytes
// the client allocated per dial (B/op), which bound its heap growth, and
// the largest live heap seen while it ran (peak-heap-MiB, sampled every
// millisecond, so a lower bound of the true peak).
func BenchmarkEHLOFlood(b *testing.B) {
	for _, mode := range []struct {
		name string
		tls  smtptest.TLSMode
		conn string
	}{
		{"plain", smtptest.NoTLS, ""},
		{"starttls", smtptest.StartTLS, "EnableSsl=True;"},
	} {
		b.Run(mode.name, func(b *testing.B) {
			srv := smtptest.NewServer(b, smtptest.Options{TLS: mode.tls,
				Faults: []smtptest.Fault{{Stage: smtptest.Ehlo, Flood: floodBytes}}})
			cfg, err := smtp.ParseConfig("SmtpServer=" + srv.Addr() + ";Timeout=600;" + mode.conn)
			if err != nil {
				b.Fatal(err)
			}
			opts := smtp.Options{RootCAs: srv.CertPool()}
			peak := sampleHeap()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := smtp.Dial(context.Background(), "Mail", cfg, opts); err == nil {
					b.Fatal("Dial against an EHLO flood succeeded")
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
		})
	}
}

// sampleHeap samples the live heap every millisecond until the returned
// function is called, which returns the largest growth over the first
// sample.
func sampleHeap() func() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(s); return s[0].Value.Uint64() }
	base := read()
	var mu sync.Mutex
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := read(); v > base {
				mu.Lock()
				peak = max(peak, v-base)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
