package smtp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"syscall"

	gosmtp "github.com/emersion/go-smtp"
)

// Sentinel errors classify every *Error: errors.Is(err, ErrAuth) and so on.
var (
	ErrNotAllowed   = errors.New("server is not in the allowed hosts")
	ErrNoCredential = errors.New("no credential found")
	ErrConnect      = errors.New("cannot connect")
	ErrTimeout      = errors.New("timed out")
	ErrTLSRequired  = errors.New("TLS is required but the server does not offer STARTTLS")
	ErrTLS          = errors.New("TLS handshake failed")
	ErrAuth         = errors.New("authentication failed")
	ErrReply        = errors.New("the server refused")
	ErrUnsupported  = errors.New("not supported")
)

// ErrConnectionLost is the Kind of a connection that failed after it was
// made: the server closed or reset it. (ErrProtocol, limits.go, is another
// Kind.)
var ErrConnectionLost = errors.New("the connection was lost")

// Error is a failure of an SMTP connection manager. It names the manager
// and the server, never a secret, and carries the server's reply when there
// was one.
type Error struct {
	// Kind is one of the sentinel errors above.
	Kind error
	// Manager is the connection manager's name ("" for an ad-hoc connection).
	Manager string
	// Server is the host:port dialled.
	Server string
	// Op is the step that failed: dial, greeting, tls, ehlo, starttls, auth,
	// mail, rcpt, data, rset, quit.
	Op string
	// During says when within Op, if that matters: "while sending the
	// message" (nothing was delivered), "after the message was sent"
	// (delivery unknown: Err matches ErrDeliveryUnknown).
	During string
	// Code and EnhancedCode are the server's reply codes, if it replied.
	Code         int
	EnhancedCode [3]int
	// Reply is the server's reply text, if it replied.
	Reply string
	// Hint says what to do about it, when something can be said.
	Hint string
	Err  error
}

// Error formats the failure for people.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("smtp: ")
	if e.Manager != "" {
		fmt.Fprintf(&b, "connection manager %q ", e.Manager)
	}
	if e.Server != "" {
		fmt.Fprintf(&b, "(%s) ", e.Server)
	}
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	b.WriteString(e.Kind.Error())
	if e.During != "" {
		b.WriteString(" " + e.During)
	}
	if e.Code != 0 && e.Reply != "" {
		fmt.Fprintf(&b, ": %d", e.Code)
		if e.EnhancedCode != ([3]int{}) {
			fmt.Fprintf(&b, " %d.%d.%d", e.EnhancedCode[0], e.EnhancedCode[1], e.EnhancedCode[2])
		}
		b.WriteString(" " + e.Reply)
	} else if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	if e.Code/100 == 4 { // RFC 5321 §4.2.1: 4yz is a transient negative completion
		b.WriteString(" (temporary failure: the server may accept it later)")
	}
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the error's Kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Temporary reports a 4xx reply or a timeout, which a later try may
// overcome.
func (e *Error) Temporary() bool {
	return e.Code/100 == 4 || e.Kind == ErrTimeout
}

// Permanent reports a 5xx reply.
func (e *Error) Permanent() bool { return e.Code/100 == 5 }

// classify turns a failure of step op into an *Error. ctx explains a
// connection closed because the context ended.
func (s *dialer) classify(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	if errors.Is(err, gosmtp.ErrTooLongLine) { // go-smtp's own bound, the same as the wire's
		err = errLineTooLong()
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("smtp: connection manager %q (%s): %s: %w", s.name, s.addr, op, ctxErr)
	}
	e := &Error{Manager: s.name, Server: s.addr, Op: op, Err: err}
	var se *gosmtp.SMTPError
	var pe *ProtocolError
	var tpe textproto.ProtocolError
	var ne net.Error
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var alert tls.AlertError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &se):
		e.Kind, e.Code, e.Reply = ErrReply, se.Code, se.Message
		if se.EnhancedCode != gosmtp.NoEnhancedCode && se.EnhancedCode != gosmtp.EnhancedCodeNotSet {
			e.EnhancedCode = [3]int(se.EnhancedCode)
		}
		if op == "auth" {
			e.Kind = ErrAuth
			if se.Code/100 == 5 {
				e.Hint = "check the user name, domain and password"
			}
		}
	case errors.As(err, &pe), errors.As(err, &tpe):
		e.Kind, e.Hint = ErrProtocol, "the server is broken or hostile; the connection was closed"
	case errors.As(err, &hostErr):
		e.Kind, e.Hint = ErrTLS, "the certificate is for another name; connect by a name it covers, or set TrustServerCertificate=True"
	case errors.As(err, &unknownCA), errors.As(err, &certErr), errors.As(err, &invalid):
		e.Kind, e.Hint = ErrTLS, "the server's certificate is not trusted; add its CA with CAFile=…, or set TrustServerCertificate=True"
	case errors.As(err, &alert), errors.As(err, &recordErr), op == "tls":
		e.Kind = ErrTLS
	case errors.As(err, &ne) && ne.Timeout():
		e.Kind, e.Hint = ErrTimeout, "the server did not answer in time; raise Timeout= (seconds) or check the server"
	case op == "dial":
		e.Kind, e.Hint = ErrConnect, "check SmtpServer and the port, and that the server is running"
	case lost(err):
		e.Kind, e.Hint = ErrConnectionLost, "the server closed the connection"
	case op == "auth":
		e.Kind = ErrAuth
	default: // go-smtp refusing to send what it cannot (a line break in an address, no SMTPUTF8)
		e.Kind = ErrUnsupported
	}
	return e
}

