package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/realsmtp"
)

var matrixFile = flag.String("matrix", "", "write the fault matrix as a Markdown table to this file")

// matrixCase is one row of the fault matrix: a server that misbehaves in
// one way, and what must come of a Send Mail task against it.
type matrixCase struct {
	name string
	// server starts the server and returns the connection string's
	// server part (SmtpServer=…;Port=…;) and what else the string needs.
	server func(t *testing.T) (conn string, messages func() int)
	// kind is the typed error errors.Is must find (nil when sent).
	kind error
	// outcome is the JSON record's outcome; "" when no record is written
	// (the task failed before a mail was tried).
	outcome string
	// attempts is the JSON record's attempts with Retry=1.
	attempts int
}

// faulty returns a matrixCase server: smtptest with opts and the fault f
// (none when f is the zero Fault).
func faulty(f smtptest.Fault, opts smtptest.Options) func(t *testing.T) (string, func() int) {
	return func(t *testing.T) (string, func() int) {
		if f.Stage != 0 {
			opts.Faults = append(opts.Faults, f)
		}
		srv := smtptest.NewServer(t, opts)
		return fmt.Sprintf("SmtpServer=127.0.0.1;Port=%d;", srv.Port()), func() int { return len(srv.Messages()) }
	}
}

// TestFaultMatrix runs the hello-mail sample (one Send Mail task) through
// dtsx run with Retry=1;RetryDelay=1;Timeout=1 against a server that fails
// in each way the issue lists, and checks each column: the typed error a
// direct send returns, the console's message, the exit code, the JSON
// record's outcome and attempts, and that a mail counts as sent only when
// the server took it (250 to the final dot). -v or -matrix FILE prints the
// table. With DTSX_REAL_SMTP=1 the real Postfix rows run too.
func TestFaultMatrix(t *testing.T) {
	dead := func(t *testing.T) (string, func() int) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close() // nothing listens: the connection is refused
		return fmt.Sprintf("SmtpServer=127.0.0.1;Port=%d;", port), func() int { return 0 }
	}
	F := func(st smtptest.Stage) smtptest.Fault { return smtptest.Fault{Stage: st} }
	code := func(st smtptest.Stage, c int) smtptest.Fault { f := F(st); f.Code = c; return f }
	noPipe := smtptest.Options{NoPipelining: true}
	cases := []matrixCase{
		{"connection refused", dead, smtp.ErrConnect, smtp.DeliveryExhausted, 2},
		{"421 at greeting", faulty(code(smtptest.Greeting, 421), noPipe), smtp.ErrReply, smtp.DeliveryExhausted, 2},
		{"451 at EHLO", faulty(code(smtptest.Ehlo, 451), noPipe), smtp.ErrReply, smtp.DeliveryExhausted, 2},
		{"550 at EHLO", faulty(code(smtptest.Ehlo, 550), noPipe), smtp.ErrReply, smtp.DeliveryRefused, 1},
		{"451 at MAIL", faulty(code(smtptest.Mail, 451), noPipe), smtp.ErrReply, smtp.DeliveryExhausted, 2},
		{"550 at MAIL", faulty(code(smtptest.Mail, 550), noPipe), smtp.ErrReply, smtp.DeliveryRefused, 1},
		{"451 at RCPT", faulty(code(smtptest.Rcpt, 451), noPipe), smtp.ErrReply, smtp.DeliveryExhausted, 2},
		{"550 at RCPT", faulty(code(smtptest.Rcpt, 550), noPipe), smtp.ErrReply, smtp.DeliveryRefused, 1},
		{"451 at DATA", faulty(code(smtptest.Data, 451), noPipe), smtp.ErrReply, smtp.DeliveryExhausted, 2},
		{"554 at DATA", faulty(code(smtptest.Data, 554), noPipe), smtp.ErrReply, smtp.DeliveryRefused, 1},
		{"451 after the dot", faulty(code(smtptest.DataEnd, 451), smtptest.Options{}), smtp.ErrReply, smtp.DeliveryExhausted, 2},
		{"554 after the dot", faulty(code(smtptest.DataEnd, 554), smtptest.Options{}), smtp.ErrReply, smtp.DeliveryRefused, 1},
		{"dropped after the dot", faulty(smtptest.Fault{Stage: smtptest.DataEnd, Drop: true}, smtptest.Options{}), smtp.ErrDeliveryUnknown, smtp.DeliveryUnknown, 1},
		{"stall at greeting", faulty(smtptest.Fault{Stage: smtptest.Greeting, Stall: true}, smtptest.Options{}), smtp.ErrTimeout, smtp.DeliveryExhausted, 2},
		{"stall at EHLO", faulty(smtptest.Fault{Stage: smtptest.Ehlo, Stall: true}, smtptest.Options{}), smtp.ErrTimeout, smtp.DeliveryExhausted, 2},
		{"stall at MAIL", faulty(smtptest.Fault{Stage: smtptest.Mail, Stall: true}, noPipe), smtp.ErrTimeout, smtp.DeliveryExhausted, 2},
		{"stall at DATA", faulty(smtptest.Fault{Stage: smtptest.Data, Stall: true}, noPipe), smtp.ErrTimeout, smtp.DeliveryExhausted, 2},
		{"stall after the dot", faulty(smtptest.Fault{Stage: smtptest.DataEnd, Stall: true}, smtptest.Options{}), smtp.ErrDeliveryUnknown, smtp.DeliveryUnknown, 1},
		{"oversized EHLO reply", faulty(smtptest.Fault{Stage: smtptest.Ehlo, Flood: 64 << 20}, smtptest.Options{}), smtp.ErrProtocol, smtp.DeliveryRefused, 1},
		{"endless reply line", faulty(smtptest.Fault{Stage: smtptest.Greeting, Flood: 1 << 20, FloodLine: -1}, smtptest.Options{}), smtp.ErrProtocol, smtp.DeliveryRefused, 1},
		{"no STARTTLS with EnableSsl=True", tlsCase(smtptest.Options{}, "EnableSsl=True;"), smtp.ErrTLSRequired, smtp.DeliveryRefused, 1},
		{"untrusted certificate", untrusted, smtp.ErrTLS, smtp.DeliveryRefused, 1},
		{"535 to AUTH", authCase(smtptest.Options{Users: map[string]string{"alice": "right"}}, "wrong"), smtp.ErrAuth, smtp.DeliveryRefused, 1},
		{"endless 334 to AUTH", authCase(smtptest.Options{Users: map[string]string{"alice": "right"},
			Faults: []smtptest.Fault{{Stage: smtptest.Auth, Challenge: true}}}, "right"), smtp.ErrProtocol, smtp.DeliveryRefused, 1},
		{"healthy server", faulty(smtptest.Fault{}, smtptest.Options{}), nil, smtp.DeliverySent, 1},
	}
	if os.Getenv("DTSX_REAL_SMTP") == "1" {
		env := realsmtp.Env(t)
		real := func(rcpt string) func(t *testing.T) (string, func() int) {
			return func(t *testing.T) (string, func() int) {
				host, port, _ := net.SplitHostPort(env["SMTP_INFRA_SMTP"])
				return "SmtpServer=" + host + ";Port=" + port + ";To=" + rcpt + ";", func() int { return -1 }
			}
		}
		cases = append(cases,
			matrixCase{"Postfix: 451 (defer451@)", real("defer451@test.local"), smtp.ErrReply, smtp.DeliveryExhausted, 2},
			matrixCase{"Postfix: 550 (reject550@)", real("reject550@test.local"), smtp.ErrReply, smtp.DeliveryRefused, 1},
			matrixCase{"Postfix: accepted", real("ops@test.local"), nil, smtp.DeliverySent, 1})
	}
	sample, err := os.ReadFile("../../samples/hello-mail.dtsx")
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]string, len(cases))
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn, messages := tc.server(t)
			to := "ops@example.com"
			if i := strings.Index(conn, "To="); i >= 0 { // a real-server row names its recipient
				to, conn = strings.TrimSuffix(conn[i+3:], ";"), conn[:i]
			}
			settings := "Timeout=1;Retry=1;RetryDelay=1;"
			kind := typedError(t, conn+settings, to)
			if (tc.kind == nil) != (kind == nil) || (tc.kind != nil && !errors.Is(kind, tc.kind)) {
				t.Errorf("direct send: err = %v, want %v", kind, tc.kind)
			}
			dir := t.TempDir()
			pkg := filepath.Join(dir, "p.dtsx")
			body := strings.Replace(string(sample), `SendMailTask:To="ops@example.com"`, `SendMailTask:To="`+to+`"`, 1)
			if err := os.WriteFile(pkg, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			rep := filepath.Join(dir, "r.json")
			before := messages()
			exit, out, errOut := runCLI(t, "run", "--json", rep, "--conn", "SMTP Connection Manager;"+conn+settings, pkg)
			console := consoleError(out + errOut)
			outcome, attempts := record(t, rep)
			wantExit := 1
			if tc.outcome == smtp.DeliverySent {
				wantExit = 0
			}
			if exit != wantExit {
				t.Errorf("exit %d, want %d: %s", exit, wantExit, console)
			}
			if outcome != tc.outcome || attempts != tc.attempts {
				t.Errorf("record outcome %q attempts %d, want %q %d", outcome, attempts, tc.outcome, tc.attempts)
			}
			if n := messages() - before; before >= 0 && tc.outcome != smtp.DeliveryUnknown && (n > 0) != (outcome == smtp.DeliverySent) {
				t.Errorf("the server took %d messages, the report says %q", n, outcome)
			}
			if tc.outcome != smtp.DeliverySent && console == "" {
				t.Errorf("no error on the console:\n%s%s", out, errOut)
			}
			rows[i] = fmt.Sprintf("| %s | %v | %d | %s | %d | %s |", tc.name, kindName(kind), exit, outcome, attempts, strings.ReplaceAll(console, "|", "\\|"))
		})
	}
	t.Cleanup(func() {
		table := "| case | typed error | exit | outcome | attempts | console |\n|---|---|---|---|---|---|\n" + strings.Join(rows, "\n") + "\n"
		t.Log("\n" + table)
		if *matrixFile != "" {
			if err := os.WriteFile(*matrixFile, []byte(table), 0o644); err != nil {
				t.Error(err)
			}
		}
	})
}

