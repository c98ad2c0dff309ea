package smtptest_test

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	ntlmssp "github.com/Azure/go-ntlmssp"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestMain keeps the tests on loopback (testfence) and fails the run if a
// goroutine of the server outlives the tests: every server is closed by
// t.Cleanup, and Close waits.
func TestMain(m *testing.M) {
	testfence.Set()
	code := m.Run()
	if code == 0 {
		if leaked := leakedGoroutines(); leaked != "" {
			fmt.Fprintf(os.Stderr, "leaked goroutines:\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

func leakedGoroutines() string {
	var leaked []string
	for range 50 {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		leaked = leaked[:0]
		for g := range strings.SplitSeq(string(buf), "\n\n") {
			if strings.Contains(g, "emersion/go-smtp") || strings.Contains(g, "connections/smtp/smtptest.") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 {
			return ""
		}
		time.Sleep(10 * time.Millisecond)
	}
	return strings.Join(leaked, "\n\n")
}

const (
	alicePassword = "s3cret-Pa55"
	aliceToken    = "ya29.token-for-alice"
)

func users() map[string]string { return map[string]string{"alice": alicePassword} }

// rawClient speaks SMTP line by line, for exchanges no library client makes.
type rawClient struct {
	t    testing.TB
	conn net.Conn
	tp   *textproto.Conn
}

func dialRaw(t testing.TB, s *smtptest.Server) *rawClient {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr(), 10*time.Second) // generous: a loaded machine is slow to accept, and only a hang must fail
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	return &rawClient{t: t, conn: conn, tp: textproto.NewConn(conn)}
}

func (c *rawClient) send(line string) {
	c.t.Helper()
	if err := c.tp.PrintfLine("%s", line); err != nil {
		c.t.Fatalf("send %q: %v", line, err)
	}
}

// reply reads one (possibly multi-line) reply.
func (c *rawClient) reply() (int, string, error) {
	code, msg, err := c.tp.ReadResponse(0)
	var perr textproto.ProtocolError
	if errors.As(err, &perr) {
		return 0, "", err
	}
	return code, msg, err
}

// cmd sends line and returns the reply, failing on I/O errors. An empty
// line is not sent: cmd("") only reads a reply.
func (c *rawClient) cmd(line string) (int, string) {
	c.t.Helper()
	if line != "" {
		c.send(line)
	}
	code, msg, err := c.reply()
	if err != nil {
		c.t.Fatalf("reply to %q: %v", line, err)
	}
	return code, msg
}

func (c *rawClient) expect(line string, want int) string {
	c.t.Helper()
	code, msg := c.cmd(line)
	if code != want {
		c.t.Fatalf("reply to %q = %d %s, want %d", line, code, msg, want)
	}
	return msg
}

func (c *rawClient) startTLS(cfg *tls.Config) {
	c.t.Helper()
	c.expect("STARTTLS", 220)
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake: %v", err)
	}
	c.conn = tc
	c.tp = textproto.NewConn(tc)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestGoSMTPClientStartTLS(t *testing.T) {
	tests := []struct {
		name string
		auth sasl.Client
	}{
		{"PLAIN", sasl.NewPlainClient("", "alice", alicePassword)},
		{"LOGIN", sasl.NewLoginClient("alice", alicePassword)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t, smtptest.Options{TLS: smtptest.StartTLS, Users: users()})
			c, err := smtp.DialStartTLS(s.Addr(), s.TLSConfig())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if ok, _ := c.Extension("STARTTLS"); ok { // the second EHLO does the handshake
				t.Error("STARTTLS offered again over TLS")
			}
			if state, ok := c.TLSConnectionState(); !ok || !state.HandshakeComplete {
				t.Fatal("no TLS after STARTTLS")
			}
			if err := c.Auth(tt.auth); err != nil {
				t.Fatal(err)
			}
			body := "Subject: hi\r\n\r\nHello.\r\n.leading dot\r\n"
			if err := c.SendMail("sender@example.test", []string{"rcpt@example.test"}, strings.NewReader(body)); err != nil {
				t.Fatal(err)
			}
			if err := c.Quit(); err != nil {
				t.Fatal(err)
			}
			s.Close()

			want := []smtptest.Message{{
				From: "sender@example.test",
				To:   []string{"rcpt@example.test"},
				Data: []byte(body),
				User: "alice",
				TLS:  true,
			}}
			if got := s.Messages(); !equalMessages(got, want) {
				t.Errorf("Messages() = %+v, want %+v", got, want)
			}
			wantTranscript := []string{
				"<connect>",
				"EHLO localhost",
				"STARTTLS",
				"<tls>",
				"EHLO localhost",
				"AUTH " + tt.name + " <redacted>",
				"<redacted>",
				"MAIL FROM:<sender@example.test> BODY=8BITMIME",
				"RCPT TO:<rcpt@example.test>",
				"DATA",
				"QUIT",
				"<close>",
			}
			if tt.name == "PLAIN" { // no continuation line
				wantTranscript = slices.Delete(wantTranscript, 6, 7)
			}
			if got := s.Transcript(); !slices.Equal(got, wantTranscript) {
				t.Errorf("Transcript() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantTranscript, "\n"))
			}
			wantAttempts := []smtptest.AuthAttempt{{Mechanism: tt.name, User: "alice", OK: true}}
			if got := s.AuthAttempts(); !slices.Equal(got, wantAttempts) {
				t.Errorf("AuthAttempts() = %+v, want %+v", got, wantAttempts)
			}
		})
	}
}

func equalMessages(a, b []smtptest.Message) bool {
	return slices.EqualFunc(a, b, func(x, y smtptest.Message) bool {
		return x.From == y.From && slices.Equal(x.To, y.To) && bytes.Equal(x.Data, y.Data) &&
			x.User == y.User && x.TLS == y.TLS
	})
}

func TestAuthNeedsTLSBeforeSTARTTLS(t *testing.T) {
	tests := []struct {
		name      string
		opts      smtptest.Options
		authPlain bool // AUTH advertised and accepted in the clear
		startTLS  bool // STARTTLS advertised
	}{
		{"StartTLS", smtptest.Options{TLS: smtptest.StartTLS, Users: users()}, false, true},
		{"StartTLS insecure", smtptest.Options{TLS: smtptest.StartTLS, Users: users(), AllowInsecureAuth: true}, true, true},
		{"NoTLS", smtptest.Options{Users: users()}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t, tt.opts)
			c := dialRaw(t, s)
			c.expect("", 220)
			ehlo := c.expect("EHLO client.test", 250)
			if got := strings.Contains(ehlo, "\nAUTH PLAIN LOGIN NTLM XOAUTH2"); got != tt.authPlain {
				t.Errorf("AUTH advertised = %v, want %v in\n%s", got, tt.authPlain, ehlo)
			}
			if got := strings.Contains(ehlo, "\nSTARTTLS"); got != tt.startTLS {
				t.Errorf("STARTTLS advertised = %v, want %v in\n%s", got, tt.startTLS, ehlo)
			}
			code, msg := c.cmd("AUTH PLAIN " + b64("\x00alice\x00"+alicePassword))
			if want := map[bool]int{true: 235, false: 538}[tt.authPlain]; code != want {
				t.Errorf("AUTH PLAIN in the clear = %d %s, want %d", code, msg, want)
			}
			if !tt.startTLS {
				c.expect("STARTTLS", 502)
				return
			}
			if tt.authPlain {
				return
			}
			c.startTLS(s.TLSConfig())
			ehlo = c.expect("EHLO client.test", 250)
			if !strings.Contains(ehlo, "\nAUTH PLAIN LOGIN NTLM XOAUTH2") || strings.Contains(ehlo, "STARTTLS") {
				t.Errorf("EHLO over TLS:\n%s", ehlo)
			}
			c.expect("STARTTLS", 502)
			c.expect("AUTH PLAIN "+b64("\x00alice\x00"+alicePassword), 235)
		})
	}
}

func TestLoginRaw(t *testing.T) {
	tests := []struct {
		name     string
		password string
		initial  bool
		want     int
	}{
		{"right password", alicePassword, false, 235},
		{"right password, initial response", alicePassword, true, 235},
		{"wrong password", "nope", false, 535},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t, smtptest.Options{Users: users()})
			c := dialRaw(t, s)
			c.expect("", 220)
			c.expect("EHLO client.test", 250)
			if tt.initial {
				if msg := c.expect("AUTH LOGIN "+b64("alice"), 334); msg != "UGFzc3dvcmQ6" {
					t.Errorf("password prompt %q", msg)
				}
			} else {
				if msg := c.expect("AUTH LOGIN", 334); msg != "VXNlcm5hbWU6" {
					t.Errorf("user name prompt %q", msg)
				}
				if msg := c.expect(b64("alice"), 334); msg != "UGFzc3dvcmQ6" {
					t.Errorf("password prompt %q", msg)
				}
			}
			code, msg := c.cmd(b64(tt.password))
			if code != tt.want {
				t.Fatalf("reply = %d %s, want %d", code, msg, tt.want)
			}
			if code == 535 && !strings.HasPrefix(msg, "5.7.8 ") {
				t.Errorf("535 without 5.7.8: %q", msg)
			}
			wantAttempts := []smtptest.AuthAttempt{{Mechanism: "LOGIN", User: "alice", OK: tt.want == 235}}
			if got := s.AuthAttempts(); !slices.Equal(got, wantAttempts) {
				t.Errorf("AuthAttempts() = %+v, want %+v", got, wantAttempts)
			}
		})
	}
}

