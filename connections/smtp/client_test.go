package smtp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

const (
	alicePass = "Alice-Secret-42"
	aliceTok  = "ya29.token-secret-77"
)

func newServer(t *testing.T, opts smtptest.Options) *smtptest.Server {
	t.Helper()
	if opts.Users == nil {
		opts.Users = map[string]string{`TEST\alice`: alicePass, "alice": alicePass}
	}
	if opts.Tokens == nil {
		opts.Tokens = map[string]string{"alice": aliceTok}
	}
	return smtptest.NewServer(t, opts)
}

func dial(t *testing.T, srv *smtptest.Server, conn string, opts smtp.Options) (*smtp.Session, error) {
	t.Helper()
	cfg, err := smtp.ParseConfig(fmt.Sprintf("SmtpServer=%s;%s", srv.Addr(), conn))
	if err != nil {
		t.Fatal(err)
	}
	if opts.RootCAs == nil {
		opts.RootCAs = srv.CertPool()
	}
	return smtp.Dial(context.Background(), "Mail", cfg, opts)
}

var aliceNTLM = smtp.StaticCredentials{"": {UserName: `TEST\alice`, Password: alicePass}}

// TestSessionModes: each SSIS setting and extension against the in-process
// server, with one message each.
func TestSessionModes(t *testing.T) {
	tests := []struct {
		name   string
		tls    smtptest.TLSMode
		bare   bool
		conn   string
		creds  smtp.CredentialSource
		mech   string
		useTLS bool
	}{
		{"anonymous plain", smtptest.NoTLS, false, "EnableSsl=False;", nil, "", false},
		{"EnableSsl is STARTTLS", smtptest.StartTLS, false, "EnableSsl=True;", nil, "", true},
		{"NTLM over STARTTLS", smtptest.StartTLS, false, "UseWindowsAuthentication=True;EnableSsl=True;", aliceNTLM, "NTLM", true},
		{"NTLM, server answers 334 NTLM supported", smtptest.StartTLS, true, "UseWindowsAuthentication=True;EnableSsl=True;", aliceNTLM, "NTLM", true},
		{"NTLM user@domain", smtptest.NoTLS, false, "UseWindowsAuthentication=True;", smtp.StaticCredentials{"": {UserName: "alice", Domain: "TEST", Password: alicePass}}, "NTLM", false},
		{"implicit TLS + PLAIN", smtptest.Implicit, false, "TlsMode=Implicit;AuthMechanism=Plain;", smtp.StaticCredentials{"": {UserName: "alice", Password: alicePass}}, "PLAIN", true},
		{"LOGIN over STARTTLS", smtptest.StartTLS, false, "EnableSsl=True;AuthMechanism=Login;UserName=alice;Password=" + alicePass + ";", nil, "LOGIN", true},
		{"XOAUTH2", smtptest.StartTLS, false, "EnableSsl=True;AuthMechanism=XOAUTH2;", smtp.StaticCredentials{"": {UserName: "alice", Token: aliceTok}}, "XOAUTH2", true},
		{"opportunistic without STARTTLS", smtptest.NoTLS, false, "TlsMode=Opportunistic;", nil, "", false},
		{"opportunistic with STARTTLS", smtptest.StartTLS, false, "TlsMode=Opportunistic;", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, smtptest.Options{TLS: tt.tls, NTLMBareReply: tt.bare})
			s, err := dial(t, srv, tt.conn, smtp.Options{Credentials: tt.creds})
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			if s.Info.Mechanism != tt.mech || (s.Info.TLS != nil) != tt.useTLS {
				t.Errorf("mechanism %q TLS %v, want %q %v", s.Info.Mechanism, s.Info.TLS != nil, tt.mech, tt.useTLS)
			}
			reply, err := s.Send(context.Background(), "a@x", []string{"b@x", "c@x"}, strings.NewReader("Subject: hi\r\n\r\nbody\r\n"))
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			msgs := srv.Messages()
			if len(msgs) != 1 || msgs[0].From != "a@x" || len(msgs[0].To) != 2 || !bytes.Contains(msgs[0].Data, []byte("body")) ||
				msgs[0].TLS != tt.useTLS || (tt.mech != "" && msgs[0].User == "") {
				t.Errorf("server recorded %+v (reply %q)", msgs, reply)
			}
		})
	}
}

