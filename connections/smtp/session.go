package smtp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"go.uber.org/zap"
)

// Session is a ready SMTP session: connected, TLS started as configured,
// authenticated. It is not safe for concurrent use.
type Session struct {
	Info Info
	// owner is the manager that keeps the session between Send Mail
	// tasks (RetainSameConnection), with the settings it was made with;
	// broken marks a session that failed and must not be kept.
	owner  *Manager
	cfg    *Config
	broken bool
	// needReset marks a kept session whose RSET is still to be sent (in
	// the next envelope's pipeline).
	needReset bool
	// redialCfg and redialOpts are what Send dials with when the kept
	// session turns out to be gone.
	redialCfg  *Config
	redialOpts Options
	c          *gosmtp.Client
	w          *wire
	d          *dialer
}

// Send delivers one message to every recipient, or to none: a refused
// recipient cancels the transaction (RSET) and fails with a
// *RecipientsError inside an *Error. It returns the server's reply to the
// end of DATA (Postfix: "2.0.0 Ok: queued as …"); the mail counts as sent
// only then. Cancelling ctx closes the connection at once.
func (s *Session) Send(ctx context.Context, from string, to []string, msg io.Reader) (string, error) {
	var reply string
	var err error
	if s.pipelining() && ascii(from, to) {
		var stale bool
		reply, err, stale = s.sendPipelined(ctx, from, to, msg)
		if stale && ctx.Err() == nil {
			// The kept session was gone before the server took anything:
			// a new session sends the mail.
			s.d.log.Debug("kept session gone; dialling again", zap.Error(err))
			if err = s.redial(ctx); err == nil {
				reply, err, _ = s.sendPipelined(ctx, from, to, msg)
			}
		}
	} else {
		if s.needReset {
			if err := s.rset(ctx); err != nil {
				s.broken = true
				return "", s.d.classify(ctx, "rset", err)
			}
			s.needReset = false
		}
		reply, err = s.send(ctx, from, to, msg)
	}
	var re *RecipientsError
	if err != nil && !errors.As(err, &re) {
		s.broken = true // not worth keeping for another mail
	}
	return reply, err
}

func (s *Session) send(ctx context.Context, from string, to []string, msg io.Reader) (string, error) {
	stop := context.AfterFunc(ctx, func() { s.w.Conn.Close() })
	defer stop()
	d := s.d
	if err := s.c.Mail(from, nil); err != nil {
		return "", d.classify(ctx, "mail", err)
	}
	var rejected []Rejection
	temporary := true
	for _, rcpt := range to {
		if err := s.c.Rcpt(rcpt, nil); err != nil {
			var se *gosmtp.SMTPError
			if !errors.As(err, &se) {
				return "", d.classify(ctx, "rcpt", err)
			}
			rejected = append(rejected, Rejection{Address: rcpt, Code: se.Code, Reply: se.Message})
			temporary = temporary && se.Code/100 == 4
		}
	}
	if len(rejected) > 0 {
		_ = s.c.Reset()
		return "", d.refused(rejected, temporary)
	}
	return s.data(ctx, msg)
}

// data sends DATA and the message, and returns the server's reply to its
// end: the mail counts as sent only then. A failure to write the message
// delivered nothing; one after the final dot went out is ErrDeliveryUnknown.
func (s *Session) data(ctx context.Context, msg io.Reader) (string, error) {
	d := s.d
	wc, err := s.c.Data()
	if err != nil {
		return "", d.classify(ctx, "data", err)
	}
	if err := s.copyMessage(ctx, wc, msg); err != nil {
		return "", err
	}
	resp, err := wc.CloseWithResponse() // writes the final dot, reads the reply
	switch {
	case err != nil && s.w.writeErr != nil:
		return "", d.sending(ctx, err)
	case err != nil:
		return "", d.afterBody(ctx, err)
	}
	return resp.StatusText, nil
}

