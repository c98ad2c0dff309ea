package smtptest

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/emersion/go-smtp"
)

// Stage is a point of an SMTP session where a Fault can be injected.
type Stage int

const (
	// Greeting is the server's first reply, 220 normally.
	Greeting Stage = iota + 1
	// Ehlo is the reply to EHLO or HELO.
	Ehlo
	// StageStartTLS is the reply to STARTTLS. (The name StartTLS belongs
	// to the TLSMode.)
	StageStartTLS
	// Auth is the first reply to AUTH (before any 334 challenge).
	Auth
	// Mail is the reply to MAIL FROM.
	Mail
	// Rcpt is the reply to RCPT TO.
	Rcpt
	// Data is the reply to the DATA command, 354 normally.
	Data
	// DataEnd is the reply after the final dot of the message data.
	DataEnd
)

// String returns the name of the stage's constant.
func (st Stage) String() string {
	switch st {
	case Greeting:
		return "Greeting"
	case Ehlo:
		return "Ehlo"
	case StageStartTLS:
		return "StageStartTLS"
	case Auth:
		return "Auth"
	case Mail:
		return "Mail"
	case Rcpt:
		return "Rcpt"
	case Data:
		return "Data"
	case DataEnd:
		return "DataEnd"
	}
	return "Stage(" + strconv.Itoa(int(st)) + ")"
}

// Fault replaces the server's normal behaviour at one Stage. Exactly one of
// Code, Drop, Stall, Block, Flood and Challenge should be set; a Fault with
// none has no effect.
//
// After a Code reply the command has no effect and the session goes on,
// except that the server closes the connection after a Greeting fault and
// after any 421 reply (RFC 5321 §3.8).
type Fault struct {
	// Stage is where the fault applies.
	Stage Stage
	// Code is the reply code to send instead of the normal one, such as
	// 421, 451, 550 or 554; 0 means no reply fault.
	Code int
	// Enhanced is the enhanced status code (RFC 3463) such as "5.7.1". When
	// empty the reply carries "X.0.0", X being the class of Code, except at
	// the Greeting stage, which carries none.
	Enhanced string
	// Message is the text of the reply; a generic text when empty.
	Message string
	// Drop closes the connection instead of replying. At DataEnd the server
	// first reads part of the message data ("drop mid-DATA").
	Drop bool
	// Stall never replies: the server reads and discards what the client
	// sends until the client closes the connection or the server is closed.
	// At DataEnd the server reads the whole message first.
	Stall bool
	// Block neither replies nor reads: once the socket buffers are full
	// the client's writes block, until the client closes the connection or
	// the server is closed. At DataEnd the server stops reading as soon as
	// the message data starts, so a large message never gets through.
	Block bool
	// Flood, when above 0, sends instead of the reply that many bytes of
	// continuation lines of the stage's normal reply code ("220-" at
	// Greeting and StageStartTLS, "250-" at Ehlo, Mail, Rcpt and DataEnd,
	// "334-" at Auth, "354-" at Data), made as they are written, then
	// closes the connection: a hostile server's endless reply. The server
	// holds no more than one buffer of it.
	Flood int64
	// FloodLine is the length of each flood line with its CRLF, 72 when 0
	// and at least 6 otherwise; a negative FloodLine sends the whole flood
	// as one line that never ends.
	FloodLine int
	// Challenge, at the Auth stage only, answers AUTH and every line the
	// client sends after it with another 334 challenge whose text is
	// Message ("" sends "334 ", an empty challenge), never with a verdict.
	// A client's "*" gets 501 and ends the exchange (RFC 4954 §4).
	Challenge bool
	// Times limits the fault to its first Times uses, across connections;
	// 0 means every time. With Times 1, a client's retry succeeds.
	Times int
}

func (f Fault) active() bool {
	return f.Code != 0 || f.Drop || f.Stall || f.Block || f.Flood > 0 || f.Challenge
}

