package sendmail

import (
	"context"
	"errors"
	"fmt"
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
	tasks.Base
	Props Properties
	// sleep waits between tries of a send; nil is the real wait. Tests
	// replace it.
	sleep smtp.Sleep
}

// New is the Factory of the Send Mail task.
func New(def *dtsx.Executable) (tasks.Task, error) {
	t := &Task{Base: tasks.Base{Def: def, Kind: "Send Mail"}}
	t.Props, t.Problems = ReadProperties(def)
	return t, nil
}

// SetProperty sets a property at run time (Properties.Set); a problem the
// persisted value had goes with it.
func (t *Task) SetProperty(name, value string) error { return t.SetWith(t.Props.Set, name, value) }

// Validate checks that the SMTP connection resolves to an SMTP connection
// manager, that the properties can be read and that there is someone to
// send to. Properties set by property expressions are checked when the task
// runs, not here.
func (t *Task) Validate(_ context.Context, env tasks.Env) dtsx.Diagnostics {
	v := t.Validation(CodeBadProperty)
	ref := t.Props.SmtpConnection
	switch {
	case t.Expressed("SmtpConnection"):
	case strings.TrimSpace(ref) == "":
		v.Err(CodeNoConnection, "no SMTP connection manager is chosen (SMTPServer is empty)",
			"choose the SMTP connection manager in the task's SmtpConnection property")
	default:
		m, err := env.Connection(ref)
		var rerr *connections.ReferenceError
		switch {
		case errors.As(err, &rerr):
			v.Err(connections.CodeDanglingRef, fmt.Sprintf("SMTPServer %s refers to no connection manager: %v", ref, err),
				"add the SMTP connection manager to the package or project (dtsx --project; dtexec reads the project files beside the package, or /Proj with its .ispac), or choose an existing one")
		case err != nil:
			v.Err(connections.CodeDanglingRef, fmt.Sprintf("SMTPServer %s: %v", ref, err), "choose an existing SMTP connection manager")
		case !strings.EqualFold(m.Definition().CreationName, "SMTP"):
			v.Err(CodeWrongConnection, fmt.Sprintf("SMTPServer %s is connection manager %q of type %q, not SMTP",
				ref, m.Definition().Name, m.Definition().CreationName), "choose an SMTP connection manager")
		}
	}
	lines := []struct{ name, v string }{{"ToLine", t.Props.ToLine}, {"CCLine", t.Props.CCLine}, {"BCCLine", t.Props.BCCLine}}
	anyRecipient := false
	for _, l := range lines {
		if strings.TrimSpace(l.v) != "" || t.Expressed(l.name) {
			anyRecipient = true
		}
		if len(l.v) > MaxAddressLine && !t.Expressed(l.name) {
			v.Err(CodeAddressTooLong, fmt.Sprintf("%s is %d characters; SSIS limits it to %d", l.name, len(l.v), MaxAddressLine),
				"split the recipients over To, CC and BCC or use a distribution list")
		}
	}
	if !anyRecipient {
		v.Err(CodeNoRecipient, "no recipient in To, CC or BCC", "set ToLine (or a property expression for it)")
	}
	return v.Diagnostics
}

var _ tasks.Configurable = (*Task)(nil)
