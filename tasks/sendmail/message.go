package sendmail

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	netmail "net/mail"
	"path"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/emersion/go-message/mail"
)

// ErrInvalidMessage is matched (errors.Is) by every *MessageError: a mail
// that must not be sent as it stands.
var ErrInvalidMessage = errors.New("sendmail: invalid message")

// MessageError is a Mail field, or an address line, that cannot go into a
// message. Field is the task property it comes from (FromLine, ToLine,
// CCLine, BCCLine, Subject, FileAttachments) or MessageID; it is empty when
// the caller knows the field better (SplitAddresses).
type MessageError struct {
	Field, Msg string
}

func (e *MessageError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + " " + e.Msg
}

// Is makes errors.Is(err, ErrInvalidMessage) true.
func (e *MessageError) Is(target error) bool { return target == ErrInvalidMessage }

// Mail is what one execution of a Send Mail task sends, with every property
// already evaluated.
type Mail struct {
	From        string   // FromLine: one address, a display name allowed
	To, CC, BCC []string // one address each, as SplitAddresses returns them
	Subject     string
	Body        string // the message text (UTF-8)
	Priority    Priority
	Attachments []Attachment
	// Date is the Date header; WriteTo sets it to the current time when it
	// is zero.
	Date time.Time
	// MessageID is the Message-ID without angle brackets. WriteTo generates
	// <random hex>@<domain of From, or dtsx.local> when it is empty and
	// keeps it, so the caller can record it and a retry sends the same id.
	MessageID string

	// parsed caches the addresses parsed so far: Validate, Recipients,
	// EnvelopeFrom and WriteTo all read them.
	parsed map[string]*netmail.Address
}

// Attachment is one file attached to a Mail.
type Attachment struct {
	// Name is the file name the recipient sees; empty means the last
	// element of Path (either slash counts).
	Name string
	// Path is where the file was read from, for error messages.
	Path string
	// ContentType is the media type; empty means guessed from the
	// extension of Name with mime.TypeByExtension (parameters dropped: the
	// file's charset is unknown), else application/octet-stream.
	ContentType string
	Data        []byte
}

// SplitAddresses splits an SSIS address line (ToLine, CCLine, BCCLine) into
// its addresses. SSIS separates them with ';'; ',' is accepted too, except
// inside a quoted display name, a comment or angle brackets. Entries are
// trimmed and empty ones dropped; each must be one RFC 5322 address
// (net/mail.ParseAddress), a display name allowed ("Ops Team
// <ops@example.com>"). The entries are returned as written. An error is a
// *MessageError that quotes the bad entry.
func SplitAddresses(line string) ([]string, error) {
	var out []string
	for _, e := range splitAddressLine(line) {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		if strings.ContainsAny(e, "\r\n") {
			return nil, &MessageError{Msg: fmt.Sprintf("entry %q contains a line break (header injection)", e)}
		}
		if _, err := netmail.ParseAddress(e); err != nil {
			return nil, &MessageError{Msg: fmt.Sprintf("entry %q is not an e-mail address (%v)", e, err)}
		}
		out = append(out, e)
	}
	return out, nil
}

// splitAddressLine cuts line at ';' and ',' outside quoted strings,
// comments and angle brackets.
func splitAddressLine(line string) []string {
	var out []string
	start, comment := 0, 0
	quoted, angle, escaped := false, false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case escaped:
			escaped = false
		case quoted:
			switch c {
			case '\\':
				escaped = true
			case '"':
				quoted = false
			}
		case comment > 0:
			switch c {
			case '\\':
				escaped = true
			case '(':
				comment++
			case ')':
				comment--
			}
		case c == '"':
			quoted = true
		case c == '(':
			comment++
		case c == '<':
			angle = true
		case c == '>':
			angle = false
		case (c == ';' || c == ',') && !angle:
			out = append(out, line[start:i])
			start = i + 1
		}
	}
	return append(out, line[start:])
}

