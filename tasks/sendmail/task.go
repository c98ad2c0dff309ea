package sendmail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// Diagnostic codes of the Send Mail task.
const (
	CodeNoConnection    = "sendmail-no-connection"
	CodeWrongConnection = "sendmail-wrong-connection-type"
	CodeBadProperty     = "sendmail-bad-property"
	CodeNoRecipient     = "sendmail-no-recipient"
	CodeAddressTooLong  = "sendmail-address-too-long"
)

// Task is a Send Mail task.
type Task struct {
	Def   *dtsx.Executable
	Props Properties
	probs []Problem
	// sleep waits between tries of a send; nil is the real wait. Tests
	// replace it.
	sleep smtp.Sleep
}

// New is the Factory of the Send Mail task.
func New(def *dtsx.Executable) (tasks.Task, error) {
	t := &Task{Def: def}
	t.Props, t.probs = ReadProperties(def)
	return t, nil
}

// SetProperty sets a property at run time (Properties.Set); a problem the
// persisted value had goes with it.
func (t *Task) SetProperty(name, value string) error {
	if err := t.Props.Set(name, value); err != nil {
		return fmt.Errorf("Send Mail task %q: %w", t.Def.Name, err)
	}
	canon := map[string]string{"smtpserver": "smtpconnection", "from": "fromline", "to": "toline", "cc": "ccline", "bcc": "bccline"}
	key := strings.ToLower(name)
	if c, ok := canon[key]; ok {
		key = c
	}
	t.probs = slices.DeleteFunc(slices.Clone(t.probs), func(p Problem) bool { return strings.ToLower(p.Property) == key })
	return nil
}

// hasExpression reports whether a property expression sets prop at run time.
func (t *Task) hasExpression(prop string) bool { return tasks.Expressed(t.Def, prop, nil) }

// Validate checks that the SMTP connection resolves to an SMTP connection
// manager, that the properties can be read and that there is someone to
// send to. Properties set by property expressions are checked when the task
// runs, not here.
func (t *Task) Validate(_ context.Context, env tasks.Env) dtsx.Diagnostics {
	var out dtsx.Diagnostics
	add := func(code, msg, hint string) {
		out = append(out, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: code, Path: t.Def.RefID,
			Message: fmt.Sprintf("Send Mail task %q: %s", t.Def.Name, msg), Hint: hint})
	}
	for _, p := range t.probs {
		if !t.hasExpression(p.Property) {
			add(CodeBadProperty, fmt.Sprintf("%s %q %s", p.Property, p.Value, p.Msg), p.Hint)
		}
	}
	ref := t.Props.SmtpConnection
	switch {
	case t.hasExpression("SmtpConnection"):
	case strings.TrimSpace(ref) == "":
		add(CodeNoConnection, "no SMTP connection manager is chosen (SMTPServer is empty)",
			"choose the SMTP connection manager in the task's SmtpConnection property")
	default:
		m, err := env.Connection(ref)
		var rerr *connections.ReferenceError
		switch {
		case errors.As(err, &rerr):
			add(connections.CodeDanglingRef, fmt.Sprintf("SMTPServer %s refers to no connection manager: %v", ref, err),
				"add the SMTP connection manager to the package or project (dtsx --project; dtexec reads the project files beside the package, or /Proj with its .ispac), or choose an existing one")
		case err != nil:
			add(connections.CodeDanglingRef, fmt.Sprintf("SMTPServer %s: %v", ref, err), "choose an existing SMTP connection manager")
		case !strings.EqualFold(m.Definition().CreationName, "SMTP"):
			add(CodeWrongConnection, fmt.Sprintf("SMTPServer %s is connection manager %q of type %q, not SMTP",
				ref, m.Definition().Name, m.Definition().CreationName), "choose an SMTP connection manager")
		}
	}
	lines := []struct{ name, v string }{{"ToLine", t.Props.ToLine}, {"CCLine", t.Props.CCLine}, {"BCCLine", t.Props.BCCLine}}
	anyRecipient := false
	for _, l := range lines {
		if strings.TrimSpace(l.v) != "" || t.hasExpression(l.name) {
			anyRecipient = true
		}
		if len(l.v) > MaxAddressLine && !t.hasExpression(l.name) {
			add(CodeAddressTooLong, fmt.Sprintf("%s is %d characters; SSIS limits it to %d", l.name, len(l.v), MaxAddressLine),
				"split the recipients over To, CC and BCC or use a distribution list")
		}
	}
	if !anyRecipient {
		add(CodeNoRecipient, "no recipient in To, CC or BCC", "set ToLine (or a property expression for it)")
	}
	return out
}

var _ tasks.Configurable = (*Task)(nil)