func (f Fault) validate() error {
	if f.Stage < Greeting || f.Stage > DataEnd {
		return fmt.Errorf("invalid stage %v", f.Stage)
	}
	n := 0
	for _, set := range []bool{f.Code != 0, f.Drop, f.Stall, f.Block, f.Flood > 0, f.Challenge} {
		if set {
			n++
		}
	}
	if n > 1 {
		return errors.New("set only one of Code, Drop, Stall, Block, Flood and Challenge")
	}
	if f.Flood < 0 {
		return fmt.Errorf("negative Flood %d", f.Flood)
	}
	if f.FloodLine > 0 && f.FloodLine < 6 {
		return fmt.Errorf("FloodLine %d is shorter than a reply line (6 octets: code, dash, CRLF)", f.FloodLine)
	}
	if f.Challenge && f.Stage != Auth {
		return fmt.Errorf("Challenge applies only at the Auth stage, not %v", f.Stage)
	}
	if f.Code != 0 && (f.Code < 200 || f.Code > 599) {
		return fmt.Errorf("invalid reply code %d", f.Code)
	}
	if f.Times < 0 {
		return fmt.Errorf("negative Times %d", f.Times)
	}
	if strings.ContainsAny(f.Message, "\r\n") {
		return errors.New("Message must be a single line")
	}
	if f.Enhanced != "" {
		ec, err := parseEnhanced(f.Enhanced)
		if err != nil {
			return err
		}
		if f.Code != 0 && ec[0] != f.Code/100 {
			return fmt.Errorf("enhanced code %s does not match reply code %d", f.Enhanced, f.Code)
		}
	}
	return nil
}

// floodCode is the reply code of a Flood at each stage.
var floodCode = map[Stage]int{Greeting: 220, Ehlo: 250, StageStartTLS: 220, Auth: 334, Mail: 250, Rcpt: 250, Data: 354, DataEnd: 250}

// floodLines returns one buffer of whole flood lines, or for a flood that
// is one endless line, the line's start and its filler.
func (f Fault) floodLines() (first, repeat []byte) {
	code := strconv.Itoa(floodCode[f.Stage])
	if f.FloodLine < 0 {
		return []byte(code + "-"), bytes.Repeat([]byte("x"), 32<<10)
	}
	n := f.FloodLine
	if n == 0 {
		n = 72
	}
	line := code + "-" + strings.Repeat("x", n-6) + "\r\n"
	return nil, bytes.Repeat([]byte(line), max(1, (32<<10)/n))
}

// text returns the reply text of the fault.
func (f Fault) text() string {
	if f.Message != "" {
		return f.Message
	}
	switch f.Code {
	case 421:
		return "Service not available, closing transmission channel"
	case 450, 451, 452:
		return "Requested action aborted: try again later"
	case 454:
		return "TLS not available due to temporary reason"
	case 535:
		return "Authentication credentials invalid"
	case 550:
		return "Requested action not taken: mailbox unavailable"
	case 554:
		return "Transaction failed"
	}
	return "Injected fault"
}

// reply returns the reply line of the fault, with its CRLF.
func (f Fault) reply() string {
	enh := f.Enhanced
	if enh == "" && f.Stage != Greeting {
		if class := f.Code / 100; class == 2 || class == 4 || class == 5 {
			enh = fmt.Sprintf("%d.0.0", class)
		}
	}
	if enh == "" {
		return fmt.Sprintf("%d %s\r\n", f.Code, f.text())
	}
	return fmt.Sprintf("%d %s %s\r\n", f.Code, enh, f.text())
}

// smtpError returns the fault as an error for go-smtp to reply with.
func (f Fault) smtpError() *smtp.SMTPError {
	ec := smtp.EnhancedCodeNotSet
	if f.Enhanced != "" {
		ec, _ = parseEnhanced(f.Enhanced) // validated by NewServer
	}
	return &smtp.SMTPError{Code: f.Code, EnhancedCode: ec, Message: f.text()}
}

func parseEnhanced(s string) (smtp.EnhancedCode, error) {
	var ec smtp.EnhancedCode
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return ec, fmt.Errorf("invalid enhanced status code %q", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 999 || (i == 0 && n != 2 && n != 4 && n != 5) {
			return ec, fmt.Errorf("invalid enhanced status code %q", s)
		}
		ec[i] = n
	}
	return ec, nil
}