// ntlmExchange runs AUTH NTLM with an initial response and returns the
// final reply code.
func ntlmExchange(t *testing.T, c *rawClient, user, password string) (int, string) {
	t.Helper()
	neg, err := ntlmssp.NewNegotiateMessage("", "")
	if err != nil {
		t.Fatal(err)
	}
	challenge := decode(t, c.expect("AUTH NTLM "+base64.StdEncoding.EncodeToString(neg), 334))
	auth, err := ntlmssp.NewAuthenticateMessage(challenge, user, password, &ntlmssp.AuthenticateMessageOptions{WorkstationName: "WS1"})
	if err != nil {
		t.Fatal(err)
	}
	return c.cmd(base64.StdEncoding.EncodeToString(auth))
}

func decode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return b
}

func TestNTLM(t *testing.T) {
	tests := []struct {
		name     string
		users    map[string]string
		login    string
		password string
		want     int
		record   string // AuthAttempt.User
	}{
		{"user", map[string]string{"bob": "pw1"}, "bob", "pw1", 235, "bob"},
		{"wrong password", map[string]string{"bob": "pw1"}, "bob", "pw2", 535, "bob"},
		{"unknown user", map[string]string{"bob": "pw1"}, "carol", "pw1", 535, "carol"},
		{"DOMAIN\\user key", map[string]string{`CORP\bob`: "pw1"}, `CORP\bob`, "pw1", 235, `CORP\bob`},
		{"DOMAIN\\user wrong password", map[string]string{`CORP\bob`: "pw1"}, `CORP\bob`, "pw2", 535, `CORP\bob`},
		{"domain case differs, as with Cyrus", map[string]string{`CORP\bob`: "pw1"}, `corp\bob`, "pw1", 535, `corp\bob`},
		{"domain falls back to user key", map[string]string{"bob": "pw1"}, `CORP\bob`, "pw1", 235, `CORP\bob`},
		{"user@domain", map[string]string{"bob@corp.example": "pw1"}, "bob@corp.example", "pw1", 235, "bob@corp.example"},
		{"non-ASCII password", map[string]string{"bob": "pässwörd€"}, "bob", "pässwörd€", 235, "bob"},
	}
	for _, targetInfo := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/TargetInfo=%v", tt.name, targetInfo), func(t *testing.T) {
				s := smtptest.NewServer(t, smtptest.Options{Users: tt.users, NTLMTargetInfo: targetInfo})
				c := dialRaw(t, s)
				c.expect("", 220)
				c.expect("EHLO client.test", 250)
				code, msg := ntlmExchange(t, c, tt.login, tt.password)
				if code != tt.want {
					t.Fatalf("reply = %d %s, want %d", code, msg, tt.want)
				}
				if code == 535 && !strings.HasPrefix(msg, "5.7.8 ") {
					t.Errorf("535 without 5.7.8: %q", msg)
				}
				want := []smtptest.AuthAttempt{{Mechanism: "NTLM", User: tt.record, OK: tt.want == 235}}
				if got := s.AuthAttempts(); !slices.Equal(got, want) {
					t.Errorf("AuthAttempts() = %+v, want %+v", got, want)
				}
			})
		}
	}
}

