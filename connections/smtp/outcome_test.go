package smtp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// TestOutcome: each failure a server can cause, at each stage, against the
// in-process server, is classified for a retry layer (Classify) and says
// what it is: a 4xx is temporary and says so, a connection lost before the
// message was sent delivered nothing, one after the final dot is
// ErrDeliveryUnknown, and a greeting failure is the greeting's.
func TestOutcome(t *testing.T) {
	small := "Subject: x\r\n\r\nbody\r\n"
	tests := []struct {
		name    string
		fault   smtptest.Fault
		opts    smtptest.Options
		conn    string
		big     bool // a 64 MiB message: the server drops it while it is sent
		outcome smtp.Outcome
		kind    error
		says    []string
	}{
		{"greeting 554", smtptest.Fault{Stage: smtptest.Greeting, Code: 554}, smtptest.Options{}, "", false, smtp.OutcomePermanent, smtp.ErrReply, []string{"greeting: the server refused: 554"}},
		{"greeting 421", smtptest.Fault{Stage: smtptest.Greeting, Code: 421}, smtptest.Options{}, "", false, smtp.OutcomeTemporary, smtp.ErrReply, []string{"greeting: ", "421", "(temporary failure: the server may accept it later)"}},
		{"greeting 421 in implicit TLS", smtptest.Fault{Stage: smtptest.Greeting, Code: 421}, smtptest.Options{TLS: smtptest.Implicit}, "TlsMode=Implicit;", false, smtp.OutcomeTemporary, smtp.ErrReply, []string{"greeting: ", "421"}},
		{"greeting dropped", smtptest.Fault{Stage: smtptest.Greeting, Drop: true}, smtptest.Options{}, "", false, smtp.OutcomeTemporary, smtp.ErrConnectionLost, []string{"greeting: the connection was lost"}},
		{"EHLO 421", smtptest.Fault{Stage: smtptest.Ehlo, Code: 421}, smtptest.Options{}, "", false, smtp.OutcomeTemporary, smtp.ErrReply, []string{"ehlo: ", "temporary failure"}},
		{"EHLO dropped", smtptest.Fault{Stage: smtptest.Ehlo, Drop: true}, smtptest.Options{}, "", false, smtp.OutcomeTemporary, smtp.ErrConnectionLost, []string{"ehlo: the connection was lost"}},
		{"STARTTLS 454", smtptest.Fault{Stage: smtptest.StageStartTLS, Code: 454}, smtptest.Options{TLS: smtptest.StartTLS}, "EnableSsl=True;", false, smtp.OutcomeTemporary, smtp.ErrReply, []string{"starttls: ", "temporary failure"}},
		{"no STARTTLS", smtptest.Fault{}, smtptest.Options{}, "EnableSsl=True;", false, smtp.OutcomePermanent, smtp.ErrTLSRequired, nil},
		{"AUTH 454", smtptest.Fault{Stage: smtptest.Auth, Code: 454, Enhanced: "4.7.0"}, smtptest.Options{}, "UseWindowsAuthentication=True;", false, smtp.OutcomeTemporary, smtp.ErrAuth, []string{"auth: ", "temporary failure"}},
		{"AUTH 535", smtptest.Fault{Stage: smtptest.Auth, Code: 535}, smtptest.Options{}, "UseWindowsAuthentication=True;", false, smtp.OutcomePermanent, smtp.ErrAuth, []string{"auth: authentication failed: 535"}},
		{"AUTH dropped", smtptest.Fault{Stage: smtptest.Auth, Drop: true}, smtptest.Options{}, "UseWindowsAuthentication=True;", false, smtp.OutcomeTemporary, smtp.ErrConnectionLost, []string{"auth: the connection was lost"}},
		{"MAIL 451", smtptest.Fault{Stage: smtptest.Mail, Code: 451}, smtptest.Options{}, "", false, smtp.OutcomeTemporary, smtp.ErrReply, []string{"mail: ", "451 4.0.0", "temporary failure"}},
		{"MAIL 550", smtptest.Fault{Stage: smtptest.Mail, Code: 550}, smtptest.Options{NoPipelining: true}, "", false, smtp.OutcomePermanent, smtp.ErrReply, []string{"mail: the server refused: 550"}},
		{"MAIL dropped", smtptest.Fault{Stage: smtptest.Mail, Drop: true}, smtptest.Options{NoPipelining: true}, "", false, smtp.OutcomeTemporary, smtp.ErrConnectionLost, []string{"mail: the connection was lost"}},
		{"RCPT 452", smtptest.Fault{Stage: smtptest.Rcpt, Code: 452}, smtptest.Options{}, "", false, smtp.OutcomeTemporary, smtp.ErrReply, []string{"rcpt: ", "temporary failure"}},
		{"DATA 451", smtptest.Fault{Stage: smtptest.Data, Code: 451}, smtptest.Options{NoPipelining: true}, "", false, smtp.OutcomeTemporary, smtp.ErrReply, []string{"data: ", "temporary failure"}},
		{"end of DATA 452", smtptest.Fault{Stage: smtptest.DataEnd, Code: 452}, smtptest.Options{}, "", false, smtp.OutcomeTemporary, smtp.ErrReply, []string{"data: ", "temporary failure"}},
		{"end of DATA 554", smtptest.Fault{Stage: smtptest.DataEnd, Code: 554}, smtptest.Options{NoPipelining: true}, "", false, smtp.OutcomePermanent, smtp.ErrReply, []string{"data: the server refused: 554"}},
	}
	for _, pipe := range []bool{true, false} {
		for _, drop := range []struct {
			name    string
			fault   smtptest.Fault
			big     bool
			outcome smtp.Outcome
			kind    error
			says    []string
		}{
			{"dropped while the message is sent", smtptest.Fault{Stage: smtptest.DataEnd, Drop: true}, true, smtp.OutcomeTemporary, smtp.ErrConnectionLost,
				[]string{"data: the connection was lost while sending the message", "delivered nothing"}},
			{"dropped after the dot", smtptest.Fault{Stage: smtptest.DataEnd, Drop: true}, false, smtp.OutcomeUnknown, smtp.ErrConnectionLost,
				[]string{"data: the connection was lost after the message was sent: delivery unknown", "may deliver it twice"}},
			{"stalled after the dot", smtptest.Fault{Stage: smtptest.DataEnd, Stall: true}, false, smtp.OutcomeUnknown, smtp.ErrTimeout,
				[]string{"data: timed out after the message was sent: delivery unknown"}},
			{"flood after the dot", smtptest.Fault{Stage: smtptest.DataEnd, Flood: 1 << 20}, false, smtp.OutcomeUnknown, smtp.ErrProtocol,
				[]string{"data: the server broke the SMTP protocol after the message was sent: delivery unknown"}},
			{"stalled at MAIL", smtptest.Fault{Stage: smtptest.Mail, Stall: true}, false, smtp.OutcomeTemporary, smtp.ErrTimeout, []string{"mail: timed out"}},
			{"flood at EHLO", smtptest.Fault{Stage: smtptest.Ehlo, Flood: 1 << 20}, false, smtp.OutcomePermanent, smtp.ErrProtocol, []string{"ehlo: the server broke the SMTP protocol"}},
		} {
			tests = append(tests, struct {
				name    string
				fault   smtptest.Fault
				opts    smtptest.Options
				conn    string
				big     bool
				outcome smtp.Outcome
				kind    error
				says    []string
			}{fmt.Sprintf("%s (NoPipelining=%v)", drop.name, !pipe), drop.fault, smtptest.Options{NoPipelining: !pipe}, "Timeout=1;", drop.big, drop.outcome, drop.kind, drop.says})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			opts.Users = map[string]string{`TEST\alice`: alicePass}
			if tt.fault.Stage != 0 {
				opts.Faults = []smtptest.Fault{tt.fault}
			}
			srv := smtptest.NewServer(t, opts)
			var err error
			if tt.big {
				err = sendMailFrom(srv, tt.conn, smtp.Options{Credentials: aliceNTLM}, &lazyBody{64 << 20})
			} else {
				err = sendMail(srv, tt.conn, smtp.Options{Credentials: aliceNTLM}, small)
			}
			if err == nil {
				t.Fatal("the mail went through")
			}
			if got := smtp.Classify(err); got != tt.outcome {
				t.Errorf("Classify = %v, want %v, for %v", got, tt.outcome, err)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("err = %v, want %v", err, tt.kind)
			}
			if unknown := errors.Is(err, smtp.ErrDeliveryUnknown); unknown != (tt.outcome == smtp.OutcomeUnknown) {
				t.Errorf("errors.Is(err, ErrDeliveryUnknown) = %v for %v", unknown, err)
			}
			msg := err.Error()
			for _, w := range append(tt.says, `"Mail"`, srv.Addr()) {
				if !strings.Contains(msg, w) {
					t.Errorf("%s\nlacks %q", msg, w)
				}
			}
			if strings.Contains(msg, "cannot connect") || (strings.Contains(msg, "temporary failure") != (tt.outcome == smtp.OutcomeTemporary && strings.Contains(msg, ": 4"))) {
				t.Errorf("%s\nmislabelled", msg)
			}
		})
	}
}

