package smtp_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/dtsx"
)

func newManager(t *testing.T, cs string) *smtp.Manager {
	t.Helper()
	m, err := smtp.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "Mail", CreationName: "SMTP"}, ConnectionString: cs})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSetProperty: the properties a property expression, /Set or a
// configuration sets on an SMTP connection manager are its connection
// string and the keys in it; a bad value changes nothing.
func TestSetProperty(t *testing.T) {
	tests := []struct {
		name, prop, value string
		wantErr           string
		want              string // the settings afterwards, as String shows them
	}{
		{"server", "SmtpServer", "relay.example.com", "", "SmtpServer=relay.example.com"},
		{"case-insensitive", "enablessl", "True", "", "EnableSsl=True"},
		{"timeout", "Timeout", "45", "", "Timeout=45"},
		{"whole string", "ConnectionString", "SmtpServer=other.example.com;UseWindowsAuthentication=True;EnableSsl=True;", "", "SmtpServer=other.example.com;UseWindowsAuthentication=True;EnableSsl=True"},
		{"name is not a setting", "Name", "x", "", "SmtpServer=mail.example.com"},
		{"bad bool", "EnableSsl", "maybe", "EnableSsl", "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False"},
		{"unknown", "SmtpSever", "x", "SmtpServer", "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newManager(t, "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;")
			before := m.Config
			err := m.SetProperty(tt.prop, tt.value)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), `"Mail"`) {
					t.Fatalf("err = %v, want one naming %s and the manager", err, tt.wantErr)
				}
				if m.Config != before {
					t.Error("a failed SetProperty changed the settings")
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := m.Config.String(); !strings.Contains(got, tt.want) {
				t.Errorf("settings %q, want %q in them", got, tt.want)
			}
		})
	}
}

// TestSetPropertyWhileSending: tasks acquire the manager while property
// expressions set it (run under -race); each session uses the settings of
// the moment it was acquired, and a redirect (capture mode) wins over any
// server an expression names.
func TestSetPropertyWhileSending(t *testing.T) {
	t.Setenv("DTSX_SMTP_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
	srv := newServer(t, smtptest.Options{})
	m := newManager(t, "SmtpServer=unreachable.invalid;")
	m.Run.Redirect = srv.Addr()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := m.SetProperty("SmtpServer", "relay"+string(rune('a'+i))+".invalid"); err != nil {
				t.Error(err)
			}
			s, err := m.Acquire(context.Background(), m.Run)
			if err != nil {
				t.Error(err)
				return
			}
			if s.Info.Server != srv.Addr() {
				t.Errorf("session went to %s, want the redirect %s", s.Info.Server, srv.Addr())
			}
			s.Close()
		}()
	}
	wg.Wait()
	if !strings.HasPrefix(m.Config.Server, "relay") {
		t.Errorf("server %q: the expressions' value was not kept", m.Config.Server)
	}
}

// TestRetainSameConnection: with RetainSameConnection=True the session of
// one send is kept for the next (RSET between mails) and ended by Close;
// a session that failed is not kept, and a new one is dialled; without it
// each Acquire opens its own connection, as SSIS does.
func TestRetainSameConnection(t *testing.T) {
	for _, noPipe := range []bool{false, true} {
		t.Run(fmt.Sprint("NoPipelining=", noPipe), func(t *testing.T) { retainSameConnection(t, noPipe) })
	}
}

