package smtptest

import (
	"errors"
	"io"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// backend makes a session for each connection that says EHLO or HELO.
type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	w, ok := c.Conn().(*wireConn)
	if !ok {
		return nil, errors.New("smtptest: connection not accepted by smtptest")
	}
	return &session{s: b.s, w: w}, nil
}

// session is go-smtp's view of one client session: the envelope being built
// and the authenticated user.
type session struct {
	s    *Server
	w    *wireConn
	user string
	from string
	to   []string
}

var (
	errAuthFailed = &smtp.SMTPError{
		Code:         535,
		EnhancedCode: smtp.EnhancedCode{5, 7, 8},
		Message:      "Authentication credentials invalid",
	}
	errEncryptionRequired = &smtp.SMTPError{
		Code:         538,
		EnhancedCode: smtp.EnhancedCode{5, 7, 11},
		Message:      "Encryption required for requested authentication mechanism",
	}
	// errGone is returned to go-smtp when the connection was dropped; go-smtp
	// fails to write its reply and then reads EOF.
	errGone = errors.New("smtptest: connection dropped")
)

// AuthMechanisms returns the mechanisms to advertise in EHLO: none while
// AUTH is not allowed.
func (ss *session) AuthMechanisms() []string {
	if !ss.s.authAllowed(ss.w) {
		return nil
	}
	return ss.s.mechs
}

// Auth returns the SASL server for mech.
func (ss *session) Auth(mech string) (sasl.Server, error) {
	if !ss.s.authAllowed(ss.w) {
		return nil, errEncryptionRequired
	}
	if !ss.s.offers(mech) {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	a := &authExchange{ss: ss, mech: mech}
	switch mech {
	case mechPlain:
		a.inner = sasl.NewPlainServer(func(identity, user, password string) error {
			a.user = user
			if identity != "" && identity != user {
				return errAuthFailed
			}
			return ss.s.checkPassword(user, password)
		})
	case mechLogin:
		a.inner = &loginServer{a: a}
	case mechXOAuth2:
		a.inner = &xoauth2Server{a: a}
	case mechNTLM:
		a.inner = newNTLMServer(a)
	default:
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return a, nil
}

// Mail starts a new envelope.
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	ss.to = nil
	return nil
}

// Rcpt adds a recipient unless Options.RejectRcpt rejects it.
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	for addr, code := range ss.s.opts.RejectRcpt {
		if strings.EqualFold(addr, to) {
			ec := smtp.EnhancedCode{code / 100, 0, 0}
			msg := "Recipient address rejected"
			if code == 550 {
				ec = smtp.EnhancedCode{5, 1, 1}
				msg += ": User unknown"
			}
			return &smtp.SMTPError{Code: code, EnhancedCode: ec, Message: "<" + to + ">: " + msg}
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

// Data reads the message and records it, unless a DataEnd fault applies.
func (ss *session) Data(r io.Reader) error {
	if f, ok := ss.s.takeFault(DataEnd); ok {
		switch {
		case f.Drop:
			var part [64]byte
			_, _ = io.ReadAtLeast(r, part[:], 1)
			ss.w.abort()
			return errGone
		case f.Stall:
			_, _ = io.Copy(io.Discard, r)
			ss.w.stall()
			return errGone
		case f.Block:
			ss.w.block()
			return errGone
		case f.Flood > 0:
			if _, err := io.Copy(io.Discard, r); err != nil {
				return err
			}
			ss.w.flood(f)
			return errGone
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			return err
		}
		if f.Code == 421 {
			// go-smtp would keep the connection open after its reply.
			_ = ss.w.writeLine(f.reply())
			_ = ss.w.Close()
			return errGone
		}
		return f.smtpError()
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	// Recorded before go-smtp writes the 250, so that a client that has
	// read the 250 always finds the message.
	ss.s.deliver(Message{
		From: ss.from,
		To:   append([]string(nil), ss.to...),
		Data: data,
		User: ss.user,
		TLS:  ss.w.isTLS(),
	})
	return nil
}

// Reset forgets the envelope.
func (ss *session) Reset() {
	ss.from = ""
	ss.to = nil
}

// Logout does nothing: the connection outlives the session.
func (ss *session) Logout() error { return nil }

var (
	_ smtp.Backend     = backend{}
	_ smtp.AuthSession = (*session)(nil)
)