func TestNTLMChallengeTargetInfo(t *testing.T) {
	for _, targetInfo := range []bool{false, true} {
		t.Run(fmt.Sprintf("TargetInfo=%v", targetInfo), func(t *testing.T) {
			s := smtptest.NewServer(t, smtptest.Options{Users: users(), NTLMTargetInfo: targetInfo})
			c := dialRaw(t, s)
			c.expect("", 220)
			c.expect("EHLO client.test", 250)
			neg, err := ntlmssp.NewNegotiateMessage("", "")
			if err != nil {
				t.Fatal(err)
			}
			ch := decode(t, c.expect("AUTH NTLM "+base64.StdEncoding.EncodeToString(neg), 334))
			if len(ch) < 48 || string(ch[:8]) != "NTLMSSP\x00" || binary.LittleEndian.Uint32(ch[8:]) != 2 {
				t.Fatalf("not a CHALLENGE message: %x", ch)
			}
			infoLen := binary.LittleEndian.Uint16(ch[40:])
			flags := binary.LittleEndian.Uint32(ch[20:])
			if got := infoLen > 0 && flags&0x00800000 != 0; got != targetInfo {
				t.Errorf("TargetInfo present = %v (len %d, flags %#x), want %v", got, infoLen, flags, targetInfo)
			}
			if flags&1 == 0 {
				t.Errorf("UNICODE flag not echoed: %#x", flags)
			}
		})
	}
}

