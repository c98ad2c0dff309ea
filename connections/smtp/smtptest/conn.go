package smtptest

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// wireConn is the net.Conn go-smtp serves. It sits between the TCP
// connection and go-smtp, terminates TLS, and hands go-smtp the plaintext
// command stream one line per Read, so that it sees every command before
// go-smtp does and every reply go-smtp writes (one line per Write, as
// textproto flushes each line).
//
// Read and Write are called only by go-smtp's goroutine for the connection
// (and the session methods it calls); Close and abort may come from any
// goroutine. The fields under "go-smtp goroutine only" are not locked.
type wireConn struct {
	s   *Server
	raw net.Conn

	mu     sync.Mutex
	cur    net.Conn // raw, or a *tls.Conn over raw
	tls    bool     // handshake complete
	closed bool
	done   chan struct{} // closed with the connection

	// go-smtp goroutine only.
	br       *bufio.Reader // reads cur
	pending  []byte        // rest of the line being handed to go-smtp
	greeted  bool          // the greeting was written (or replaced)
	inData   bool          // between the 354 reply and the final dot
	bdatLeft int64         // bytes of a BDAT chunk still to pass through
	saslCont bool          // the last reply was 334: the next line is a SASL response
}

func (s *Server) newWireConn(raw net.Conn) *wireConn {
	w := &wireConn{s: s, raw: raw, cur: raw, done: make(chan struct{})}
	if s.opts.TLS == Implicit {
		w.cur = tls.Server(raw, s.tlsConf)
	}
	w.br = bufio.NewReader(w.cur)
	s.mu.Lock()
	closed := s.closed
	if !closed {
		s.conns[w] = struct{}{}
	}
	s.transcript = append(s.transcript, "<connect>")
	s.mu.Unlock()
	if closed {
		w.abort()
	}
	return w
}

func (w *wireConn) conn() net.Conn {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cur
}

func (w *wireConn) isTLS() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.tls
}

func (w *wireConn) isClosed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closed
}

// Read hands go-smtp the next line the client sent (or the next bytes of a
// BDAT chunk), after logging it and applying faults.
func (w *wireConn) Read(p []byte) (int, error) {
	for len(w.pending) == 0 {
		if w.isClosed() {
			return 0, io.EOF
		}
		if w.bdatLeft > 0 {
			n := int64(len(p))
			n = min(n, w.bdatLeft)
			m, err := w.br.Read(p[:n])
			w.bdatLeft -= int64(m)
			return m, w.readErr(err)
		}
		line, err := w.br.ReadString('\n')
		if err != nil {
			return 0, w.readErr(err)
		}
		out, err := w.inspect(line)
		if err != nil {
			return 0, err
		}
		w.pending = []byte(out)
	}
	n := copy(p, w.pending)
	w.pending = w.pending[n:]
	return n, nil
}

// readErr turns the error of a read into what go-smtp should see: io.EOF
// once the connection is closed, so that go-smtp ends quietly.
func (w *wireConn) readErr(err error) error {
	if err == nil {
		return nil
	}
	if w.isClosed() || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		return io.EOF
	}
	return err
}

// inspect logs a line the client sent and returns what go-smtp should read
// instead: the line itself, another line, or nothing (the line was answered
// here). An error ends the connection.
func (w *wireConn) inspect(line string) (string, error) {
	text := strings.TrimRight(line, "\r\n")
	if w.inData {
		if text == "." {
			w.inData = false
		}
		return line, nil
	}
	if w.saslCont {
		w.saslCont = false
		w.s.log("<redacted>")
		return line, nil
	}

	fields := strings.Fields(text)
	verb := ""
	if len(fields) > 0 {
		verb = strings.ToUpper(fields[0])
	}
	if verb == "AUTH" && len(fields) > 2 {
		w.s.log(fields[0] + " " + fields[1] + " <redacted>")
	} else {
		w.s.log(text)
	}

	switch verb {
	case "EHLO", "HELO":
		if done, err := w.fault(Ehlo); done {
			return "", err
		}
	case "STARTTLS":
		if done, err := w.fault(StageStartTLS); done {
			return "", err
		}
		return "", w.startTLS()
	case "AUTH":
		if done, err := w.fault(Auth); done {
			return "", err
		}
		if len(fields) == 2 && strings.EqualFold(fields[1], mechNTLM) && w.s.opts.NTLMBareReply &&
			w.s.offers(mechNTLM) && w.s.authAllowed(w) {
			return w.bareNTLM()
		}
	case "MAIL":
		if done, err := w.fault(Mail); done {
			return "", err
		}
	case "RCPT":
		if done, err := w.fault(Rcpt); done {
			return "", err
		}
	case "DATA":
		if done, err := w.fault(Data); done {
			return "", err
		}
	case "BDAT":
		// The chunk follows the command whatever the reply; go-smtp reads
		// it when the size parses.
		if len(fields) > 1 {
			if n, err := strconv.ParseUint(fields[1], 10, 32); err == nil {
				w.bdatLeft = int64(n)
			}
		}
	}
	return line, nil
}

