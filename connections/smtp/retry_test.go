package smtp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// TestSendRetry: with Retry=2 a temporary failure (4xx at each stage, 421
// at the greeting, a connection lost while the message is sent) is tried
// again and the mail is sent on the second try; a 4xx that never ends
// fails after Retry+1 tries; a 5xx and a connection lost after the final
// dot (delivery unknown, RFC 1047) are tried once. No real sleep: the
// waits are recorded and must grow from RetryDelay.
func TestSendRetry(t *testing.T) {
	tests := []struct {
		name    string
		fault   smtptest.Fault
		opts    smtptest.Options
		big     bool
		tries   int
		outcome string
	}{
		{"greeting 421", smtptest.Fault{Stage: smtptest.Greeting, Code: 421, Times: 1}, smtptest.Options{}, false, 2, smtp.DeliverySent},
		{"EHLO 451", smtptest.Fault{Stage: smtptest.Ehlo, Code: 451, Times: 1}, smtptest.Options{}, false, 2, smtp.DeliverySent},
		{"MAIL 451", smtptest.Fault{Stage: smtptest.Mail, Code: 451, Times: 1}, smtptest.Options{NoPipelining: true}, false, 2, smtp.DeliverySent},
		{"RCPT 451", smtptest.Fault{Stage: smtptest.Rcpt, Code: 451, Times: 1}, smtptest.Options{}, false, 2, smtp.DeliverySent},
		{"DATA 451", smtptest.Fault{Stage: smtptest.Data, Code: 451, Times: 1}, smtptest.Options{NoPipelining: true}, false, 2, smtp.DeliverySent},
		{"end of DATA 451", smtptest.Fault{Stage: smtptest.DataEnd, Code: 451, Times: 1}, smtptest.Options{}, false, 2, smtp.DeliverySent},
		{"dropped mid-DATA", smtptest.Fault{Stage: smtptest.DataEnd, Drop: true, Times: 1}, smtptest.Options{}, true, 2, smtp.DeliverySent},
		{"MAIL 451 forever", smtptest.Fault{Stage: smtptest.Mail, Code: 451}, smtptest.Options{NoPipelining: true}, false, 3, smtp.DeliveryExhausted},
		{"RCPT 550", smtptest.Fault{Stage: smtptest.Rcpt, Code: 550}, smtptest.Options{}, false, 1, smtp.DeliveryRefused},
		{"end of DATA 554", smtptest.Fault{Stage: smtptest.DataEnd, Code: 554}, smtptest.Options{}, false, 1, smtp.DeliveryRefused},
		{"dropped after the dot", smtptest.Fault{Stage: smtptest.DataEnd, Drop: true}, smtptest.Options{}, false, 1, smtp.DeliveryUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			opts.Faults = []smtptest.Fault{tt.fault}
			srv := smtptest.NewServer(t, opts)
			m := newManager(t, fmt.Sprintf("SmtpServer=%s;Timeout=5;Retry=2;RetryDelay=3", srv.Addr()))
			msg := "Subject: x\r\n\r\nbody\r\n"
			if tt.big {
				msg = "Subject: x\r\n\r\n" + strings.Repeat("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstu\r\n", 1<<16)
			}
			var waits []time.Duration
			sleep := func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }
			d, err := m.SendRetry(context.Background(), smtp.Options{}, "a@x", []string{"b@x"}, msg, sleep)
			if d.Tries != tt.tries || d.Outcome != tt.outcome {
				t.Fatalf("tries %d outcome %s, want %d %s; err %v", d.Tries, d.Outcome, tt.tries, tt.outcome, err)
			}
			if (err == nil) != (tt.outcome == smtp.DeliverySent) {
				t.Fatalf("err = %v for outcome %s", err, d.Outcome)
			}
			if tt.outcome == smtp.DeliveryUnknown && !errors.Is(err, smtp.ErrDeliveryUnknown) {
				t.Errorf("err = %v, want ErrDeliveryUnknown", err)
			}
			if n := len(srv.Messages()); n != btoi(tt.outcome == smtp.DeliverySent) && tt.outcome != smtp.DeliveryUnknown {
				t.Errorf("the server has %d messages after outcome %s (reply %q)", n, d.Outcome, d.Reply)
			}
			if len(d.Failures) != d.Tries-btoi(err == nil) {
				t.Errorf("%d failures recorded for %d tries", len(d.Failures), d.Tries)
			}
			if len(waits) != tt.tries-1 {
				t.Fatalf("%d waits for %d tries", len(waits), tt.tries)
			}
			for i, w := range waits {
				lo := 3 * time.Second << i
				if w < lo || w > lo+lo/2 {
					t.Errorf("wait %d = %v, want %v to %v", i, w, lo, lo+lo/2)
				}
			}
			if tt.fault.Code != 0 && d.Failures[0].Code != tt.fault.Code {
				t.Errorf("failure %+v, want code %d", d.Failures[0], tt.fault.Code)
			}
		})
	}
}

// TestSendRetryCancel: a cancelled run ends the wait between tries at once
// and is not tried again.
func TestSendRetryCancel(t *testing.T) {
	srv := smtptest.NewServer(t, smtptest.Options{Faults: []smtptest.Fault{{Stage: smtptest.Mail, Code: 451}}, NoPipelining: true})
	m := newManager(t, fmt.Sprintf("SmtpServer=%s;Retry=5;RetryDelay=86400", srv.Addr()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d, err := m.SendRetry(ctx, smtp.Options{}, "a@x", []string{"b@x"}, "Subject: x\r\n\r\nb\r\n", nil)
	if !errors.Is(err, context.Canceled) || d.Tries != 1 {
		t.Fatalf("tries %d, err %v; want 1 and context.Canceled", d.Tries, err)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