// authenticateV1 builds an AUTHENTICATE message with 24-byte LM and NT
// responses, as an NTLMv1 client sends.
func authenticateV1(user string) []byte {
	u := utf16.Encode([]rune(user))
	name := make([]byte, 2*len(u))
	for i, r := range u {
		binary.LittleEndian.PutUint16(name[2*i:], r)
	}
	m := make([]byte, 64)
	copy(m, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(m[8:], 3)
	off := 64
	for i, l := range []int{24, 24, 0, len(name), 0} {
		binary.LittleEndian.PutUint16(m[12+8*i:], uint16(l))
		binary.LittleEndian.PutUint16(m[14+8*i:], uint16(l))
		binary.LittleEndian.PutUint32(m[16+8*i:], uint32(off))
		off += l
	}
	binary.LittleEndian.PutUint32(m[60:], 0x00000201) // UNICODE | NTLM
	m = append(m, bytes.Repeat([]byte{0x11}, 48)...)
	return append(m, name...)
}

func TestNTLMv1Refused(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.Options{Users: users()})
	c := dialRaw(t, s)
	c.expect("", 220)
	c.expect("EHLO client.test", 250)
	neg, err := ntlmssp.NewNegotiateMessage("", "")
	if err != nil {
		t.Fatal(err)
	}
	c.expect("AUTH NTLM "+base64.StdEncoding.EncodeToString(neg), 334)
	if msg := c.expect(base64.StdEncoding.EncodeToString(authenticateV1("alice")), 535); !strings.HasPrefix(msg, "5.7.8 ") {
		t.Errorf("reply %q", msg)
	}
	want := []smtptest.AuthAttempt{{Mechanism: "NTLM", User: "alice"}}
	if got := s.AuthAttempts(); !slices.Equal(got, want) {
		t.Errorf("AuthAttempts() = %+v, want %+v", got, want)
	}
}

func TestNTLMBareReply(t *testing.T) {
	tests := []struct {
		name      string
		bareReply bool
		initial   bool
		wantFirst string // the exact first reply line, "" to only expect a base64 CHALLENGE
	}{
		{"Exchange style", true, false, "334 NTLM supported"},
		{"RFC 4954 style", false, false, "334 "},
		{"initial response", true, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t, smtptest.Options{Users: users(), NTLMBareReply: tt.bareReply})
			c := dialRaw(t, s)
			c.expect("", 220)
			c.expect("EHLO client.test", 250)
			neg, err := ntlmssp.NewNegotiateMessage("", "")
			if err != nil {
				t.Fatal(err)
			}
			negB64 := base64.StdEncoding.EncodeToString(neg)
			if tt.initial {
				c.send("AUTH NTLM " + negB64)
			} else {
				c.send("AUTH NTLM")
				line, err := c.tp.ReadLine()
				if err != nil {
					t.Fatal(err)
				}
				if line != tt.wantFirst {
					t.Fatalf("first reply %q, want %q", line, tt.wantFirst)
				}
				c.send(negB64)
			}
			line, err := c.tp.ReadLine()
			if err != nil {
				t.Fatal(err)
			}
			b64Challenge, ok := strings.CutPrefix(line, "334 ")
			if !ok {
				t.Fatalf("reply to NEGOTIATE %q, want a 334 challenge", line)
			}
			auth, err := ntlmssp.NewAuthenticateMessage(decode(t, b64Challenge), "alice", alicePassword, nil)
			if err != nil {
				t.Fatal(err)
			}
			c.expect(base64.StdEncoding.EncodeToString(auth), 235)
			s.Close()
			want := []string{"<connect>", "EHLO client.test", "AUTH NTLM", "<redacted>", "<redacted>", "<close>"}
			if tt.initial {
				want = []string{"<connect>", "EHLO client.test", "AUTH NTLM <redacted>", "<redacted>", "<close>"}
			}
			if got := s.Transcript(); !slices.Equal(got, want) {
				t.Errorf("Transcript() = %q, want %q", got, want)
			}
		})
	}
}

func TestXOAUTH2(t *testing.T) {
	tests := []struct {
		name  string
		token string
		want  int
	}{
		{"right token", aliceToken, 235},
		{"wrong token", "ya29.expired", 535},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t, smtptest.Options{TLS: smtptest.Implicit, Tokens: map[string]string{"alice": aliceToken}})
			conn, err := tls.Dial("tcp", s.Addr(), s.TLSConfig())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			c := &rawClient{t: t, conn: conn, tp: textproto.NewConn(conn)}
			c.expect("", 220)
			c.expect("EHLO client.test", 250)
			code, msg := c.cmd("AUTH XOAUTH2 " + b64("user=alice\x01auth=Bearer "+tt.token+"\x01\x01"))
			if tt.want == 535 {
				if code != 334 {
					t.Fatalf("reply = %d %s, want a 334 JSON error", code, msg)
				}
				if js := string(decode(t, msg)); !strings.Contains(js, `"status":"401"`) {
					t.Errorf("error challenge %s", js)
				}
				c.send("") // the client's answer to the error challenge
				code, msg = c.cmd("")
			}
			if code != tt.want {
				t.Fatalf("reply = %d %s, want %d", code, msg, tt.want)
			}
			want := []smtptest.AuthAttempt{{Mechanism: "XOAUTH2", User: "alice", OK: tt.want == 235}}
			if got := s.AuthAttempts(); !slices.Equal(got, want) {
				t.Errorf("AuthAttempts() = %+v, want %+v", got, want)
			}
		})
	}
}

