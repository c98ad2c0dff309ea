package sendmail

import (
	"fmt"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// MessageSourceType says where the body comes from.
type MessageSourceType int

// Message source types, with the numbers property expressions use
// (enumerated-constants-in-property-expressions).
const (
	DirectInput    MessageSourceType = 0
	FileConnection MessageSourceType = 1
	Variable       MessageSourceType = 2
)

var sourceNames = [...]string{"DirectInput", "FileConnection", "Variable"}

// String returns the SSIS name.
func (t MessageSourceType) String() string { return tasks.EnumName(sourceNames[:], t) }

// ParseMessageSourceType reads a name or 0, 1, 2; an empty value, omitted
// in formats 6 and 8, is DirectInput.
func ParseMessageSourceType(s string) (MessageSourceType, bool) {
	return tasks.ParseEnum[MessageSourceType](sourceNames[:], s)
}

// Priority is the mail's priority, with the numbers of MailPriority.
type Priority int

// Priorities (High=1, Normal=3, Low=5, as property expressions give them).
const (
	High   Priority = 1
	Normal Priority = 3
	Low    Priority = 5
)

// String returns High, Normal or Low.
func (p Priority) String() string {
	switch p {
	case High:
		return "High"
	case Low:
		return "Low"
	}
	return "Normal"
}

// ParsePriority reads High/Normal/Low or 1/3/5. "0" is read as Normal: real
// packages persist it when a property expression drives the priority, and
// SSIS saves and runs them.
func ParsePriority(s string) (Priority, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "high", "1":
		return High, true
	case "normal", "3", "", "0":
		return Normal, true
	case "low", "5":
		return Low, true
	}
	return Normal, false
}

// Properties are the persisted properties of a Send Mail task, named as the
// runtime (and property expressions) name them.
type Properties struct {
	SmtpConnection    string // XML SMTPServer: a DTSID or a name
	FromLine          string
	ToLine            string
	CCLine            string
	BCCLine           string
	Subject           string
	MessageSourceType MessageSourceType
	MessageSource     string
	Priority          Priority
	// FileAttachments are the attachment paths (|-separated in the
	// property, or SendMailTask:Attachments elements).
	FileAttachments []string
}

// Set sets a property by the name the runtime and property expressions use
// (SmtpConnection, FromLine, ToLine, CCLine, BCCLine, Subject,
// MessageSourceType, MessageSource, Priority, FileAttachments), or by its
// XML attribute name (SMTPServer, From, To, CC, BCC). Enumerations take
// their names or numbers, as property expressions give them numbers. An
// unknown name gives an error matching tasks.ErrUnknownProperty; on error
// nothing changes.
func (p *Properties) Set(name, value string) error {
	switch strings.ToLower(name) {
	case "smtpconnection", "smtpserver":
		p.SmtpConnection = value
	case "fromline", "from":
		p.FromLine = value
	case "toline", "to":
		p.ToLine = value
	case "ccline", "cc":
		p.CCLine = value
	case "bccline", "bcc":
		p.BCCLine = value
	case "subject":
		p.Subject = value
	case "messagesource":
		p.MessageSource = value
	case "messagesourcetype":
		return tasks.SetParsed(&p.MessageSourceType, value, ParseMessageSourceType, "MessageSourceType", "use DirectInput, FileConnection or Variable (0, 1, 2)")
	case "priority":
		return tasks.SetParsed(&p.Priority, value, ParsePriority, "Priority", "use High, Normal or Low (1, 3, 5)")
	case "fileattachments":
		p.FileAttachments = SplitAttachments(value)
	default:
		return fmt.Errorf("%w %q", tasks.ErrUnknownProperty, name)
	}
	return nil
}

// ReadProperties reads a task's SendMailTaskData. Values that cannot be
// read are reported and left at their defaults.
func ReadProperties(def *dtsx.Executable) (Properties, []tasks.Problem) {
	r := &tasks.Reader{Def: def}
	p := Properties{
		SmtpConnection: r.Get("SMTPServer"),
		FromLine:       r.Get("From"),
		ToLine:         r.Get("To"),
		CCLine:         r.Get("CC"),
		BCCLine:        r.Get("BCC"),
		Subject:        r.Get("Subject"),
		MessageSource:  r.Get("MessageSource"),
	}
	tasks.Parse(r, &p.MessageSourceType, "MessageSourceType", ParseMessageSourceType, "MessageSourceType", "is not a message source type",
		"use DirectInput, FileConnection or Variable (0, 1, 2)")
	tasks.Parse(r, &p.Priority, "Priority", ParsePriority, "Priority", "is not a priority", "use High, Normal or Low (1, 3, 5)")
	p.FileAttachments = SplitAttachments(r.Get("FileAttachments"))
	if def.ObjectData != nil {
		for _, a := range def.ObjectData.ChildElements() {
			if a.Tag != "Attachments" {
				continue
			}
			o := dtsx.Object{Element: a}
			if f, _ := o.Property("FileName"); f != "" {
				p.FileAttachments = append(p.FileAttachments, SplitAttachments(f)...)
			}
		}
	}
	return p, r.Problems
}

// SplitAttachments splits a FileAttachments value on |, dropping empty
// entries.
func SplitAttachments(s string) []string {
	var out []string
	for _, f := range strings.Split(s, "|") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// MaxAddressLine is the documented limit of To, CC and BCC: "limited to 256
// characters each in accordance with Internet standards" (SSIS Send Mail
// Task documentation).
const MaxAddressLine = 256
