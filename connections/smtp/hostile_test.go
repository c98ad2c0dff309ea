package smtp_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// sendMail does what a Send Mail task does: Dial, Send one message, Close.
// It returns the first error.
func sendMail(srv *smtptest.Server, conn string, opts smtp.Options, body string) error {
	return sendMailFrom(srv, conn, opts, strings.NewReader(body))
}

// sendMailFrom is sendMail with the message read from body.
func sendMailFrom(srv *smtptest.Server, conn string, opts smtp.Options, body io.Reader) error {
	cfg, err := smtp.ParseConfig(fmt.Sprintf("SmtpServer=%s;%s", srv.Addr(), conn))
	if err != nil {
		return err
	}
	if opts.RootCAs == nil {
		opts.RootCAs = srv.CertPool()
	}
	s, err := smtp.Dial(context.Background(), "Mail", cfg, opts)
	if err != nil {
		return err
	}
	_, err = s.Send(context.Background(), "a@x", []string{"b@x"}, body)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// TestReplyFlood: a server that answers any command of the session with an
// endless reply (64 MiB of "250-" lines, made as the server writes them;
// many short lines; one line without CRLF) fails the session with a typed
// protocol error naming the bound, on every path the client reads replies
// by, and the client allocates little while reading it.
func TestReplyFlood(t *testing.T) {
	const flood = 64 << 20
	paths := []struct {
		name  string
		stage smtptest.Stage
		opts  smtptest.Options
		conn  string
	}{
		{"greeting", smtptest.Greeting, smtptest.Options{}, ""},
		{"greeting before STARTTLS", smtptest.Greeting, smtptest.Options{TLS: smtptest.StartTLS}, "EnableSsl=True;"},
		{"greeting in implicit TLS", smtptest.Greeting, smtptest.Options{TLS: smtptest.Implicit}, "TlsMode=Implicit;"},
		{"EHLO", smtptest.Ehlo, smtptest.Options{}, ""},
		{"EHLO before STARTTLS", smtptest.Ehlo, smtptest.Options{TLS: smtptest.StartTLS}, "EnableSsl=True;"},
		{"STARTTLS", smtptest.StageStartTLS, smtptest.Options{TLS: smtptest.StartTLS}, "EnableSsl=True;"},
		{"AUTH NTLM", smtptest.Auth, smtptest.Options{}, "UseWindowsAuthentication=True;"},
		{"pipelined MAIL", smtptest.Mail, smtptest.Options{}, ""},
		{"MAIL", smtptest.Mail, smtptest.Options{NoPipelining: true}, ""},
		{"pipelined RCPT", smtptest.Rcpt, smtptest.Options{}, ""},
		{"RCPT", smtptest.Rcpt, smtptest.Options{NoPipelining: true}, ""},
		{"pipelined DATA", smtptest.Data, smtptest.Options{}, ""},
		{"DATA", smtptest.Data, smtptest.Options{NoPipelining: true}, ""},
		{"pipelined end of DATA", smtptest.DataEnd, smtptest.Options{}, ""},
		{"end of DATA", smtptest.DataEnd, smtptest.Options{NoPipelining: true}, ""},
	}
	floods := []struct {
		name  string
		line  int
		limit int
		says  string
	}{
		{"lines", 0, smtp.MaxReplyBytes, fmt.Sprintf("server reply exceeds %d bytes", smtp.MaxReplyBytes)},
		{"short lines", 7, smtp.MaxReplyLines, "too many lines"},
		{"one endless line", -1, smtp.MaxReplyLine, fmt.Sprintf("server reply line exceeds %d bytes", smtp.MaxReplyLine)},
	}
	for _, p := range paths {
		for _, f := range floods {
			t.Run(p.name+"/"+f.name, func(t *testing.T) {
				opts := p.opts
				opts.Users = map[string]string{`TEST\alice`: alicePass}
				opts.Faults = []smtptest.Fault{{Stage: p.stage, Flood: flood, FloodLine: f.line}}
				srv := smtptest.NewServer(t, opts)
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				err := sendMail(srv, p.conn, smtp.Options{Credentials: aliceNTLM}, "Subject: x\r\n\r\nbody\r\n")
				runtime.ReadMemStats(&after)
				var pe *smtp.ProtocolError
				var se *smtp.Error
				if !errors.Is(err, smtp.ErrProtocol) || !errors.As(err, &pe) || pe.Limit != f.limit || !errors.As(err, &se) ||
					!strings.Contains(err.Error(), f.says) || se.Manager != "Mail" {
					t.Fatalf("err = %v, want a protocol error saying %q", err, f.says)
				}
				// TotalAlloc counts every allocation, so it bounds the heap's
				// growth; without the bounds the client takes the whole flood.
				if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
					t.Errorf("%d MiB allocated while reading a %d MiB flood, want < 16 MiB", grew>>20, flood>>20)
				}
				if n := len(srv.Messages()); n != 0 {
					t.Errorf("%d messages delivered", n)
				}
			})
		}
	}
}

// TestEndlessChallenges: a server that answers every AUTH line with
// another 334 is dropped after smtp.MaxAuthChallenges rounds, with each
// mechanism (PLAIN at the first, as it has no challenge), and the exchange
// is cancelled with "*" (RFC 4954 §4).
func TestEndlessChallenges(t *testing.T) {
	tests := []struct {
		name, conn, challenge string
		creds                 smtp.CredentialSource
		answers               int // with the "*"
	}{
		{"NTLM", "UseWindowsAuthentication=True;", "", aliceNTLM, smtp.MaxAuthChallenges + 1},
		{"NTLM with a non-base64 challenge", "UseWindowsAuthentication=True;", "NTLM supported", aliceNTLM, smtp.MaxAuthChallenges + 1},
		{"XOAUTH2", "AuthMechanism=XOAUTH2;", "", smtp.StaticCredentials{"": {UserName: "alice", Token: aliceTok}}, smtp.MaxAuthChallenges + 1},
		{"LOGIN", "AuthMechanism=Login;", "UGFzc3dvcmQ6", smtp.StaticCredentials{"": {UserName: "alice", Password: alicePass}}, smtp.MaxAuthChallenges + 1},
		{"PLAIN", "AuthMechanism=Plain;", "", smtp.StaticCredentials{"": {UserName: "alice", Password: alicePass}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, smtptest.Options{TLS: smtptest.StartTLS,
				Faults: []smtptest.Fault{{Stage: smtptest.Auth, Challenge: true, Message: tt.challenge}}})
			err := sendMail(srv, "EnableSsl=True;"+tt.conn, smtp.Options{Credentials: tt.creds}, "\r\nx\r\n")
			mech := strings.Fields(tt.name)[0]
			if !errors.Is(err, smtp.ErrProtocol) || !strings.Contains(err.Error(), "auth: ") ||
				!strings.Contains(err.Error(), "AUTH "+mech+" challenge") {
				t.Fatalf("err = %v, want a protocol error of AUTH %s about its challenges", err, mech)
			}
			answers := 0
			for _, l := range srv.Transcript() {
				if l == "<redacted>" {
					answers++
				}
			}
			if answers != tt.answers {
				t.Errorf("the client sent %d lines after AUTH, want %d (the last a cancel)", answers, tt.answers)
			}
		})
	}
}
