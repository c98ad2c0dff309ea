package smtp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// sendPipelined sends the envelope as one group (RFC 2920): RSET when the
// session was kept, MAIL FROM and every RCPT TO, then reads their replies
// in order; DATA and the message follow as in send. stale reports a kept
// session that failed before any reply: nothing was taken, and a new
// session may send the mail.
func (s *Session) sendPipelined(ctx context.Context, from string, to []string, msg io.Reader) (reply string, err error, stale bool) {
	stop := context.AfterFunc(ctx, func() { s.w.Conn.Close() })
	defer stop()
	d := s.d
	var cmds []string
	if s.needReset {
		cmds = append(cmds, "RSET")
	}
	mail := "MAIL FROM:<" + from + ">"
	if ok, _ := s.c.Extension("8BITMIME"); ok {
		mail += " BODY=8BITMIME"
	}
	cmds = append(cmds, mail)
	for _, r := range to {
		cmds = append(cmds, "RCPT TO:<"+r+">")
	}
	for _, c := range cmds {
		if strings.ContainsAny(c, "\r\n") {
			return "", fmt.Errorf("smtp: a line break in an address"), false
		}
	}
	// With one recipient DATA joins the group (it may be the last command
	// of one, RFC 2920 §3.1): a refused recipient leaves the server no one
	// to accept a message for, so it refuses DATA too. With more, one
	// could be refused while DATA is accepted, and a mail must not go to
	// the others; DATA then waits for the recipients' replies.
	withData := len(to) == 1
	if withData {
		cmds = append(cmds, "DATA")
	}
	reused := s.needReset
	s.needReset = false
	replies, err := s.roundTrip(strings.Join(cmds, "\r\n")+"\r\n", len(cmds))
	if err != nil {
		for _, r := range replies { // a refusal before the server closed says more
			if r.code/100 != 2 && r.code != 354 {
				return "", d.classify(ctx, "mail", r.err()), false
			}
		}
		op := "mail" // the command whose reply did not come
		if len(replies) < len(cmds) {
			op = strings.ToLower(strings.Fields(cmds[len(replies)])[0])
		}
		return "", d.classify(ctx, op, err), reused && len(replies) == 0
	}
	if reused {
		if r := replies[0]; r.code != 250 {
			s.broken = true
			return "", d.classify(ctx, "rset", r.err()), false
		}
		replies = replies[1:]
	}
	var data smtpReply
	if withData {
		data = replies[len(replies)-1]
		replies = replies[:len(replies)-1]
	}
	// end abandons the transaction: RSET, or, when the server already
	// waits for the message (354), closing the connection, which makes it
	// discard the transaction: nothing is sent to anyone.
	end := func() {
		if data.code == 354 {
			s.broken = true
			s.w.Conn.Close()
			return
		}
		s.abort(ctx)
	}
	if r := replies[0]; r.code/100 != 2 {
		end()
		return "", d.classify(ctx, "mail", r.err()), false
	}
	var rejected []Rejection
	temporary := true
	for i, r := range replies[1:] {
		if r.code/100 != 2 {
			rejected = append(rejected, Rejection{Address: to[i], Code: r.code, Reply: r.text})
			temporary = temporary && r.code/100 == 4
		}
	}
	if len(rejected) > 0 {
		end()
		return "", d.refused(rejected, temporary), false
	}
	if !withData {
		reply, err = s.data(ctx, msg)
		return reply, err, false
	}
	if data.code != 354 {
		end()
		return "", d.classify(ctx, "data", data.err()), false
	}
	reply, err = s.body(ctx, msg)
	return reply, err, false
}

// smtpReply is one reply read by roundTrip.
type smtpReply struct {
	code int
	text string
}

func (r smtpReply) err() error {
	e := &gosmtp.SMTPError{Code: r.code, EnhancedCode: gosmtp.NoEnhancedCode, Message: r.text}
	if parts := strings.SplitN(r.text, " ", 2); len(parts) == 2 {
		var c gosmtp.EnhancedCode
		if n, _ := fmt.Sscanf(parts[0], "%d.%d.%d", &c[0], &c[1], &c[2]); n == 3 {
			e.EnhancedCode, e.Message = c, parts[1]
		}
	}
	return e
}

// roundTrip writes cmds (whole lines) at once, if any, and reads n replies. It runs
// between transactions or before DATA, when go-smtp has nothing buffered
// and the server sends nothing but these replies, so reading whole chunks
// cannot take what go-smtp should read next. The wire bounds what it
// buffers (MaxReplyLine, MaxReplyBytes).
func (s *Session) roundTrip(cmds string, n int) ([]smtpReply, error) {
	if cmds != "" {
		if _, err := s.w.Write([]byte(cmds)); err != nil {
			return nil, err
		}
	}
	s.w.deadline = time.Now().Add(s.d.timeout)
	s.w.Conn.SetDeadline(s.w.deadline)
	defer s.w.Conn.SetDeadline(time.Time{})
	var out []smtpReply
	var buf, text []byte
	chunk := make([]byte, 4096)
	for {
		k, err := s.w.Read(chunk)
		buf = append(buf, chunk[:k]...)
		for {
			i := bytes.IndexByte(buf, '\n')
			if i < 0 {
				break
			}
			line := bytes.TrimRight(buf[:i], "\r")
			buf = buf[i+1:]
			if len(line) < 3 {
				return out, errMalformed()
			}
			code := 0
			for _, c := range line[:3] {
				if c < '0' || c > '9' {
					return out, errMalformed()
				}
				code = code*10 + int(c-'0')
			}
			if len(text) > 0 {
				text = append(text, '\n')
			}
			if len(line) > 4 {
				text = append(text, line[4:]...)
			}
			if len(line) >= 4 && line[3] == '-' {
				continue
			}
			out = append(out, smtpReply{code: code, text: string(text)})
			text = text[:0]
			if len(out) == n {
				if len(buf) > 0 {
					return out, &ProtocolError{Msg: "the server sent more replies than commands"}
				}
				return out, nil
			}
		}
		if err != nil {
			return out, err
		}
	}
}
