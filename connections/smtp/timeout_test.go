package smtp_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// lazyBody is a message of n octets of 78-character lines, made as it is
// read.
type lazyBody struct{ n int }

func (b *lazyBody) Read(p []byte) (int, error) {
	if b.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), b.n)
	for i := range p[:k] {
		if b.n-i > 2 && (b.n-i)%80 == 2 {
			p[i] = '\r'
		} else if b.n-i > 1 && (b.n-i)%80 == 1 {
			p[i] = '\n'
		} else {
			p[i] = 'x'
		}
	}
	b.n -= k
	return k, nil
}

// stallTimeout is the Timeout= of TestStallTimeout, in seconds.
const stallTimeout = 1

// TestStallTimeout: against a server that stops answering (or reading) at
// any stage, a Send Mail task (Dial, Send, Close) fails with ErrTimeout
// after Timeout, and not twice that: the QUIT after the failure gets no
// fresh Timeout. Deadlines cannot fire early, so the lower bound is exact;
// the upper one, 1.9 × Timeout, is generous (the bug was 2 ×). A server that
// stops reading the message was a hang, not 2 ×: the client writes a large
// message first (which takes CPU time on a loaded machine), so those cases
// ask for less than 5 × Timeout.
func TestStallTimeout(t *testing.T) {
	tests := []struct {
		name  string
		fault smtptest.Fault
		opts  smtptest.Options
		conn  string
		body  io.Reader
		op    string // the step that timed out
	}{
		{"greeting", smtptest.Fault{Stage: smtptest.Greeting, Stall: true}, smtptest.Options{}, "", nil, "greeting"},
		{"greeting before STARTTLS", smtptest.Fault{Stage: smtptest.Greeting, Stall: true}, smtptest.Options{TLS: smtptest.StartTLS}, "EnableSsl=True;", nil, "greeting"},
		{"EHLO", smtptest.Fault{Stage: smtptest.Ehlo, Stall: true}, smtptest.Options{}, "", nil, "ehlo"},
		{"EHLO before STARTTLS", smtptest.Fault{Stage: smtptest.Ehlo, Stall: true}, smtptest.Options{TLS: smtptest.StartTLS}, "EnableSsl=True;", nil, "ehlo"},
		{"STARTTLS", smtptest.Fault{Stage: smtptest.StageStartTLS, Stall: true}, smtptest.Options{TLS: smtptest.StartTLS}, "EnableSsl=True;", nil, "starttls"},
		{"AUTH", smtptest.Fault{Stage: smtptest.Auth, Stall: true}, smtptest.Options{}, "UseWindowsAuthentication=True;", nil, "auth"},
		{"pipelined MAIL", smtptest.Fault{Stage: smtptest.Mail, Stall: true}, smtptest.Options{}, "", nil, "mail"},
		{"MAIL", smtptest.Fault{Stage: smtptest.Mail, Stall: true}, smtptest.Options{NoPipelining: true}, "", nil, "mail"},
		{"pipelined RCPT", smtptest.Fault{Stage: smtptest.Rcpt, Stall: true}, smtptest.Options{}, "", nil, "rcpt"},
		{"RCPT", smtptest.Fault{Stage: smtptest.Rcpt, Stall: true}, smtptest.Options{NoPipelining: true}, "", nil, "rcpt"},
		{"pipelined DATA", smtptest.Fault{Stage: smtptest.Data, Stall: true}, smtptest.Options{}, "", nil, "data"},
		{"DATA", smtptest.Fault{Stage: smtptest.Data, Stall: true}, smtptest.Options{NoPipelining: true}, "", nil, "data"},
		{"pipelined, after the dot", smtptest.Fault{Stage: smtptest.DataEnd, Stall: true}, smtptest.Options{}, "", nil, "data"},
		{"after the dot", smtptest.Fault{Stage: smtptest.DataEnd, Stall: true}, smtptest.Options{NoPipelining: true}, "", nil, "data"},
		{"pipelined, server stops reading the message", smtptest.Fault{Stage: smtptest.DataEnd, Block: true}, smtptest.Options{}, "", &lazyBody{64 << 20}, "data"},
		{"server stops reading the message", smtptest.Fault{Stage: smtptest.DataEnd, Block: true}, smtptest.Options{NoPipelining: true}, "", &lazyBody{64 << 20}, "data"},
	}
	const timeout = stallTimeout * time.Second
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			opts.Users = map[string]string{`TEST\alice`: alicePass}
			opts.Faults = []smtptest.Fault{tt.fault}
			srv := smtptest.NewServer(t, opts)
			body := tt.body
			if body == nil {
				body = strings.NewReader("Subject: x\r\n\r\nbody\r\n")
			}
			start := time.Now()
			err := sendMailFrom(srv, fmt.Sprintf("Timeout=%d;%s", stallTimeout, tt.conn), smtp.Options{Credentials: aliceNTLM}, body)
			took := time.Since(start)
			t.Logf("Timeout=%d: failed after %v: %v", stallTimeout, took.Round(time.Millisecond), err)
			if !errors.Is(err, smtp.ErrTimeout) || !strings.Contains(err.Error(), tt.op+": timed out") {
				t.Fatalf("err = %v, want ErrTimeout of %s", err, tt.op)
			}
			limit, limitName := timeout*19/10, "1.9 × Timeout"
			if tt.body != nil {
				limit, limitName = 5*timeout, "5 × Timeout"
			}
			if took < timeout || took >= limit {
				t.Errorf("failed after %v, want between Timeout (%v) and %s", took, timeout, limitName)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("%d messages delivered", n)
			}
		})
	}
}