// bareNTLM answers "AUTH NTLM" the way Exchange does and turns the client's
// next line into the initial response of the command go-smtp reads.
func (w *wireConn) bareNTLM() (string, error) {
	if err := w.writeLine("334 NTLM supported\r\n"); err != nil {
		return "", w.readErr(err)
	}
	next, err := w.br.ReadString('\n')
	if err != nil {
		return "", w.readErr(err)
	}
	w.s.log("<redacted>")
	resp := strings.TrimRight(next, "\r\n")
	if resp == "*" {
		return "", w.writeLine("501 5.0.0 Negotiation cancelled\r\n")
	}
	if resp == "" {
		resp = "=" // an empty response, in RFC 4954's notation
	}
	return "AUTH NTLM " + resp + "\r\n", nil
}

// startTLS answers STARTTLS and upgrades the connection.
func (w *wireConn) startTLS() error {
	switch {
	case w.s.opts.TLS != StartTLS:
		return w.writeLine("502 5.5.1 TLS not supported\r\n")
	case w.isTLS():
		return w.writeLine("502 5.5.1 Already running in TLS\r\n")
	}
	if err := w.writeLine("220 2.0.0 Ready to start TLS\r\n"); err != nil {
		return w.readErr(err)
	}
	// Anything the client pipelined after STARTTLS was sent in the clear and
	// must not be taken as coming through TLS (RFC 3207 §4.2).
	_, _ = w.br.Discard(w.br.Buffered())
	tc := tls.Server(w.raw, w.s.tlsConf)
	w.mu.Lock()
	w.cur = tc
	w.mu.Unlock()
	if err := w.handshake(tc); err != nil {
		return io.EOF
	}
	w.br = bufio.NewReader(tc)
	return nil
}

// handshake completes the TLS handshake on tc and logs it; on failure it
// closes the connection.
func (w *wireConn) handshake(tc *tls.Conn) error {
	if err := tc.Handshake(); err != nil {
		if !w.isClosed() {
			w.s.tb.Logf("smtptest: TLS handshake with %v: %v", w.raw.RemoteAddr(), err)
		}
		w.abort()
		return err
	}
	w.mu.Lock()
	w.tls = true
	w.mu.Unlock()
	w.s.log("<tls>")
	return nil
}

// fault applies the fault in effect for stage, if any, in place of the
// reply go-smtp would send. It reports whether there was one; a non-nil
// error means the connection is over.
func (w *wireConn) fault(stage Stage) (bool, error) {
	f, ok := w.s.takeFault(stage)
	if !ok {
		return false, nil
	}
	switch {
	case f.Drop:
		w.abort()
		return true, io.EOF
	case f.Stall:
		w.stall()
		return true, io.EOF
	case f.Block:
		w.block()
		return true, io.EOF
	case f.Flood > 0:
		w.flood(f)
		return true, io.EOF
	case f.Challenge:
		return true, w.challenge(f)
	}
	if err := w.writeLine(f.reply()); err != nil {
		w.abort()
		return true, io.EOF
	}
	if stage == Greeting || f.Code == 421 {
		_ = w.Close()
		return true, io.EOF
	}
	return true, nil
}