// TestClassify: errors that do not come from a server.
func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want smtp.Outcome
	}{
		{"nil", nil, smtp.OutcomePermanent},
		{"cancelled", fmt.Errorf("smtp: x: %w", context.Canceled), smtp.OutcomePermanent},
		{"cancelled after the message was sent", fmt.Errorf("%w: %w", smtp.ErrDeliveryUnknown, context.Canceled), smtp.OutcomeUnknown},
		{"not an smtp error", errors.New("disk full"), smtp.OutcomePermanent},
		{"not allowed", &smtp.Error{Kind: smtp.ErrNotAllowed}, smtp.OutcomePermanent},
		{"no credential", &smtp.Error{Kind: smtp.ErrNoCredential}, smtp.OutcomePermanent},
		{"cannot connect", &smtp.Error{Kind: smtp.ErrConnect, Op: "dial"}, smtp.OutcomeTemporary},
		{"TLS", &smtp.Error{Kind: smtp.ErrTLS}, smtp.OutcomePermanent},
		{"refused recipients, all 4xx", &smtp.Error{Kind: smtp.ErrReply, Code: 450, Err: &smtp.RecipientsError{}}, smtp.OutcomeTemporary},
		{"refused recipients, one 5xx", &smtp.Error{Kind: smtp.ErrReply, Code: 550, Err: &smtp.RecipientsError{}}, smtp.OutcomePermanent},
	}
	for _, tt := range tests {
		if got := smtp.Classify(tt.err); got != tt.want {
			t.Errorf("%s: Classify = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// failingBody gives n octets of a message, then fails.
type failingBody struct{ n int }

var errBody = errors.New("attachment unreadable")

func (b *failingBody) Read(p []byte) (int, error) {
	if b.n == 0 {
		return 0, errBody
	}
	k := copy(p[:min(len(p), b.n)], strings.Repeat("Subject: part\r\n", 1+len(p)/15))
	b.n -= k
	return k, nil
}

// TestMessageUnreadable: a message that fails while it is sent never gets
// its final dot: the connection is closed, the server discards the
// transaction, and nobody receives part of it.
func TestMessageUnreadable(t *testing.T) {
	for _, noPipe := range []bool{false, true} {
		t.Run(fmt.Sprint("NoPipelining=", noPipe), func(t *testing.T) {
			srv := newServer(t, smtptest.Options{NoPipelining: noPipe})
			err := sendMailFrom(srv, "", smtp.Options{}, &failingBody{n: 100 << 10})
			if !errors.Is(err, errBody) || !strings.Contains(err.Error(), "reading the message") || !strings.Contains(err.Error(), `"Mail"`) {
				t.Fatalf("err = %v, want the message's own error", err)
			}
			srv.Close()
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("%d messages delivered, want none: a part of a message went out", n)
			}
		})
	}
}
