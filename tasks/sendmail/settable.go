package sendmail

import (
	"errors"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Properties describes the properties SetProperty takes, by their run-time
// names, with the SendMailTask:SendMailTaskData attributes they are
// persisted as. MessageSourceType and Priority take their names or
// numbers.
func (t *Task) Properties() []dtsx.Property {
	return []dtsx.Property{
		{Name: "SmtpConnection", Persisted: "SMTPServer"},
		{Name: "FromLine", Persisted: "From"},
		{Name: "ToLine", Persisted: "To"},
		{Name: "CCLine", Persisted: "CC"},
		{Name: "BCCLine", Persisted: "BCC"},
		{Name: "Subject"},
		{Name: "MessageSourceType", Type: "MessageSourceType", Check: func(v string) error {
			if _, ok := ParseMessageSourceType(v); !ok {
				return errors.New("expected DirectInput, FileConnection or Variable (0, 1, 2)")
			}
			return nil
		}},
		{Name: "MessageSource"},
		{Name: "Priority", Type: "Priority", Check: func(v string) error {
			if _, ok := ParsePriority(v); !ok {
				return errors.New("expected High, Normal or Low (1, 3, 5)")
			}
			return nil
		}},
		{Name: "FileAttachments"},
	}
}