// TestFaults: every fault class gives its typed error, naming the manager
// and the server, and no message counts as sent.
func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault smtptest.Fault
		conn  string
		kind  error
		code  int
	}{
		{"greeting 554", smtptest.Fault{Stage: smtptest.Greeting, Code: 554, Message: "go away"}, "", smtp.ErrReply, 554},
		{"greeting 554 before STARTTLS", smtptest.Fault{Stage: smtptest.Greeting, Code: 554}, "EnableSsl=True;", smtp.ErrReply, 554},
		{"EHLO 421", smtptest.Fault{Stage: smtptest.Ehlo, Code: 421}, "", smtp.ErrReply, 421},
		{"STARTTLS 454", smtptest.Fault{Stage: smtptest.StageStartTLS, Code: 454}, "EnableSsl=True;", smtp.ErrReply, 454},
		{"AUTH 535", smtptest.Fault{Stage: smtptest.Auth, Code: 535, Enhanced: "5.7.8"}, "EnableSsl=True;UseWindowsAuthentication=True;", smtp.ErrAuth, 535},
		{"MAIL 451", smtptest.Fault{Stage: smtptest.Mail, Code: 451}, "", smtp.ErrReply, 451},
		{"RCPT 550", smtptest.Fault{Stage: smtptest.Rcpt, Code: 550}, "", smtp.ErrReply, 550},
		{"DATA 554", smtptest.Fault{Stage: smtptest.Data, Code: 554}, "", smtp.ErrReply, 554},
		{"end of DATA 452", smtptest.Fault{Stage: smtptest.DataEnd, Code: 452}, "", smtp.ErrReply, 452},
		{"drop mid-DATA", smtptest.Fault{Stage: smtptest.DataEnd, Drop: true}, "", smtp.ErrConnectionLost, 0},
		{"stall at end of DATA", smtptest.Fault{Stage: smtptest.DataEnd, Stall: true}, "Timeout=1;", smtp.ErrTimeout, 0},
		{"stall at greeting", smtptest.Fault{Stage: smtptest.Greeting, Stall: true}, "Timeout=1;", smtp.ErrTimeout, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, smtptest.Options{TLS: smtptest.StartTLS, Faults: []smtptest.Fault{tt.fault}})
			s, err := dial(t, srv, tt.conn, smtp.Options{Credentials: aliceNTLM})
			if err == nil {
				_, err = s.Send(context.Background(), "a@x", []string{"b@x"}, strings.NewReader("Subject: x\r\n\r\n"+strings.Repeat("line\r\n", 100)))
				s.Close()
			}
			var se *smtp.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &se) || se.Code != tt.code || se.Manager != "Mail" || se.Server != srv.Addr() {
				t.Fatalf("err = %v (%#v), want kind %v code %d naming manager and server", err, se, tt.kind, tt.code)
			}
			if se.Temporary() != (tt.code/100 == 4 || tt.kind == smtp.ErrTimeout) {
				t.Errorf("Temporary() = %v for %v", se.Temporary(), err)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("%d messages delivered", n)
			}
		})
	}
}

func TestRecipientRejected(t *testing.T) {
	for _, noPipe := range []bool{false, true} {
		t.Run(fmt.Sprint("NoPipelining=", noPipe), func(t *testing.T) { recipientRejected(t, noPipe) })
	}
}