func TestUnknownMechanism(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.Options{Users: users(), Mechanisms: []string{"GSSAPI", "login"}})
	c := dialRaw(t, s)
	c.expect("", 220)
	if ehlo := c.expect("EHLO client.test", 250); !strings.Contains(ehlo, "\nAUTH GSSAPI LOGIN\n") {
		t.Errorf("EHLO:\n%s", ehlo)
	}
	c.expect("AUTH GSSAPI", 504)
	c.expect("AUTH PLAIN "+b64("\x00alice\x00"+alicePassword), 504)
	c.expect("AUTH LOGIN", 334)
}

// session drives a raw session up to a stage. Each step's command gets the
// stage's reply; Greeting has no command.
var session = []struct {
	stage smtptest.Stage
	cmd   string
	want  int
}{
	{smtptest.Greeting, "", 220},
	{smtptest.Ehlo, "EHLO client.test", 250},
	{smtptest.StageStartTLS, "STARTTLS", 220},
	{smtptest.Auth, "AUTH PLAIN " + b64("\x00alice\x00"+alicePassword), 235},
	{smtptest.Mail, "MAIL FROM:<sender@example.test>", 250},
	{smtptest.Rcpt, "RCPT TO:<rcpt@example.test>", 250},
	{smtptest.Data, "DATA", 354},
	{smtptest.DataEnd, "Subject: x\r\n\r\nbody\r\n.", 250},
}

func TestFaults(t *testing.T) {
	type outcome int
	const (
		reply   outcome = iota // the fault's reply, then the session goes on
		closing                // the fault's reply, then the connection closes
		dropped                // the connection closes without a reply
		stalled                // no reply until the client gives up
	)
	tests := []struct {
		fault smtptest.Fault
		want  outcome
	}{
		{smtptest.Fault{Stage: smtptest.Greeting, Code: 554, Message: "No SMTP service here"}, closing},
		{smtptest.Fault{Stage: smtptest.Greeting, Drop: true}, dropped},
		{smtptest.Fault{Stage: smtptest.Greeting, Stall: true}, stalled},
		{smtptest.Fault{Stage: smtptest.Ehlo, Code: 550}, reply},
		{smtptest.Fault{Stage: smtptest.Ehlo, Code: 421, Enhanced: "4.3.2"}, closing},
		{smtptest.Fault{Stage: smtptest.Ehlo, Drop: true}, dropped},
		{smtptest.Fault{Stage: smtptest.Ehlo, Stall: true}, stalled},
		{smtptest.Fault{Stage: smtptest.StageStartTLS, Code: 454, Enhanced: "4.7.0"}, reply},
		{smtptest.Fault{Stage: smtptest.StageStartTLS, Drop: true}, dropped},
		{smtptest.Fault{Stage: smtptest.StageStartTLS, Stall: true}, stalled},
		{smtptest.Fault{Stage: smtptest.Auth, Code: 454, Enhanced: "4.7.0", Message: "Temporary authentication failure"}, reply},
		{smtptest.Fault{Stage: smtptest.Auth, Drop: true}, dropped},
		{smtptest.Fault{Stage: smtptest.Auth, Stall: true}, stalled},
		{smtptest.Fault{Stage: smtptest.Mail, Code: 451}, reply},
		{smtptest.Fault{Stage: smtptest.Mail, Code: 421}, closing},
		{smtptest.Fault{Stage: smtptest.Mail, Drop: true}, dropped},
		{smtptest.Fault{Stage: smtptest.Mail, Stall: true}, stalled},
		{smtptest.Fault{Stage: smtptest.Rcpt, Code: 550, Enhanced: "5.7.1", Message: "Relaying denied"}, reply},
		{smtptest.Fault{Stage: smtptest.Rcpt, Drop: true}, dropped},
		{smtptest.Fault{Stage: smtptest.Rcpt, Stall: true}, stalled},
		{smtptest.Fault{Stage: smtptest.Data, Code: 554}, reply},
		{smtptest.Fault{Stage: smtptest.Data, Drop: true}, dropped},
		{smtptest.Fault{Stage: smtptest.Data, Stall: true}, stalled},
		{smtptest.Fault{Stage: smtptest.DataEnd, Code: 552, Enhanced: "5.3.4", Message: "Message too big"}, reply},
		{smtptest.Fault{Stage: smtptest.DataEnd, Code: 451}, reply},
		{smtptest.Fault{Stage: smtptest.DataEnd, Code: 421}, closing},
		{smtptest.Fault{Stage: smtptest.DataEnd, Drop: true}, dropped},
		{smtptest.Fault{Stage: smtptest.DataEnd, Stall: true}, stalled},
	}
	for _, tt := range tests {
		f := tt.fault
		name := f.Stage.String() + "/" + map[bool]string{true: "Drop", false: "Stall"}[f.Drop]
		if f.Code != 0 {
			name = f.Stage.String() + "/" + strconv.Itoa(f.Code)
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := smtptest.Options{Users: users(), Faults: []smtptest.Fault{f}}
			if f.Stage == smtptest.StageStartTLS {
				opts.TLS = smtptest.StartTLS
				opts.AllowInsecureAuth = true
			}
			s := smtptest.NewServer(t, opts)
			c := dialRaw(t, s)
			for _, step := range session {
				if step.stage == smtptest.StageStartTLS && opts.TLS != smtptest.StartTLS {
					continue
				}
				if step.stage != f.Stage {
					c.expect(step.cmd, step.want)
					continue
				}
				if step.cmd != "" {
					c.send(step.cmd)
				}
				if tt.want == stalled {
					_ = c.conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
				}
				code, msg, err := c.reply()
				switch tt.want {
				case reply, closing:
					if err != nil {
						t.Fatalf("reply: %v", err)
					}
					if code != f.Code {
						t.Fatalf("reply = %d %s, want %d", code, msg, f.Code)
					}
					if f.Enhanced != "" && !strings.HasPrefix(msg, f.Enhanced+" ") {
						t.Errorf("reply %q lacks enhanced code %s", msg, f.Enhanced)
					}
					if f.Message != "" && !strings.HasSuffix(msg, f.Message) {
						t.Errorf("reply %q lacks message %q", msg, f.Message)
					}
					if tt.want == reply {
						c.expect("NOOP", 250)
					} else if code, msg, err := c.reply(); err == nil {
						t.Errorf("after %d: got %d %s, want the connection closed", f.Code, code, msg)
					}
				case dropped:
					if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
						t.Fatalf("got %d %s (%v), want the connection dropped", code, msg, err)
					}
				case stalled:
					if !errors.Is(err, os.ErrDeadlineExceeded) {
						t.Fatalf("got %d %s (%v), want a timeout", code, msg, err)
					}
				}
				break
			}
			c.conn.Close()
			s.Close()
			if got := s.Messages(); len(got) != 0 {
				t.Errorf("Messages() = %+v after a %v fault, want none", got, f.Stage)
			}
		})
	}
}