// typedError sends one mail straight through the connection manager, as
// the task does, and returns the error.
func typedError(t *testing.T, cs, to string) error {
	m, err := smtp.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "Mail", CreationName: "SMTP"}, ConnectionString: cs})
	if err != nil {
		t.Fatal(err)
	}
	fence, _ := smtp.FenceFromEnv()
	noWait := func(context.Context, time.Duration) error { return nil }
	_, err = m.SendRetry(context.Background(), smtp.Options{Fence: fence}, "dtsx@example.com", []string{to},
		"Subject: matrix\r\n\r\nbody\r\n", noWait)
	return err
}

// kindName names the sentinel err matches, for the table.
func kindName(err error) string {
	if err == nil {
		return "none (sent)"
	}
	for _, k := range []struct {
		err  error
		name string
	}{{smtp.ErrDeliveryUnknown, "ErrDeliveryUnknown"}, {smtp.ErrProtocol, "ErrProtocol"}, {smtp.ErrTimeout, "ErrTimeout"},
		{smtp.ErrTLSRequired, "ErrTLSRequired"}, {smtp.ErrTLS, "ErrTLS"}, {smtp.ErrAuth, "ErrAuth"}, {smtp.ErrReply, "ErrReply"},
		{smtp.ErrConnectionLost, "ErrConnectionLost"}, {smtp.ErrConnect, "ErrConnect"}} {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	return "untyped"
}

// consoleError returns the first error description of a run's console.
func consoleError(console string) string {
	for _, line := range strings.Split(console, "\n") {
		if d, ok := strings.CutPrefix(strings.TrimSpace(line), "Description: "); ok && strings.Contains(d, "smtp") && !strings.Contains(d, "warning[") {
			if len(d) > 160 {
				d = d[:160] + "…"
			}
			return d
		}
	}
	return ""
}

// record reads the mail record of a run's JSON report.
func record(t *testing.T, file string) (string, int) {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Records []struct {
			Kind string
			Data struct {
				Outcome  string `json:"outcome"`
				Attempts int    `json:"attempts"`
			}
		} `json:"records"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	for _, rec := range r.Records {
		if rec.Kind == "mail" {
			return rec.Data.Outcome, rec.Data.Attempts
		}
	}
	return "", 0
}

// tlsCase is a server started with opts, the connection string given more.
func tlsCase(opts smtptest.Options, more string) func(t *testing.T) (string, func() int) {
	return func(t *testing.T) (string, func() int) {
		conn, messages := faulty(smtptest.Fault{}, opts)(t)
		return conn + more, messages
	}
}

// untrusted is a STARTTLS server whose certificate nothing trusts (no
// CAFile is given).
var untrusted = tlsCase(smtptest.Options{TLS: smtptest.StartTLS}, "EnableSsl=True;")

// authCase is a server that wants PLAIN, logged in to as alice with
// password.
func authCase(opts smtptest.Options, password string) func(t *testing.T) (string, func() int) {
	opts.Mechanisms = []string{"PLAIN"}
	return tlsCase(opts, "AuthMechanism=Plain;AllowInsecureAuth=True;UserName=alice;Password="+password+";")
}
