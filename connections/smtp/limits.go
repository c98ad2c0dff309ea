package smtp

import (
	"errors"
	"fmt"
	"io"
)

// Bounds on what the client reads from a server, so that a broken or
// hostile server cannot make it buffer without end. Every reply, on every
// path (greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, pipelined
// replies, RSET, QUIT), is read through a reader that enforces them; over
// a bound the session fails with a *ProtocolError.
const (
	// MaxReplyLine is the longest reply line accepted, in octets with its
	// CRLF. RFC 5321 §4.5.3.1.5 allows 512; go-smtp, which reads most
	// replies, accepts 2000 (twice the text line of §4.5.3.1.6), and the
	// same bound holds on the paths the client reads itself.
	MaxReplyLine = 2000
	// MaxReplyLines is the most lines a multi-line reply may have. A real
	// EHLO reply has a few dozen.
	MaxReplyLines = 1000
	// MaxReplyBytes is the most octets a reply may have, all its lines
	// together: 32 lines of RFC 5321's longest. A real EHLO reply is under
	// 1 KiB.
	MaxReplyBytes = 16 << 10
	// MaxAuthChallenges is the most 334 challenges one AUTH exchange may
	// have; the mechanisms dtsx speaks need at most three (GSSAPI).
	MaxAuthChallenges = 10
)

// ErrProtocol is the Kind of an *Error whose server broke the protocol:
// a reply over a bound, a malformed reply, an AUTH exchange that never
// ends. errors.As finds the *ProtocolError.
var ErrProtocol = errors.New("the server broke the SMTP protocol")

// ProtocolError says how the server broke the protocol: which bound it
// went over, or what was malformed.
type ProtocolError struct {
	// Limit is the bound exceeded (MaxReplyLine, ...), or 0.
	Limit int
	// Msg says what happened, for people; it quotes nothing the server sent.
	Msg string
}

// Error returns the message.
func (e *ProtocolError) Error() string { return e.Msg }

// Is makes errors.Is(err, ErrProtocol) true.
func (e *ProtocolError) Is(target error) bool { return target == ErrProtocol }

func errLineTooLong() error {
	return &ProtocolError{Limit: MaxReplyLine, Msg: fmt.Sprintf("server reply line exceeds %d bytes", MaxReplyLine)}
}

func errTooManyLines() error {
	return &ProtocolError{Limit: MaxReplyLines, Msg: fmt.Sprintf("server reply has too many lines (more than %d)", MaxReplyLines)}
}

func errReplyTooLong() error {
	return &ProtocolError{Limit: MaxReplyBytes, Msg: fmt.Sprintf("server reply exceeds %d bytes", MaxReplyBytes)}
}

func errMalformed() error {
	return &ProtocolError{Msg: "malformed server reply (a line does not start with a 3-digit code)"}
}

// replyBound follows the replies in the bytes read from a server and
// fails at the first octet over a bound. A reply ends, as net/textproto
// reads it, at a line that has the code of the reply's first line and a
// space after it; the first line ends it unless a '-' follows the code.
type replyBound struct {
	lineHead [4]byte // the first octets of the current line
	lineLen  int     // octets of the current line so far
	lines    int     // complete lines of the current reply
	size     int     // octets of the current reply so far
	code     [3]byte // the code of the reply's first line
	hasCode  bool    // the reply's first line is complete
	err      error
}

// scan checks p, the next bytes read. It returns how many of them are
// within the bounds: all of them, or fewer with the error.
func (b *replyBound) scan(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	for i, c := range p {
		if b.lineLen < len(b.lineHead) {
			b.lineHead[b.lineLen] = c
		}
		b.lineLen++
		b.size++
		switch {
		case b.lineLen > MaxReplyLine:
			b.err = errLineTooLong()
		case b.size > MaxReplyBytes:
			b.err = errReplyTooLong()
		}
		if b.err != nil {
			return i, b.err
		}
		if c != '\n' {
			continue
		}
		if b.lines++; b.lines > MaxReplyLines {
			b.err = errTooManyLines()
			return i, b.err
		}
		b.endLine()
	}
	return len(p), nil
}

// endLine notes a complete line, counted already: the end of the reply or
// not.
func (b *replyBound) endLine() {
	head, n := b.lineHead, b.lineLen
	b.lineLen = 0
	last := false
	switch {
	case !b.hasCode:
		last = n < 5 || head[3] != '-' // "250-" + at least '\n'
		b.code, b.hasCode = [3]byte(head[:3]), true
	default:
		last = n >= 5 && [3]byte(head[:3]) == b.code && head[3] == ' '
	}
	if last {
		b.lines, b.size, b.hasCode = 0, 0, false
	}
}

// read reads from r into p and checks what it read.
func (b *replyBound) read(r io.Reader, p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := r.Read(p)
	if k, berr := b.scan(p[:n]); berr != nil {
		return k, berr
	}
	return n, err
}

// boundedReader reads a server's replies through a replyBound.
type boundedReader struct {
	r     io.Reader
	bound replyBound
}

func (r *boundedReader) Read(p []byte) (int, error) { return r.bound.read(r.r, p) }