// Validate refuses a mail that must not be sent: a line break in From, a
// recipient, the Subject, an attachment name or the MessageID (header
// injection); an empty or unparsable From; an unparsable recipient; a To,
// CC or BCC list longer than MaxAddressLine characters once joined with ';'
// (characters counted as .NET counts them, in UTF-16 code units; the caller
// checks the original line, which may hold spaces the split dropped); no
// recipient at all; an attachment ContentType that is not a media type or
// declares a charset other than utf-8 or us-ascii.
// The error is a *MessageError; the first problem found is reported.
func (m *Mail) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &MessageError{Field: field, Msg: fmt.Sprintf(format, a...)}
	}
	lists := []struct {
		field string
		addrs []string
	}{{"ToLine", m.To}, {"CCLine", m.CC}, {"BCCLine", m.BCC}}

	// Line breaks first: they are the attack, whatever else is wrong.
	if strings.ContainsAny(m.From, "\r\n") {
		return bad("FromLine", "%q contains a line break (header injection)", m.From)
	}
	for _, l := range lists {
		for _, a := range l.addrs {
			if strings.ContainsAny(a, "\r\n") {
				return bad(l.field, "entry %q contains a line break (header injection)", a)
			}
		}
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return bad("Subject", "%q contains a line break (header injection)", m.Subject)
	}
	for _, a := range m.Attachments {
		if strings.ContainsAny(a.fileName(), "\r\n") {
			return bad("FileAttachments", "name %q contains a line break (header injection)", a.fileName())
		}
	}
	if strings.ContainsAny(m.MessageID, "\r\n") {
		return bad("MessageID", "%q contains a line break (header injection)", m.MessageID)
	}

	if strings.TrimSpace(m.From) == "" {
		return bad("FromLine", "is empty")
	}
	if _, err := m.addr(m.From); err != nil {
		return bad("FromLine", "%q is not an e-mail address (%v)", m.From, err)
	}
	n := 0
	for _, l := range lists {
		for _, a := range l.addrs {
			if _, err := m.addr(a); err != nil {
				return bad(l.field, "entry %q is not an e-mail address (%v)", a, err)
			}
		}
		if c := utf16Len(strings.Join(l.addrs, ";")); c > MaxAddressLine {
			return bad(l.field, "is %d characters; SSIS limits it to %d", c, MaxAddressLine)
		}
		n += len(l.addrs)
	}
	if n == 0 {
		return bad("ToLine", "is empty, and so are CCLine and BCCLine: the mail has no recipient")
	}
	for _, a := range m.Attachments {
		if a.ContentType == "" {
			continue
		}
		_, params, err := mime.ParseMediaType(a.ContentType)
		if err != nil {
			return bad("FileAttachments", "%s: content type %q is not a media type (%v)", a.fileName(), a.ContentType, err)
		}
		// go-message writes no other charset parameter.
		if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
			return bad("FileAttachments", "%s: content type %q: only the charsets utf-8 and us-ascii can be declared", a.fileName(), a.ContentType)
		}
	}
	return nil
}

// utf16Len is the length of s as a .NET string.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}

// Recipients returns the envelope recipients (RCPT TO): the bare addresses
// of To, CC and BCC, in that order, without duplicates (compared
// case-insensitively; the first spelling wins). Entries that do not parse
// are left out: call Validate first.
func (m *Mail) Recipients() []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range [][]string{m.To, m.CC, m.BCC} {
		for _, a := range l {
			p, err := m.addr(a)
			if err != nil {
				continue
			}
			if k := strings.ToLower(p.Address); !seen[k] {
				seen[k] = true
				out = append(out, p.Address)
			}
		}
	}
	return out
}

// EnvelopeFrom returns the bare address of From (MAIL FROM), or "" when From
// does not parse.
func (m *Mail) EnvelopeFrom() string {
	p, err := m.addr(m.From)
	if err != nil {
		return ""
	}
	return p.Address
}

// WriteTo validates the mail and writes it as an RFC 5322 message with MIME
// (RFC 2045-2047, 2231): CRLF line ends; MIME-Version, Date and Message-ID
// always; From, To, Cc (never Bcc: BCC recipients are envelope-only) and
// Subject, non-ASCII text as encoded-words; the X-Priority, Importance and
// Priority headers Outlook and System.Net.Mail write for High and Low; a
// text/plain UTF-8 body in quoted-printable; with attachments, a
// multipart/mixed message whose first part is the text and each further
// part an attachment in base64 with its file name. Nothing is written when
// Validate fails. It fills in Date and MessageID when they are empty.
func (m *Mail) WriteTo(w io.Writer) (int64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	if m.Date.IsZero() {
		m.Date = time.Now()
	}
	m.MessageID = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(m.MessageID), "<"), ">")
	if m.MessageID == "" {
		m.MessageID = newMessageID(m.EnvelopeFrom())
	}

	// go-message writes header fields last added first: add them in
	// reverse order.
	var h mail.Header
	text := mail.InlineHeader{}
	text.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	if len(m.Attachments) == 0 {
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	}
	switch m.Priority {
	case High:
		h.Set("Priority", "urgent")
		h.Set("Importance", "high")
		h.Set("X-Priority", "1")
	case Low:
		h.Set("Priority", "non-urgent")
		h.Set("Importance", "low")
		h.Set("X-Priority", "5")
	}
	h.SetMessageID(m.MessageID)
	if m.Subject != "" {
		h.SetSubject(m.Subject)
	}
	cc, err := m.addrs(m.CC)
	if err != nil {
		return 0, err
	}
	h.SetAddressList("Cc", cc)
	to, err := m.addrs(m.To)
	if err != nil {
		return 0, err
	}
	h.SetAddressList("To", to)
	from, err := m.addrs([]string{m.From})
	if err != nil {
		return 0, err
	}
	h.SetAddressList("From", from)
	h.SetDate(m.Date)
	h.Set("MIME-Version", "1.0")

	cw := &countingWriter{w: w}
	bw := bufio.NewWriter(cw)
	if err := m.write(bw, h, text); err != nil {
		return cw.n, err
	}
	err = bw.Flush()
	return cw.n, err
}