func retainSameConnection(t *testing.T, noPipelining bool) {
	count := func(tr []string, prefix string) int {
		n := 0
		for _, l := range tr {
			if strings.HasPrefix(strings.ToUpper(l), prefix) {
				n++
			}
		}
		return n
	}
	send := func(t *testing.T, m *smtp.Manager) error {
		s, err := m.Acquire(context.Background(), m.Run)
		if err != nil {
			return err
		}
		_, err = s.Send(context.Background(), "a@example.com", []string{"b@example.com"}, strings.NewReader("Subject: x\r\n\r\nbody\r\n"))
		s.Close()
		return err
	}
	for _, tt := range []struct {
		name               string
		retain             bool
		restart            bool // the server goes away after the first mail; a new one takes over
		faults             []smtptest.Fault
		wantEHLO, wantRSET int
		wantErrs           int
	}{
		{name: "kept", retain: true, wantEHLO: 1, wantRSET: 3},
		{name: "SSIS: a connection each", retain: false, wantEHLO: 4},
		// The kept session's server closed it: RSET fails and a new
		// session is dialled, with no mail lost.
		{name: "server closed it", retain: true, restart: true, wantEHLO: 1, wantRSET: 2},
		// MAIL FROM gets 421 (the server closes): that session is not
		// kept and the next mail dials again.
		{name: "failed session", retain: true, restart: true, faults: []smtptest.Fault{{Stage: smtptest.Mail, Code: 421, Times: 1}},
			wantEHLO: 2, wantRSET: 1, wantErrs: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, smtptest.Options{NoPipelining: noPipelining})
			m := newManager(t, fmt.Sprintf("SmtpServer=%s;RetainSameConnection=%v;", srv.Addr(), tt.retain))
			errs := 0
			for i := range 4 {
				if i == 1 && tt.restart {
					srv.Close()
					srv = newServer(t, smtptest.Options{Faults: tt.faults, NoPipelining: noPipelining})
					m.Run.Redirect = srv.Addr()
				}
				if err := send(t, m); err != nil {
					if !strings.Contains(err.Error(), "421") {
						t.Errorf("send %d: %v, want the server's 421", i, err)
					}
					errs++
				}
			}
			if err := m.Close(); err != nil {
				t.Error(err)
			}
			tr := srv.Transcript()
			if got := count(tr, "EHLO"); got != tt.wantEHLO {
				t.Errorf("EHLO %d times, want %d:\n%s", got, tt.wantEHLO, strings.Join(tr, "\n"))
			}
			if got := count(tr, "RSET"); got != tt.wantRSET {
				t.Errorf("RSET %d times, want %d", got, tt.wantRSET)
			}
			if count(tr, "QUIT") == 0 {
				t.Error("no QUIT: the kept session was not ended")
			}
			if errs != tt.wantErrs {
				t.Errorf("%d sends failed, want %d", errs, tt.wantErrs)
			}
		})
	}
}

// TestManagerValidate: Validate reports a bad connection string as diagnostics
// naming the manager, and an empty server set by a property expression only
// as a warning.
func TestManagerValidate(t *testing.T) {
	tests := []struct {
		connStr string
		exprs   []dtsx.PropertyExpression
		code    string
		sev     dtsx.Severity
	}{
		{"SmtpServer=mail.bellsouth.net;UseWindowsAuthentication=True;EnableSsl=False;", nil, "", 0},
		{"SmtpServer=;UseWindowsAuthentication=False;EnableSsl=False;", nil, smtp.CodeEmptyServer, dtsx.SeverityError},
		{"SmtpServer=;UseWindowsAuthentication=False;EnableSsl=False;", []dtsx.PropertyExpression{{Name: "SmtpServer", Expression: "@[$Project::S]"}},
			smtp.CodeEmptyServer, dtsx.SeverityWarning},
		{"SmtpServer=h;EnableSsl=Maybe;", nil, smtp.CodeBadBoolean, dtsx.SeverityError},
		{"SmtpServer=h;Timeout=soon;", nil, smtp.CodeBadTimeout, dtsx.SeverityError},
		{"SmtpServer=h;EnableSSL=True;Colour=blue;", nil, smtp.CodeUnknownKey, dtsx.SeverityError},
		{"SmtpServer=h:2525;", nil, smtp.CodePortInServer, dtsx.SeverityWarning},
	}
	for _, tt := range tests {
		t.Run(tt.connStr, func(t *testing.T) {
			def := &dtsx.ConnectionManager{Object: dtsx.Object{Name: "Mail", DTSID: "{00000000-0000-0000-0000-000000000009}",
				CreationName: "SMTP", RefID: "Package.ConnectionManagers[Mail]"}, ConnectionString: tt.connStr}
			def.Expressions = tt.exprs
			m, err := smtp.New(def)
			if err != nil {
				t.Fatal(err)
			}
			ds := m.Validate()
			if tt.code == "" {
				if len(ds) != 0 {
					t.Fatalf("diagnostics for a valid string: %v", ds)
				}
				return
			}
			for _, d := range ds {
				if d.Code == tt.code && d.Severity == tt.sev && d.Path == def.RefID && strings.Contains(d.Message, `"Mail"`) {
					return
				}
			}
			t.Fatalf("no %s %s diagnostic naming the manager in %v", tt.sev, tt.code, ds)
		})
	}
}