// recipientRejected runs TestRecipientRejected with the envelope sent as
// one group (RFC 2920) or one command at a time.
func recipientRejected(t *testing.T, noPipelining bool) {
	srv := newServer(t, smtptest.Options{RejectRcpt: map[string]int{"gone@x": 550, "later@x": 451}, NoPipelining: noPipelining})
	s, err := dial(t, srv, "", smtp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Send(context.Background(), "a@x", []string{"ok@x", "gone@x", "later@x"}, strings.NewReader("\r\nx\r\n"))
	var re *smtp.RecipientsError
	var se *smtp.Error
	if !errors.As(err, &re) || !errors.As(err, &se) || len(re.Rejected) != 2 || se.Code != 550 || se.Temporary() ||
		!strings.Contains(err.Error(), "gone@x") || !strings.Contains(err.Error(), "later@x") {
		t.Fatalf("err = %v, want both refused recipients named and a permanent 550", err)
	}
	if len(srv.Messages()) != 0 {
		t.Error("a mail with a refused recipient was delivered to the others")
	}
	// The session is reusable after the refusal (RSET).
	if _, err := s.Send(context.Background(), "a@x", []string{"ok@x"}, strings.NewReader("\r\nx\r\n")); err != nil || len(srv.Messages()) != 1 {
		t.Fatalf("second send: %v, %d messages", err, len(srv.Messages()))
	}
}

// TestTLSRequiredSendsOnlyQuit: EnableSsl=True against a server without
// STARTTLS fails, and after EHLO the client sends nothing but QUIT.
func TestTLSRequiredSendsOnlyQuit(t *testing.T) {
	srv := newServer(t, smtptest.Options{TLS: smtptest.NoTLS})
	_, err := dial(t, srv, "UseWindowsAuthentication=True;EnableSsl=True;", smtp.Options{Credentials: aliceNTLM})
	if !errors.Is(err, smtp.ErrTLSRequired) || !strings.Contains(err.Error(), "never falls back") {
		t.Fatalf("err = %v, want ErrTLSRequired", err)
	}
	srv.Close()
	var cmds []string
	for _, l := range srv.Transcript() {
		if !strings.HasPrefix(l, "<") {
			cmds = append(cmds, strings.Fields(l)[0])
		}
	}
	if strings.Join(cmds, " ") != "EHLO QUIT" {
		t.Errorf("commands sent: %v, want EHLO then QUIT only", cmds)
	}
}

func TestCertificateNotTrusted(t *testing.T) {
	srv := newServer(t, smtptest.Options{TLS: smtptest.StartTLS})
	cfg, _ := smtp.ParseConfig("SmtpServer=" + srv.Addr() + ";EnableSsl=True;")
	_, err := smtp.Dial(context.Background(), "Mail", cfg, smtp.Options{})
	if !errors.Is(err, smtp.ErrTLS) || !strings.Contains(err.Error(), "TrustServerCertificate") {
		t.Fatalf("err = %v, want ErrTLS with a hint", err)
	}
	cfg.TrustServerCertificate = true
	s, err := smtp.Dial(context.Background(), "Mail", cfg, smtp.Options{})
	if err != nil {
		t.Fatalf("TrustServerCertificate=True: %v", err)
	}
	s.Close()
}

// TestCancelWhileStalled: cancelling the context interrupts a stuck server,
// during the dial and during a send. The cancel comes once the server says
// it has stalled, and the call must return context.Canceled long before its
// Timeout (60 s); how fast is not measured, as it depends on the machine.
func TestCancelWhileStalled(t *testing.T) {
	for _, stage := range []smtptest.Stage{smtptest.Greeting, smtptest.Ehlo, smtptest.DataEnd} {
		t.Run(stage.String(), func(t *testing.T) {
			srv := newServer(t, smtptest.Options{TLS: smtptest.StartTLS, Faults: []smtptest.Fault{{Stage: stage, Stall: true}}})
			cfg, _ := smtp.ParseConfig("SmtpServer=" + srv.Addr() + ";EnableSsl=True;Timeout=60;")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				s, err := smtp.Dial(ctx, "Mail", cfg, smtp.Options{RootCAs: srv.CertPool()})
				if err == nil {
					_, err = s.Send(ctx, "a@x", []string{"b@x"}, strings.NewReader("\r\nx\r\n"))
				}
				done <- err
			}()
			select {
			case <-srv.Stalled():
			case err := <-done:
				t.Fatalf("returned before the server stalled: %v", err)
			case <-time.After(10 * time.Second):
				t.Fatal("the server did not reach its stall in 10 s")
			}
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("still stuck 10 s after cancel (Timeout=60)")
			}
		})
	}
}