// copyMessage writes the message to w, the writer of the message data,
// all but the final dot. When the message cannot be read, the connection
// is closed before its end, so that the server discards the transaction
// (it takes a message only at the final dot, RFC 5321 §4.1.1.4) and nobody
// gets part of it.
func (s *Session) copyMessage(ctx context.Context, w io.Writer, msg io.Reader) error {
	s.w.writeErr = nil
	_, err := io.Copy(w, msg)
	switch {
	case err == nil:
		return nil
	case s.w.writeErr != nil:
		return s.d.sending(ctx, err)
	}
	s.broken = true
	s.w.deadline = time.Time{} // no QUIT: the connection is gone
	s.w.Conn.Close()
	return fmt.Errorf("smtp: connection manager %q (%s): data: reading the message to send: %w (nothing was sent: the connection was closed before the end of the message)",
		s.d.name, s.d.addr, err)
}

// pipelining reports a server that offered PIPELINING (RFC 2920).
func (s *Session) pipelining() bool {
	ok, _ := s.c.Extension("PIPELINING")
	return ok
}

// ascii reports envelope addresses that need no SMTPUTF8.
func ascii(from string, to []string) bool {
	for _, a := range append([]string{from}, to...) {
		for i := 0; i < len(a); i++ {
			if a[i] >= 0x80 || a[i] < 0x20 {
				return false
			}
		}
	}
	return true
}

// redial replaces a session the server closed with a new one to the same
// server, with the same settings and credentials.
func (s *Session) redial(ctx context.Context) error {
	s.c.Close()
	n, err := Dial(ctx, s.d.name, s.redialCfg, s.redialOpts)
	if err != nil {
		return err
	}
	s.Info, s.c, s.w, s.d, s.needReset = n.Info, n.c, n.w, n.d, false
	return nil
}

// body writes the message after a pipelined DATA, dot-stuffed and ended
// with a line holding a dot, and returns the server's reply to it: the mail
// counts as sent only after that 250. A failure to write delivered nothing;
// one after the dot went out is ErrDeliveryUnknown.
func (s *Session) body(ctx context.Context, msg io.Reader) (string, error) {
	d := s.d
	bw := bufio.NewWriter(s.w) // each write within Timeout
	dw := textproto.NewWriter(bw).DotWriter()
	if err := s.copyMessage(ctx, dw, msg); err != nil {
		return "", err
	}
	if err := dw.Close(); err != nil {
		return "", d.sending(ctx, err)
	}
	r, err := s.roundTrip("", 1)
	if err != nil {
		return "", d.afterBody(ctx, err)
	}
	if r[0].code != 250 {
		return "", d.classify(ctx, "data", r[0].err())
	}
	return r[0].text, nil
}

// abort ends a transaction the server refused part of, with RSET.
func (s *Session) abort(ctx context.Context) {
	if err := s.rset(ctx); err != nil {
		s.broken = true
	}
}

// rset sends RSET on a kept session and reads the 250 itself: go-smtp's
// Reset would make the next command say EHLO again, a round trip per
// mail. It runs between transactions, when go-smtp has nothing buffered.
// An error means the session cannot be used (the server closed it, say).
func (s *Session) rset(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { s.w.Conn.Close() })
	defer stop()
	r, err := s.roundTrip("RSET\r\n", 1)
	if err != nil {
		return err
	}
	if r[0].code != 250 {
		return fmt.Errorf("RSET: %d %s", r[0].code, r[0].text)
	}
	return ctx.Err()
}

// Reset aborts the current transaction (RSET), to reuse the session.
func (s *Session) Reset() error { return s.d.classify(context.Background(), "rset", s.c.Reset()) }

// Close says QUIT and closes the connection; a session of a manager with
// RetainSameConnection=True goes back to its manager instead, for the next
// Send Mail task of the run (Manager.Close ends it).
func (s *Session) Close() error {
	if s.owner != nil && !s.broken && s.owner.keep(s) {
		return nil
	}
	return s.quit()
}

// quit says QUIT and closes the connection. After a failure (broken) the
// QUIT has what is left of the failed command's Timeout, at most quitCap,
// and is not sent when nothing is left (deadline.go).
func (s *Session) quit() error {
	if s.broken {
		left := quitBudget(s.w.deadline, time.Now())
		if left <= 0 {
			s.c.Close()
			return nil
		}
		s.c.CommandTimeout = left
	}
	err := s.c.Quit()
	s.c.Close()
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return s.d.classify(context.Background(), "quit", err)
	}
	return nil
}
