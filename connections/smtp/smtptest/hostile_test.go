package smtptest_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// reachStage drives a raw session up to stage: every earlier step is
// expected to succeed, and the command of stage is sent (not answered).
func reachStage(t *testing.T, c *rawClient, stage smtptest.Stage) {
	t.Helper()
	for _, step := range session {
		if step.stage == smtptest.StageStartTLS {
			continue
		}
		if step.stage == stage {
			if step.cmd != "" {
				c.send(step.cmd)
			}
			return
		}
		c.expect(step.cmd, step.want)
	}
}

// TestFlood: a Flood sends exactly its bytes of continuation lines of the
// stage's code (or one endless line), then closes the connection.
func TestFlood(t *testing.T) {
	tests := []struct {
		stage smtptest.Stage
		line  int
		code  string
	}{
		{smtptest.Greeting, 0, "220-"},
		{smtptest.Ehlo, 0, "250-"},
		{smtptest.Ehlo, 7, "250-"},
		{smtptest.Ehlo, -1, "250-"},
		{smtptest.Auth, 0, "334-"},
		{smtptest.Mail, 100, "250-"},
		{smtptest.Data, 0, "354-"},
		{smtptest.DataEnd, 0, "250-"},
	}
	const size = 1<<20 + 17 // not a whole number of lines or buffers
	for _, tt := range tests {
		t.Run(tt.stage.String()+"/"+map[bool]string{true: "one line", false: "lines"}[tt.line < 0], func(t *testing.T) {
			s := smtptest.NewServer(t, smtptest.Options{Users: users(),
				Faults: []smtptest.Fault{{Stage: tt.stage, Flood: size, FloodLine: tt.line}}})
			c := dialRaw(t, s)
			reachStage(t, c, tt.stage)
			got, err := io.ReadAll(c.tp.R)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if len(got) != size || !bytes.HasPrefix(got, []byte(tt.code)) {
				t.Fatalf("got %d bytes starting %q, want %d starting %q", len(got), got[:min(len(got), 10)], size, tt.code)
			}
			lines := bytes.Split(got, []byte("\r\n"))
			if tt.line < 0 && len(lines) != 1 {
				t.Errorf("one endless line holds %d CRLFs", len(lines)-1)
			}
			for i, l := range lines[:len(lines)-1] {
				if want := max(tt.line, 0); !bytes.HasPrefix(l, []byte(tt.code)) || (want != 0 && len(l)+2 != want) {
					t.Fatalf("line %d = %q, want %s… of %d octets", i, l, tt.code, want)
				}
			}
		})
	}
}

// TestChallenge: the Challenge fault answers every line with another 334
// and ends the exchange only when the client sends "*".
func TestChallenge(t *testing.T) {
	for _, msg := range []string{"", "UGFzc3dvcmQ6"} {
		t.Run("Message="+msg, func(t *testing.T) {
			s := smtptest.NewServer(t, smtptest.Options{Users: users(),
				Faults: []smtptest.Fault{{Stage: smtptest.Auth, Challenge: true, Message: msg}}})
			c := dialRaw(t, s)
			c.expect("", 220)
			c.expect("EHLO client.test", 250)
			if got := c.expect("AUTH LOGIN", 334); got != msg {
				t.Errorf("challenge %q, want %q", got, msg)
			}
			for range 20 {
				c.expect(b64("answer"), 334)
			}
			c.expect("*", 501)
			c.expect("NOOP", 250)
			n := 0
			for _, l := range s.Transcript() {
				if l == "<redacted>" {
					n++
				}
			}
			if n != 21 {
				t.Errorf("transcript holds %d redacted answers, want 21", n)
			}
		})
	}
}

// TestBlock: a Block fault at DataEnd stops reading, so a large message
// blocks the client's writes, and Stalled says so.
func TestBlock(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.Options{Users: users(), Faults: []smtptest.Fault{{Stage: smtptest.DataEnd, Block: true}}})
	c := dialRaw(t, s)
	reachStage(t, c, smtptest.Data)
	c.expect("", 354)
	select {
	case <-s.Stalled():
	case <-time.After(10 * time.Second):
		t.Fatal("Stalled not closed 10 s after the DATA reply")
	}
	_ = c.conn.SetWriteDeadline(time.Now().Add(time.Second))
	w := bufio.NewWriter(c.conn)
	line := strings.Repeat("x", 998) + "\r\n"
	var err error
	for written := 0; err == nil && written < 256<<20; written += len(line) {
		_, err = w.WriteString(line)
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("writing 256 MiB to a blocked server: %v, want the write deadline", err)
	}
	s.Close() // ends the block
}

func TestHostileFaultsInvalid(t *testing.T) {
	for name, f := range map[string]smtptest.Fault{
		"flood and code":        {Stage: smtptest.Ehlo, Flood: 10, Code: 421},
		"negative flood":        {Stage: smtptest.Ehlo, Flood: -1},
		"short flood line":      {Stage: smtptest.Ehlo, Flood: 10, FloodLine: 5},
		"challenge not at auth": {Stage: smtptest.Mail, Challenge: true},
		"block and stall":       {Stage: smtptest.Mail, Block: true, Stall: true},
	} {
		t.Run(name, func(t *testing.T) {
			ft := &fatalTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				smtptest.NewServer(ft, smtptest.Options{Faults: []smtptest.Fault{f}})
			}()
			<-done
			if !ft.failed {
				t.Error("NewServer accepted an invalid fault")
			}
		})
	}
}