func TestAuthFailures(t *testing.T) {
	srv := newServer(t, smtptest.Options{TLS: smtptest.StartTLS, Mechanisms: []string{"PLAIN", "LOGIN"}})
	_, err := dial(t, srv, "EnableSsl=True;UseWindowsAuthentication=True;", smtp.Options{Credentials: aliceNTLM})
	if !errors.Is(err, smtp.ErrAuth) || !strings.Contains(err.Error(), "does not offer AUTH NTLM") || !strings.Contains(err.Error(), "PLAIN LOGIN") {
		t.Errorf("NTLM not offered: err = %v", err)
	}
	srv2 := newServer(t, smtptest.Options{TLS: smtptest.StartTLS})
	_, err = dial(t, srv2, "EnableSsl=True;UseWindowsAuthentication=True;", smtp.Options{Credentials: smtp.StaticCredentials{"": {UserName: `TEST\alice`, Password: "wrong-pw-123"}}})
	var se *smtp.Error
	if !errors.As(err, &se) || !errors.Is(err, smtp.ErrAuth) || se.Code != 535 || strings.Contains(err.Error(), "wrong-pw-123") {
		t.Errorf("wrong password: err = %v", err)
	}
}

// TestNoSecretsLogged captures everything logged (debug level) and every
// error of an NTLM, a PLAIN and an XOAUTH2 session, and the server's
// transcript, and finds no password, token, or NTLM AUTHENTICATE blob.
func TestNoSecretsLogged(t *testing.T) {
	core, logs := observer.New(zap.DebugLevel)
	log := zap.New(core)
	srv := newServer(t, smtptest.Options{TLS: smtptest.StartTLS})
	var texts []string
	for _, conn := range []string{
		"EnableSsl=True;UseWindowsAuthentication=True;",
		"EnableSsl=True;AuthMechanism=Plain;",
		"EnableSsl=True;AuthMechanism=XOAUTH2;",
	} {
		for _, pw := range []string{alicePass, "Wrong-Secret-99"} {
			creds := smtp.StaticCredentials{"": {UserName: `TEST\alice`, Password: pw, Token: aliceTok + pw}}
			if !strings.Contains(conn, "Windows") {
				creds = smtp.StaticCredentials{"": {UserName: "alice", Password: pw, Token: map[bool]string{true: aliceTok, false: "Wrong-Token-88"}[pw == alicePass]}}
			}
			s, err := dial(t, srv, conn, smtp.Options{Credentials: creds, Logger: log})
			if err != nil {
				texts = append(texts, err.Error(), fmt.Sprintf("%+v %#v", err, err))
				continue
			}
			texts = append(texts, fmt.Sprintf("%+v", s.Info))
			s.Close()
		}
	}
	for _, e := range logs.All() {
		texts = append(texts, e.Message, fmt.Sprint(e.ContextMap()))
	}
	texts = append(texts, srv.Transcript()...)
	if len(logs.All()) == 0 {
		t.Fatal("nothing was logged: the test would prove nothing")
	}
	all := strings.Join(texts, "\n")
	for _, secret := range []string{alicePass, "Wrong-Secret-99", aliceTok, "Wrong-Token-88", "TlRMTVNTUAAD", "TlRMTVNTUAAB"} {
		if strings.Contains(all, secret) {
			t.Errorf("found %q in logs, errors or transcript", secret)
		}
	}
}

// BenchmarkAcquire measures a new connection + EHLO + STARTTLS + NTLM
// against the in-process server (dtsx), beside go-smtp's own DialStartTLS +
// QUIT without authentication (baseline) in the same run.
func BenchmarkAcquire(b *testing.B) {
	srv := smtptest.NewServer(b, smtptest.Options{TLS: smtptest.StartTLS, Users: map[string]string{`TEST\alice`: alicePass}})
	b.Run("dtsx", func(b *testing.B) {
		cfg, _ := smtp.ParseConfig("SmtpServer=" + srv.Addr() + ";UseWindowsAuthentication=True;EnableSsl=True;")
		opts := smtp.Options{Credentials: aliceNTLM, RootCAs: srv.CertPool()}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			s, err := smtp.Dial(context.Background(), "Mail", cfg, opts)
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
	b.Run("baseline-go-smtp-starttls", func(b *testing.B) {
		tc := srv.TLSConfig()
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			c, err := gosmtp.DialStartTLS(srv.Addr(), tc)
			if err != nil {
				b.Fatal(err)
			}
			c.Quit()
		}
	})
}
