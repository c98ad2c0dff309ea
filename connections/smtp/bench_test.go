package smtp_test

import (
	"context"
	"net"
	"strings"
	"testing"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
)

const benchMessage = "From: <a@test.local>\r\nTo: <b@test.local>\r\nSubject: bench\r\nMessage-ID: <bench@dtsx>\r\n\r\nhello\r\n"

// BenchmarkSendSink sends b.N messages over one session to Postfix's
// smtp-sink (DTSX_REAL_SMTP=1), through this package (dtsx) and through a
// bare go-smtp client loop (baseline) in the same run; bench/smtp-throughput.sh
// runs it with -benchtime 2000x and prints the ratio.
func BenchmarkSendSink(b *testing.B) {
	env := realsmtp.Env(b)
	addr := env["SMTP_INFRA_SINK"]
	b.Run("dtsx", func(b *testing.B) {
		cfg, err := smtp.ParseConfig("SmtpServer=" + addr + ";")
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		s, err := smtp.Dial(ctx, "sink", cfg, smtp.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := s.Send(ctx, "a@test.local", []string{"b@test.local"}, strings.NewReader(benchMessage)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
	b.Run("raw-go-smtp", func(b *testing.B) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		c := gosmtp.NewClient(conn)
		defer c.Close()
		if err := c.Hello("localhost"); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := c.SendMail("a@test.local", []string{"b@test.local"}, strings.NewReader(benchMessage)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
}