// stall reads and discards what the client sends until the connection
// fails or is closed, then closes it.
func (w *wireConn) stall() {
	w.s.markStalled()
	_, _ = io.Copy(io.Discard, w.br)
	w.abort()
}

// block neither reads nor writes until the connection is closed.
func (w *wireConn) block() {
	w.s.markStalled()
	<-w.done
}

// flood writes f.Flood bytes of f's flood lines, or until the client stops
// taking them, then closes the connection.
func (w *wireConn) flood(f Fault) {
	defer w.abort()
	first, repeat := f.floodLines()
	left := f.Flood
	write := func(b []byte) bool {
		n := min(int64(len(b)), left)
		_, err := w.conn().Write(b[:n])
		left -= n
		return err == nil
	}
	if len(first) > 0 && !write(first) {
		return
	}
	for left > 0 && write(repeat) {
	}
}

// challenge answers the AUTH command and every later line with another
// 334 challenge, until the client cancels ("*", answered 501) or goes.
func (w *wireConn) challenge(f Fault) error {
	for {
		if err := w.writeLine("334 " + f.Message + "\r\n"); err != nil {
			return w.readErr(err)
		}
		line, err := w.br.ReadString('\n')
		if err != nil {
			return w.readErr(err)
		}
		w.s.log("<redacted>")
		if strings.TrimRight(line, "\r\n") == "*" {
			return w.writeLine("501 5.0.0 Authentication cancelled\r\n")
		}
	}
}

// writeLine writes a reply of the server's own, bypassing Write's checks.
func (w *wireConn) writeLine(s string) error {
	_, err := io.WriteString(w.conn(), s)
	return err
}

// Write sends go-smtp's reply lines, noting which state they put the
// session in. The greeting (the first write) is where implicit TLS starts
// and where a Greeting fault applies.
func (w *wireConn) Write(p []byte) (int, error) {
	if w.isClosed() {
		return 0, net.ErrClosed
	}
	if !w.greeted {
		w.greeted = true
		if tc, ok := w.conn().(*tls.Conn); ok {
			if err := w.handshake(tc); err != nil {
				return 0, err
			}
		}
		if done, err := w.fault(Greeting); done {
			if err == nil {
				err = net.ErrClosed
			}
			return 0, err
		}
	}
	// go-smtp advertises STARTTLS whenever its TLSConfig is set, as it never
	// sees the *tls.Conn; RFC 3207 forbids offering it again over TLS.
	if bytes.Equal(p, []byte("250-STARTTLS\r\n")) && w.isTLS() {
		return len(p), nil
	}
	if w.s.opts.NoPipelining && bytes.Equal(p, []byte("250-PIPELINING\r\n")) {
		return len(p), nil
	}
	w.saslCont = bytes.HasPrefix(p, []byte("334"))
	if bytes.HasPrefix(p, []byte("354")) {
		w.inData = true
	}
	return w.conn().Write(p)
}

// Close closes the connection, with a TLS close_notify when TLS is up.
func (w *wireConn) Close() error { return w.shut(false) }

// abort closes the TCP connection at once, interrupting any read, write or
// handshake in progress.
func (w *wireConn) abort() { _ = w.shut(true) }

func (w *wireConn) shut(abort bool) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	c := w.cur
	close(w.done)
	w.mu.Unlock()

	w.s.mu.Lock()
	delete(w.s.conns, w)
	w.s.transcript = append(w.s.transcript, "<close>")
	w.s.mu.Unlock()

	if abort {
		return w.raw.Close()
	}
	return c.Close()
}

func (w *wireConn) LocalAddr() net.Addr                { return w.raw.LocalAddr() }
func (w *wireConn) RemoteAddr() net.Addr               { return w.raw.RemoteAddr() }
func (w *wireConn) SetDeadline(t time.Time) error      { return w.raw.SetDeadline(t) }
func (w *wireConn) SetReadDeadline(t time.Time) error  { return w.raw.SetReadDeadline(t) }
func (w *wireConn) SetWriteDeadline(t time.Time) error { return w.raw.SetWriteDeadline(t) }

var _ net.Conn = (*wireConn)(nil)