// lost reports an error of a connection that the server closed or reset,
// or that failed under the client.
func lost(err error) bool {
	var oe *net.OpError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.As(err, &oe)
}

// sending classifies a failure to write the message after DATA was
// accepted: the final dot never went, so nothing was delivered (a server
// takes a message only at its end, RFC 5321 §4.1.1.4).
func (s *dialer) sending(ctx context.Context, err error) error {
	err = s.classify(ctx, "data", err)
	var e *Error
	if errors.As(err, &e) && (e.Kind == ErrConnectionLost || e.Kind == ErrTimeout) {
		e.During = "while sending the message"
		e.Hint = "the message did not reach its end, so the server delivered nothing; a later try may succeed"
		if e.Kind == ErrTimeout {
			e.Hint = "the server stopped taking the message for Timeout seconds, so it delivered nothing; raise Timeout= (seconds) or check the server"
		}
	}
	return err
}

// afterBody classifies a failure to read the reply to the final dot: the
// message was sent, and the server may have delivered it (RFC 1047), so the
// error matches ErrDeliveryUnknown. A reply, even a refusal, is no doubt.
func (s *dialer) afterBody(ctx context.Context, err error) error {
	var se *gosmtp.SMTPError
	if errors.As(err, &se) {
		return s.classify(ctx, "data", err)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("smtp: connection manager %q (%s): data: after the message was sent: %w: %w", s.name, s.addr, ErrDeliveryUnknown, ctxErr)
	}
	err = s.classify(ctx, "data", err)
	var e *Error
	if errors.As(err, &e) {
		e.During = "after the message was sent"
		e.Err = &deliveryUnknown{cause: e.Err}
		e.Hint = "check the recipients' mailboxes before sending it again: a retry may deliver it twice"
	}
	return err
}

// deliveryUnknown is the cause of a failure after the message was sent.
type deliveryUnknown struct{ cause error }

func (e *deliveryUnknown) Error() string {
	return ErrDeliveryUnknown.Error() + " (" + e.cause.Error() + ")"
}

func (e *deliveryUnknown) Unwrap() []error { return []error{ErrDeliveryUnknown, e.cause} }

// Rejection is a recipient the server refused.
type Rejection struct {
	Address string
	Code    int
	Reply   string
}

// RecipientsError lists the recipients the server refused; the mail was not
// sent to anyone.
type RecipientsError struct {
	Rejected []Rejection
}

func (e *RecipientsError) Error() string {
	parts := make([]string, len(e.Rejected))
	for i, r := range e.Rejected {
		parts[i] = fmt.Sprintf("<%s>: %d %s", r.Address, r.Code, r.Reply)
	}
	return "recipients refused: " + strings.Join(parts, "; ")
}

// refused is the error for refused recipients: no mail was sent.
func (d *dialer) refused(rejected []Rejection, temporary bool) error {
	code := rejected[0].Code // all 4xx: a later try may succeed
	for _, r := range rejected {
		if !temporary && r.Code/100 == 5 {
			code = r.Code
			break
		}
	}
	hint := "no mail was sent; correct or remove the refused recipients"
	if temporary {
		hint = "no mail was sent; run the package again later"
	}
	return &Error{Kind: ErrReply, Manager: d.name, Server: d.addr, Op: "rcpt", Code: code,
		Err: &RecipientsError{Rejected: rejected}, Hint: hint}
}