func (m *Mail) write(w io.Writer, h mail.Header, text mail.InlineHeader) error {
	if len(m.Attachments) == 0 {
		body, err := mail.CreateSingleInlineWriter(w, h)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(body, m.Body); err != nil {
			return err
		}
		return body.Close()
	}
	mw, err := mail.CreateWriter(w, h)
	if err != nil {
		return err
	}
	body, err := mw.CreateSingleInline(text)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(body, m.Body); err != nil {
		return err
	}
	if err := body.Close(); err != nil {
		return err
	}
	for _, a := range m.Attachments {
		name := a.fileName()
		mt, params := a.mediaType()
		params["name"] = name
		var ah mail.AttachmentHeader
		ah.SetContentType(mt, params)
		ah.SetFilename(name)
		where := a.Path
		if where == "" {
			where = name
		}
		part, err := mw.CreateAttachment(ah)
		if err != nil {
			return fmt.Errorf("attachment %s: %w", where, err)
		}
		if _, err := part.Write(a.Data); err != nil {
			return fmt.Errorf("attachment %s: %w", where, err)
		}
		if err := part.Close(); err != nil {
			return fmt.Errorf("attachment %s: %w", where, err)
		}
	}
	return mw.Close()
}

// fileName is Name, or the last element of Path.
func (a Attachment) fileName() string {
	if a.Name != "" {
		return a.Name
	}
	return path.Base(strings.ReplaceAll(a.Path, `\`, "/"))
}

// reportTypes are the types of the files packages mail most, so that they
// do not depend on the machine's mime.types (Go's own table lacks them).
var reportTypes = map[string]string{
	".csv": "text/csv", ".tsv": "text/tab-separated-values", ".txt": "text/plain", ".log": "text/plain",
	".xls": "application/vnd.ms-excel", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".doc": "application/msword", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".zip": "application/zip", ".gz": "application/gzip",
}

// mediaType is ContentType (which Validate parsed), or the type guessed
// from the file name without parameters.
func (a Attachment) mediaType() (string, map[string]string) {
	if a.ContentType != "" {
		if mt, params, err := mime.ParseMediaType(a.ContentType); err == nil {
			return mt, params
		}
	}
	name := a.fileName()
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		if t, ok := reportTypes[strings.ToLower(name[i:])]; ok {
			return t, map[string]string{}
		}
		if t := mime.TypeByExtension(name[i:]); t != "" {
			if mt, _, err := mime.ParseMediaType(t); err == nil {
				return mt, map[string]string{}
			}
		}
	}
	return "application/octet-stream", map[string]string{}
}

// addr parses an address once per mail.
func (m *Mail) addr(s string) (*netmail.Address, error) {
	if a, ok := m.parsed[s]; ok {
		return a, nil
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, err
	}
	if m.parsed == nil {
		m.parsed = map[string]*netmail.Address{}
	}
	m.parsed[s] = a
	return a, nil
}

// addrs parses entries that Validate accepted.
func (m *Mail) addrs(l []string) ([]*mail.Address, error) {
	out := make([]*mail.Address, 0, len(l))
	for _, s := range l {
		a, err := m.addr(s)
		if err != nil {
			return nil, &MessageError{Msg: fmt.Sprintf("entry %q is not an e-mail address (%v)", s, err)}
		}
		out = append(out, a)
	}
	return out, nil
}

// newMessageID returns <random hex>@<domain of from>, or @dtsx.local when
// from has no plain ASCII domain.
func newMessageID(from string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	domain := "dtsx.local"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && isMsgIDDomain(from[i+1:]) {
		domain = from[i+1:]
	}
	return hex.EncodeToString(b[:]) + "@" + domain
}

// isMsgIDDomain reports whether d is an ASCII dot-atom host name.
func isMsgIDDomain(d string) bool {
	if d == "" || d[0] == '.' || d[len(d)-1] == '.' || strings.Contains(d, "..") {
		return false
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

var _ io.WriterTo = (*Mail)(nil)
