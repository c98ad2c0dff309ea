package smtptest

import (
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
// Code, Drop and Stall should be set; a Fault with none has no effect.
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
	Stall bool
	// Times limits the fault to its first Times uses, across connections;
	// 0 means every time. With Times 1, a client's retry succeeds.
	Times int
}

func (f Fault) active() bool { return f.Code != 0 || f.Drop || f.Stall }

func (f Fault) validate() error {
	if f.Stage < Greeting || f.Stage > DataEnd {
		return fmt.Errorf("invalid stage %v", f.Stage)
	}
	n := 0
	for _, set := range []bool{f.Code != 0, f.Drop, f.Stall} {
		if set {
			n++
		}
	}
	if n > 1 {
		return errors.New("set only one of Code, Drop and Stall")
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