func TestFaultTimes(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.Options{Faults: []smtptest.Fault{{Stage: smtptest.Mail, Code: 451, Times: 1}}})
	c := dialRaw(t, s)
	c.expect("", 220)
	c.expect("EHLO client.test", 250)
	c.expect("MAIL FROM:<a@example.test>", 451)
	c.expect("MAIL FROM:<a@example.test>", 250)
}

func TestRejectRcpt(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.Options{RejectRcpt: map[string]int{
		"nobody@example.test": 550,
		"later@example.test":  451,
	}})
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("sender@example.test", nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		rcpt string
		code int
	}{
		{"ok@example.test", 0},
		{"Nobody@Example.test", 550},
		{"later@example.test", 451},
	} {
		err := c.Rcpt(tt.rcpt, nil)
		var se *smtp.SMTPError
		switch {
		case tt.code == 0 && err != nil:
			t.Errorf("RCPT %s: %v", tt.rcpt, err)
		case tt.code != 0 && (!errors.As(err, &se) || se.Code != tt.code):
			t.Errorf("RCPT %s: %v, want code %d", tt.rcpt, err, tt.code)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(w, "Subject: x\r\n\r\nbody\r\n")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages()
	if len(msgs) != 1 || !slices.Equal(msgs[0].To, []string{"ok@example.test"}) || msgs[0].TLS || msgs[0].User != "" {
		t.Errorf("Messages() = %+v", msgs)
	}
}

func TestImplicitTLS(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.Options{TLS: smtptest.Implicit, Users: users()})
	t.Run("trusted", func(t *testing.T) {
		for _, cfg := range []*tls.Config{
			s.TLSConfig(),
			{RootCAs: s.CertPool()}, // verifies the 127.0.0.1 IP SAN
			{RootCAs: s.CertPool(), ServerName: "localhost"},
		} {
			c, err := smtp.DialTLS(s.Addr(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Auth(sasl.NewPlainClient("", "alice", alicePassword)); err != nil {
				t.Fatal(err)
			}
			if err := c.SendMail("a@example.test", []string{"b@example.test"}, strings.NewReader("x\r\n")); err != nil {
				t.Fatal(err)
			}
			if err := c.Quit(); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range s.Messages() {
			if !m.TLS || m.User != "alice" {
				t.Errorf("message %+v", m)
			}
		}
	})
	t.Run("untrusted", func(t *testing.T) {
		for _, cfg := range []*tls.Config{
			{ServerName: "mx.test.local"},                             // system roots
			{RootCAs: s.CertPool(), ServerName: "other.example.test"}, // wrong name
		} {
			conn, err := tls.Dial("tcp", s.Addr(), cfg)
			if err == nil {
				conn.Close()
				t.Errorf("%+v: handshake succeeded", cfg)
			}
		}
	})
	t.Run("CertPEM", func(t *testing.T) {
		block, _ := pem.Decode(s.CertPEM())
		if block == nil || block.Type != "CERTIFICATE" {
			t.Fatalf("CertPEM() = %q", s.CertPEM())
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if k, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || k.Curve != elliptic.P256() {
			t.Errorf("key %T", cert.PublicKey)
		}
		var ips []string
		for _, ip := range cert.IPAddresses {
			ips = append(ips, ip.String())
		}
		if !slices.Equal(ips, []string{"127.0.0.1", "::1"}) || !slices.Equal(cert.DNSNames, []string{"localhost", "mx.test.local"}) {
			t.Errorf("SANs %v %v", ips, cert.DNSNames)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(s.CertPEM())
		conn, err := tls.Dial("tcp", s.Addr(), &tls.Config{RootCAs: pool, ServerName: "mx.test.local"})
		if err != nil {
			t.Fatal(err)
		}
		conn.Close()
	})
	if got, want := fmt.Sprintf("%s:%d", s.Host(), s.Port()), s.Addr(); got != want {
		t.Errorf("Host:Port = %s, want %s", got, want)
	}
}

func TestTranscriptRedacted(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.Options{
		TLS:    smtptest.StartTLS,
		Users:  map[string]string{"alice": alicePassword, `CORP\bob`: "b0b-pw"},
		Tokens: map[string]string{"alice": aliceToken},
	})
	var secrets []string // every line that carried a credential
	c := dialRaw(t, s)
	c.expect("", 220)
	c.expect("EHLO client.test", 250)
	c.startTLS(s.TLSConfig())
	c.expect("EHLO client.test", 250)

	plain := b64("\x00alice\x00wrong")
	c.expect("AUTH PLAIN "+plain, 535)
	secrets = append(secrets, plain)

	c.expect("AUTH LOGIN", 334)
	c.expect(b64("alice"), 334)
	c.expect(b64("wrong"), 535)
	secrets = append(secrets, b64("alice"), b64("wrong"))

	oauth := b64("user=alice\x01auth=Bearer " + aliceToken + "x\x01\x01")
	c.expect("AUTH XOAUTH2 "+oauth, 334)
	c.send("")
	c.expect("", 535)
	secrets = append(secrets, oauth)

	neg, _ := ntlmssp.NewNegotiateMessage("", "")
	ch := decode(t, c.expect("AUTH NTLM "+base64.StdEncoding.EncodeToString(neg), 334))
	auth, err := ntlmssp.NewAuthenticateMessage(ch, `CORP\bob`, "b0b-pw", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.expect(base64.StdEncoding.EncodeToString(auth), 235)
	secrets = append(secrets, base64.StdEncoding.EncodeToString(neg), base64.StdEncoding.EncodeToString(auth))

	c.expect("MAIL FROM:<bob@corp.example>", 250)
	c.expect("RCPT TO:<alice@example.test>", 250)
	c.expect("DATA", 354)
	c.expect("Subject: secret body "+alicePassword+"\r\n\r\n.", 250)
	c.expect("QUIT", 221)
	s.Close()

	want := []string{
		"<connect>",
		"EHLO client.test",
		"STARTTLS",
		"<tls>",
		"EHLO client.test",
		"AUTH PLAIN <redacted>",
		"AUTH LOGIN",
		"<redacted>",
		"<redacted>",
		"AUTH XOAUTH2 <redacted>",
		"<redacted>",
		"AUTH NTLM <redacted>",
		"<redacted>",
		"MAIL FROM:<bob@corp.example>",
		"RCPT TO:<alice@example.test>",
		"DATA",
		"QUIT",
		"<close>",
	}
	got := s.Transcript()
	if !slices.Equal(got, want) {
		t.Errorf("Transcript() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	all := strings.Join(got, "\n")
	for _, secret := range append(secrets, alicePassword, aliceToken, "b0b-pw") {
		if strings.Contains(all, secret) {
			t.Errorf("transcript contains %q", secret)
		}
	}
	msgs := s.Messages()
	if len(msgs) != 1 || msgs[0].User != `CORP\bob` || !msgs[0].TLS {
		t.Errorf("Messages() = %+v", msgs)
	}
	wantAttempts := []smtptest.AuthAttempt{
		{Mechanism: "PLAIN", User: "alice"},
		{Mechanism: "LOGIN", User: "alice"},
		{Mechanism: "XOAUTH2", User: "alice"},
		{Mechanism: "NTLM", User: `CORP\bob`, OK: true},
	}
	if got := s.AuthAttempts(); !slices.Equal(got, wantAttempts) {
		t.Errorf("AuthAttempts() = %+v, want %+v", got, wantAttempts)
	}
}

// TestMessagesAfterFinalReply checks that a message appears only once the
// final 250 is sent: not while the server stalls after the final dot.
func TestMessagesAfterFinalReply(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.Options{Faults: []smtptest.Fault{{Stage: smtptest.DataEnd, Stall: true, Times: 1}}})
	send := func(wantStall bool) {
		c := dialRaw(t, s)
		defer c.conn.Close()
		for _, step := range session {
			switch step.stage {
			case smtptest.StageStartTLS, smtptest.Auth:
				continue
			case smtptest.DataEnd:
				c.send(step.cmd)
				if wantStall {
					_ = c.conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
					if _, _, err := c.reply(); !errors.Is(err, os.ErrDeadlineExceeded) {
						t.Fatalf("reply after the final dot: %v, want a timeout", err)
					}
					if got := s.Messages(); len(got) != 0 {
						t.Fatalf("Messages() = %+v before the final reply", got)
					}
					return
				}
				c.expect("", 250)
			default:
				c.expect(step.cmd, step.want)
			}
		}
	}
	send(true)
	send(false)
	if got := s.Messages(); len(got) != 1 || string(got[0].Data) != "Subject: x\r\n\r\nbody\r\n" {
		t.Errorf("Messages() = %+v", got)
	}
}

func TestBDAT(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.Options{})
	c := dialRaw(t, s)
	c.expect("", 220)
	c.expect("EHLO client.test", 250)
	c.expect("MAIL FROM:<a@example.test>", 250)
	c.expect("RCPT TO:<b@example.test>", 250)
	w := bufio.NewWriter(c.conn)
	fmt.Fprintf(w, "BDAT 7\r\nAUTH x\n")
	_ = w.Flush()
	c.expect("", 250)
	fmt.Fprintf(w, "BDAT 4 LAST\r\nQUIT")
	_ = w.Flush()
	c.expect("", 250)
	c.expect("QUIT", 221)
	s.Close()
	if got := s.Messages(); len(got) != 1 || string(got[0].Data) != "AUTH x\nQUIT" {
		t.Errorf("Messages() = %+v", got)
	}
	want := []string{"<connect>", "EHLO client.test", "MAIL FROM:<a@example.test>", "RCPT TO:<b@example.test>", "BDAT 7", "BDAT 4 LAST", "QUIT", "<close>"}
	if got := s.Transcript(); !slices.Equal(got, want) {
		t.Errorf("Transcript() = %q, want %q", got, want)
	}
}

// TestCloseInterruptsStall checks that Close ends stalled connections and
// returns (a stall would hold it for ever; how fast is not measured).
func TestCloseInterruptsStall(t *testing.T) {
	for _, stage := range []smtptest.Stage{smtptest.Greeting, smtptest.Mail, smtptest.DataEnd} {
		t.Run(stage.String(), func(t *testing.T) {
			s := smtptest.NewServer(t, smtptest.Options{Faults: []smtptest.Fault{{Stage: stage, Stall: true}}})
			c := dialRaw(t, s)
			for _, step := range session {
				if step.stage == stage {
					if step.cmd != "" {
						c.send(step.cmd)
					}
					break
				}
				if step.stage != smtptest.StageStartTLS && step.stage != smtptest.Auth {
					c.expect(step.cmd, step.want)
				}
			}
			select {
			case <-s.Stalled():
			case <-time.After(10 * time.Second):
				t.Fatal("the server did not reach its stall in 10 s")
			}
			closed := make(chan struct{})
			go func() { s.Close(); close(closed) }()
			select {
			case <-closed:
			case <-time.After(10 * time.Second): // a stall holds Close for ever
				t.Fatal("Close still waiting after 10 s")
			}
			if _, err := c.tp.ReadLine(); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
				t.Errorf("read after Close: %v, want the connection closed", err)
			}
		})
	}
}

func TestInvalidOptions(t *testing.T) {
	tests := []struct {
		name string
		opts smtptest.Options
	}{
		{"stage zero", smtptest.Options{Faults: []smtptest.Fault{{Code: 451}}}},
		{"two actions", smtptest.Options{Faults: []smtptest.Fault{{Stage: smtptest.Mail, Code: 451, Drop: true}}}},
		{"bad enhanced", smtptest.Options{Faults: []smtptest.Fault{{Stage: smtptest.Mail, Code: 451, Enhanced: "5.1"}}}},
		{"enhanced class", smtptest.Options{Faults: []smtptest.Fault{{Stage: smtptest.Mail, Code: 451, Enhanced: "5.1.1"}}}},
		{"bad rcpt code", smtptest.Options{RejectRcpt: map[string]int{"a@b": 250}}},
		{"bad mechanism", smtptest.Options{Mechanisms: []string{"PLAIN LOGIN"}}},
		{"bad TLS mode", smtptest.Options{TLS: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := &fatalTB{TB: t}
			done := make(chan struct{})
			go func() { // Fatalf ends the goroutine, as it would a test
				defer close(done)
				smtptest.NewServer(ft, tt.opts)
			}()
			<-done
			if !ft.failed {
				t.Error("NewServer accepted invalid options")
			}
		})
	}
}

// fatalTB records Fatalf instead of failing the test.
type fatalTB struct {
	testing.TB
	failed bool
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.failed = true
	f.TB.Logf("Fatalf: "+format, args...)
	runtime.Goexit()
}
