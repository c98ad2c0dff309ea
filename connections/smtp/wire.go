package smtp

import (
	"bytes"
	"encoding/base64"
	"net"
	"sync/atomic"
	"time"
)

// wire is the connection go-smtp talks through. Everything read from the
// server goes through its replyBound (limits.go). It can prepend a synthetic
// greeting (after a STARTTLS done before go-smtp takes over, RFC 3207 says
// the client speaks first; go-smtp expects a 220) and, while an
// authentication runs, turns a 334 reply whose text is not base64 into an
// empty challenge, so that a mechanism can answer "334 NTLM supported".
// Nothing it does is ever sent to the server.
type wire struct {
	net.Conn
	pending []byte // bytes to hand out before reading more
	partial []byte // an incomplete line read while filtering
	filter  atomic.Bool
	err     error // a read error to return once pending is drained
	bound   replyBound

	// timeout bounds each write (deadline.go); deadline is when the time
	// of the command written last (or of the reply read last, see
	// Session.roundTrip) runs out. wrote reports that anything was written
	// and writeErr the last write error.
	timeout  time.Duration
	deadline time.Time
	wrote    bool
	writeErr error
}

// Write writes to the server within a fresh write deadline of timeout.
func (w *wire) Write(p []byte) (int, error) {
	w.wrote = true
	if w.timeout > 0 {
		w.deadline = time.Now().Add(w.timeout)
		w.Conn.SetWriteDeadline(w.deadline)
	}
	n, err := w.Conn.Write(p)
	if err != nil {
		w.writeErr = err
	}
	return n, err
}

// readConn reads from the connection, within the bounds on replies.
func (w *wire) readConn(p []byte) (int, error) { return w.bound.read(w.Conn, p) }

func (w *wire) Read(p []byte) (int, error) {
	for {
		if len(w.pending) > 0 {
			n := copy(p, w.pending)
			w.pending = w.pending[n:]
			return n, nil
		}
		if w.err != nil {
			return 0, w.err
		}
		if !w.filter.Load() && len(w.partial) == 0 {
			return w.readConn(p)
		}
		buf := make([]byte, 4096)
		n, err := w.readConn(buf)
		w.partial = append(w.partial, buf[:n]...)
		for {
			i := bytes.IndexByte(w.partial, '\n')
			if i < 0 {
				break
			}
			w.pending = append(w.pending, rewrite334(w.partial[:i+1])...)
			w.partial = w.partial[i+1:]
		}
		if err != nil {
			w.pending, w.partial, w.err = append(w.pending, w.partial...), nil, err
		}
	}
}

// rewrite334 returns "334 \r\n" for a 334 line whose text is not base64.
func rewrite334(line []byte) []byte {
	if !bytes.HasPrefix(line, []byte("334 ")) {
		return line
	}
	text := bytes.TrimRight(line[4:], "\r\n")
	if _, err := base64.StdEncoding.DecodeString(string(text)); err == nil {
		return line
	}
	return []byte("334 \r\n")
}
