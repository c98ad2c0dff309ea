package sendmail

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/tasks"
)

// Execute builds the mail from the task's properties and delivers it
// through the task's SMTP connection manager. Nothing is sent when an
// attachment is missing, an address is bad or a header would carry a line
// break; the mail counts as sent only after the server's reply to DATA,
// which is recorded.
func (t *Task) Execute(ctx context.Context, env tasks.RunEnv) error {
	if err := t.ProblemError(); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	p := t.Props
	cm, err := env.Connection(p.SmtpConnection)
	if err != nil {
		return fmt.Errorf("send mail: SMTPServer %s: %w", p.SmtpConnection, err)
	}
	m, ok := cm.(*smtp.Manager)
	if !ok {
		return fmt.Errorf("send mail: connection manager %q is of type %s, not SMTP", cm.Definition().Name, cm.Definition().CreationName)
	}
	mail, err := t.mail(env)
	if err != nil {
		return err
	}
	if err := mail.Validate(); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	var msg strings.Builder
	if _, err := mail.WriteTo(&msg); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	env.Progress(0, "connecting to "+m.Address())
	d, err := m.SendRetry(ctx, m.Run, mail.EnvelopeFrom(), mail.Recipients(), msg.String(), t.sleep)
	env.Record(tasks.Record{Kind: "mail", Data: map[string]any{
		"from": mail.EnvelopeFrom(), "recipients": mail.Recipients(), "subject": mail.Subject,
		"messageId": mail.MessageID, "server": d.Server, "reply": d.Reply,
		"outcome": d.Outcome, "attempts": d.Tries, "failures": d.Failures,
	}})
	if err != nil {
		if d.Outcome == smtp.DeliveryExhausted && d.Tries > 1 {
			return fmt.Errorf("send mail: temporary failure, still failing after %d tries: %w", d.Tries, err)
		}
		return err
	}
	env.Progress(100, "sent")
	env.Info(fmt.Sprintf("mail %q sent to %s: %s", mail.Subject, strings.Join(mail.Recipients(), ", "), d.Reply))
	if d.Tries > 1 {
		env.Info(fmt.Sprintf("mail %q was sent on try %d", mail.Subject, d.Tries))
	}
	if d.CloseErr != nil {
		env.Warn("the server did not close the session cleanly: " + d.CloseErr.Error())
	}
	return nil
}

// mail evaluates the task's properties into a Mail: the body from its
// source, the attachments read from disk.
func (t *Task) mail(env tasks.RunEnv) (*Mail, error) {
	p := t.Props
	m := &Mail{From: p.FromLine, Subject: p.Subject, Priority: p.Priority, Date: time.Now()}
	var err error
	for _, f := range []struct {
		name string
		line string
		dst  *[]string
	}{{"ToLine", p.ToLine, &m.To}, {"CCLine", p.CCLine, &m.CC}, {"BCCLine", p.BCCLine, &m.BCC}} {
		if *f.dst, err = SplitAddresses(f.line); err != nil {
			return nil, fmt.Errorf("send mail: %s: %w", f.name, err)
		}
	}
	switch p.MessageSourceType {
	case DirectInput:
		m.Body = p.MessageSource
	case Variable:
		v, err := env.Variable(p.MessageSource)
		if err != nil {
			return nil, fmt.Errorf("send mail: the message source variable: %w", err)
		}
		if s, ok := v.Text(); ok {
			m.Body = s
		} else if !v.IsNull() {
			m.Body = v.String()
		}
	case FileConnection:
		cm, err := env.Connection(p.MessageSource)
		if err != nil {
			return nil, fmt.Errorf("send mail: message source: %w", err)
		}
		fm, ok := cm.(*file.Manager)
		if !ok || len(fm.Paths()) == 0 {
			return nil, fmt.Errorf("send mail: message source %q is not a file connection manager with a path", p.MessageSource)
		}
		b, err := os.ReadFile(env.LocalPath(fm.Paths()[0]))
		if err != nil {
			return nil, fmt.Errorf("send mail: message source file: %w", err)
		}
		m.Body = string(b)
	}
	for _, path := range p.FileAttachments {
		local := env.LocalPath(path)
		b, err := os.ReadFile(local)
		if err != nil {
			if local != path {
				return nil, fmt.Errorf("send mail: attachment %s (here %s): %w (nothing was sent)", path, local, err)
			}
			return nil, fmt.Errorf("send mail: attachment %s: %w (nothing was sent)", path, err)
		}
		m.Attachments = append(m.Attachments, Attachment{Name: filepath.Base(strings.ReplaceAll(path, `\`, "/")), Path: path, Data: b})
	}
	return m, nil
}

var _ tasks.Executor = (*Task)(nil)
