package sendmail_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fixedDate and fixedID make the rendered messages reproducible.
var fixedDate = time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("JST", 9*3600))

const fixedID = "0123456789abcdef0123456789abcdef@example.com"

// pdf is a minimal PDF with bytes a text conversion would damage.
var pdf = []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\r\ntrailer<<>>\n%%EOF\x00\xff")

// mails are the golden cases; each is rendered to testdata/message/NAME.eml
// with its multipart boundary replaced by BOUNDARY.
func mails() []struct {
	name string
	m    sendmail.Mail
} {
	return []struct {
		name string
		m    sendmail.Mail
	}{
		{"ascii", sendmail.Mail{
			From: "ETL <etl@example.com>", To: []string{"ops@example.com", "Ops Team <team@example.com>"},
			CC: []string{"audit@example.com"}, BCC: []string{"archive@example.com"},
			Subject: "Nightly load: 42 rows", Body: "The job finished.\nNo errors.\n", Priority: sendmail.Normal,
		}},
		{"japanese", sendmail.Mail{
			From: "山田 太郎 <taro@example.co.jp>", To: []string{"ops@example.co.jp"},
			Subject: "週次レポート：処理件数 42 件", Body: "本日のジョブは正常に終了しました。\n処理件数：42 件\n",
		}},
		{"display-names", sendmail.Mail{
			From: "Zoë Ångström <zoe@example.se>", To: []string{`"Doe, John" <jd@example.com>`, "José Müller <jose@example.de>"},
			CC: []string{"=?utf-8?q?Fran=C3=A7ois?= <francois@example.fr>"}, Subject: "Café", Body: "Grüße\n",
		}},
		{"priority-high", sendmail.Mail{From: "etl@example.com", To: []string{"ops@example.com"}, Subject: "Failed", Body: "x\n", Priority: sendmail.High}},
		{"priority-low", sendmail.Mail{From: "etl@example.com", To: []string{"ops@example.com"}, Subject: "FYI", Body: "x\n", Priority: sendmail.Low}},
		{"attachments", sendmail.Mail{
			From: "etl@example.com", To: []string{"ops@example.com"}, Subject: "Extracts", Body: "Three files.\n",
			Attachments: []sendmail.Attachment{
				{Name: "rows.csv", Path: `C:\out\rows.csv`, Data: []byte("id;name\r\n1;Zoë\r\n")},
				{Name: "report.pdf", Path: "/out/report.pdf", Data: pdf},
				{Path: `D:\Exports\Relevé des ventes été.xlsx`, Data: []byte("PK\x03\x04 not really a workbook")},
			},
		}},
	}
}

// render writes m with the fixed Date and Message-ID and returns the bytes
// and the multipart boundary ("" for a single part).
func render(t *testing.T, m sendmail.Mail) ([]byte, string) {
	t.Helper()
	m.Date, m.MessageID = fixedDate, fixedID
	var b bytes.Buffer
	n, err := m.WriteTo(&b)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if n != int64(b.Len()) {
		t.Errorf("WriteTo returned %d, wrote %d bytes", n, b.Len())
	}
	r, err := mail.CreateReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("reading the message back: %v", err)
	}
	_, params, _ := r.Header.ContentType()
	return b.Bytes(), params["boundary"]
}

// TestWriteToGolden compares the rendered messages with testdata/message
// (go test -run TestWriteToGolden -update rewrites them).
func TestWriteToGolden(t *testing.T) {
	for _, tt := range mails() {
		t.Run(tt.name, func(t *testing.T) {
			out, boundary := render(t, tt.m)
			if boundary != "" {
				out = bytes.ReplaceAll(out, []byte(boundary), []byte("BOUNDARY"))
			}
			golden := filepath.Join("testdata", "message", tt.name+".eml")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("%s differs (run with -update after checking):\n--- got\n%s\n--- want\n%s", golden, out, want)
			}
		})
	}
}

// TestWriteToWire checks what every message must be on the wire: CRLF line
// ends only, lines within RFC 5322's 998 characters, ASCII only (non-ASCII
// goes into encoded-words, quoted-printable or base64), MIME-Version, Date
// and Message-ID present, and neither a Bcc header nor a BCC address.
func TestWriteToWire(t *testing.T) {
	for _, tt := range mails() {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := render(t, tt.m)
			if !bytes.HasSuffix(out, []byte("\r\n")) {
				t.Error("the message does not end with CRLF")
			}
			for i, line := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
				if strings.ContainsAny(line, "\r\n") {
					t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
				}
				if len(line) > 998 {
					t.Errorf("line %d is %d characters", i+1, len(line))
				}
				for _, c := range []byte(line) {
					if c >= 0x80 {
						t.Errorf("line %d is not ASCII: %q", i+1, line)
						break
					}
				}
			}
			head, _, _ := strings.Cut(string(out), "\r\n\r\n")
			for _, k := range []string{"Mime-Version: 1.0", "Date: ", "Message-Id: <"} {
				if !strings.Contains("\r\n"+head, "\r\n"+k) {
					t.Errorf("no %q header in\n%s", k, head)
				}
			}
			if regexp.MustCompile(`(?im)^bcc:`).MatchString(string(out)) {
				t.Errorf("a Bcc header was written:\n%s", head)
			}
			for _, a := range tt.m.BCC {
				if strings.Contains(string(out), a) {
					t.Errorf("BCC recipient %q appears in the message", a)
				}
			}
		})
	}
}

// TestWriteToRoundTrip reads each message back with go-message and compares
// the structure: headers decoded, the text part first, then the
// attachments with their type, name and bytes.
func TestWriteToRoundTrip(t *testing.T) {
	prio := map[sendmail.Priority][3]string{ // X-Priority, Importance, Priority
		sendmail.High:   {"1", "high", "urgent"},
		sendmail.Normal: {"", "", ""},
		sendmail.Low:    {"5", "low", "non-urgent"},
	}
	for _, tt := range mails() {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m
			out, _ := render(t, m)
			r, err := mail.CreateReader(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			h := r.Header
			if s, err := h.Subject(); err != nil || s != m.Subject {
				t.Errorf("Subject = %q, %v; want %q", s, err, m.Subject)
			}
			if d, err := h.Date(); err != nil || !d.Equal(fixedDate) {
				t.Errorf("Date = %v, %v; want %v", d, err, fixedDate)
			}
			if id, err := h.MessageID(); err != nil || id != fixedID {
				t.Errorf("Message-ID = %q, %v; want %q", id, err, fixedID)
			}
			for _, f := range []struct {
				key  string
				want []string
			}{{"From", []string{m.From}}, {"To", m.To}, {"Cc", m.CC}, {"Bcc", nil}} {
				got, err := h.AddressList(f.key)
				if err != nil {
					t.Errorf("%s: %v", f.key, err)
				}
				if len(got) != len(f.want) {
					t.Errorf("%s = %v; want %v", f.key, got, f.want)
					continue
				}
				for i, w := range f.want {
					wa, _ := mail.ParseAddress(w)
					if got[i].Name != wa.Name || got[i].Address != wa.Address {
						t.Errorf("%s[%d] = %q <%s>; want %q <%s>", f.key, i, got[i].Name, got[i].Address, wa.Name, wa.Address)
					}
				}
			}
			p := prio[m.Priority]
			for i, k := range []string{"X-Priority", "Importance", "Priority"} {
				if got := h.Get(k); got != p[i] {
					t.Errorf("%s = %q; want %q", k, got, p[i])
				}
			}

			part, err := r.NextPart()
			if err != nil {
				t.Fatal(err)
			}
			ih, ok := part.Header.(*mail.InlineHeader)
			if !ok {
				t.Fatalf("first part is %T, want the text", part.Header)
			}
			if ct, params, _ := ih.ContentType(); ct != "text/plain" || params["charset"] != "utf-8" {
				t.Errorf("text part Content-Type = %s %v", ct, params)
			}
			body, _ := io.ReadAll(part.Body)
			if want := strings.ReplaceAll(m.Body, "\n", "\r\n"); string(body) != want {
				t.Errorf("body = %q; want %q", body, want)
			}

			wantTypes := []string{"text/csv", "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
			wantNames := []string{"rows.csv", "report.pdf", "Relevé des ventes été.xlsx"}
			for i, a := range m.Attachments {
				part, err := r.NextPart()
				if err != nil {
					t.Fatalf("attachment %d: %v", i, err)
				}
				ah, ok := part.Header.(*mail.AttachmentHeader)
				if !ok {
					t.Fatalf("attachment %d is %T", i, part.Header)
				}
				if name, err := ah.Filename(); err != nil || name != wantNames[i] {
					t.Errorf("attachment %d file name = %q, %v; want %q", i, name, err, wantNames[i])
				}
				ct, params, _ := ah.ContentType()
				if ct != wantTypes[i] || params["name"] != wantNames[i] {
					t.Errorf("attachment %d Content-Type = %s %v; want %s name=%q", i, ct, params, wantTypes[i], wantNames[i])
				}
				data, _ := io.ReadAll(part.Body)
				if !bytes.Equal(data, a.Data) {
					t.Errorf("attachment %d bytes = %q; want %q", i, data, a.Data)
				}
			}
			if _, err := r.NextPart(); err != io.EOF {
				t.Errorf("after the last part: %v; want io.EOF", err)
			}
		})
	}
}

func TestAttachmentContentType(t *testing.T) {
	tests := []struct{ name, ct, want string }{
		{"data.bin.unknownext", "", "application/octet-stream"},
		{"noext", "", "application/octet-stream"},
		{"REPORT.PDF", "", "application/pdf"},
		{"x.csv", "text/plain; charset=UTF-8; format=flowed", "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := sendmail.Mail{From: "a@example.com", To: []string{"b@example.com"}, Date: fixedDate, MessageID: fixedID,
				Attachments: []sendmail.Attachment{{Name: tt.name, ContentType: tt.ct, Data: []byte("x")}}}
			var b bytes.Buffer
			if _, err := m.WriteTo(&b); err != nil {
				t.Fatal(err)
			}
			r, _ := mail.CreateReader(&b)
			if _, err := r.NextPart(); err != nil {
				t.Fatal(err)
			}
			p, err := r.NextPart()
			if err != nil {
				t.Fatal(err)
			}
			got, params, _ := p.Header.(*mail.AttachmentHeader).ContentType()
			if got != tt.want {
				t.Errorf("Content-Type = %s %v; want %s", got, params, tt.want)
			}
			if tt.ct != "" && (params["charset"] != "UTF-8" || params["format"] != "flowed") {
				t.Errorf("an explicit Content-Type lost its parameters: %v", params)
			}
		})
	}
}

func TestSplitAddresses(t *testing.T) {
	tests := []struct {
		line string
		want []string
		bad  string // the entry the error quotes; "" = no error
	}{
		{"", nil, ""},
		{" ; ,, ", nil, ""},
		{"a@example.com", []string{"a@example.com"}, ""},
		{"a@example.com;b@example.com", []string{"a@example.com", "b@example.com"}, ""},
		{" a@example.com , b@example.com ;c@example.com; ", []string{"a@example.com", "b@example.com", "c@example.com"}, ""},
		{"Ops Team <ops@example.com>; Zoë <zoe@example.se>", []string{"Ops Team <ops@example.com>", "Zoë <zoe@example.se>"}, ""},
		{`"Doe, John" <jd@example.com>, "a;b" <ab@example.com>`, []string{`"Doe, John" <jd@example.com>`, `"a;b" <ab@example.com>`}, ""},
		{`"Doe \"JD\", John" <jd@example.com>;x@example.com`, []string{`"Doe \"JD\", John" <jd@example.com>`, "x@example.com"}, ""},
		{`jd@example.com (Doe, John); x@example.com`, []string{`jd@example.com (Doe, John)`, "x@example.com"}, ""},
		{"a@example.com;not an address", nil, "not an address"},
		{"a@example.com;b@", nil, "b@"},
		{"a@example.com;Ops <ops@example.com", nil, "Ops <ops@example.com"},
		{"a@b.com\r\nBcc: evil@x.com", nil, "a@b.com\\r\\nBcc: evil@x.com"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, err := sendmail.SplitAddresses(tt.line)
			if tt.bad != "" {
				var me *sendmail.MessageError
				if !errors.Is(err, sendmail.ErrInvalidMessage) || !errors.As(err, &me) || !strings.Contains(err.Error(), `"`+tt.bad+`"`) {
					t.Fatalf("SplitAddresses(%q) error = %v; want a *MessageError quoting %q", tt.line, err, tt.bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("SplitAddresses(%q) = %q; want %q", tt.line, got, tt.want)
			}
		})
	}
}

func TestMailValidate(t *testing.T) {
	ok := func() sendmail.Mail {
		return sendmail.Mail{From: "etl@example.com", To: []string{"ops@example.com"}, Subject: "s", Body: "b"}
	}
	const inject = "a@b.com\r\nBcc: evil@x.com"
	addr := func(n int) string { return strings.Repeat("a", n-len("@x.com")) + "@x.com" }
	tests := []struct {
		name  string
		edit  func(*sendmail.Mail)
		field string // "" = valid
	}{
		{"valid", func(*sendmail.Mail) {}, ""},
		{"BCC only", func(m *sendmail.Mail) { m.To, m.BCC = nil, []string{"b@example.com"} }, ""},
		{"injection in From", func(m *sendmail.Mail) { m.From = inject }, "FromLine"},
		{"injection in To", func(m *sendmail.Mail) { m.To = append(m.To, inject) }, "ToLine"},
		{"injection in CC", func(m *sendmail.Mail) { m.CC = []string{inject} }, "CCLine"},
		{"injection in BCC", func(m *sendmail.Mail) { m.BCC = []string{inject} }, "BCCLine"},
		{"LF in Subject", func(m *sendmail.Mail) { m.Subject = "Report\nBcc: evil@x.com" }, "Subject"},
		{"CR in Subject", func(m *sendmail.Mail) { m.Subject = "Report\rX-Evil: 1" }, "Subject"},
		{"injection in an attachment name", func(m *sendmail.Mail) {
			m.Attachments = []sendmail.Attachment{{Name: "a.csv\r\nContent-Type: text/html", Data: []byte("x")}}
		}, "FileAttachments"},
		{"bad attachment content type", func(m *sendmail.Mail) {
			m.Attachments = []sendmail.Attachment{{Name: "a.csv", ContentType: "text csv", Data: []byte("x")}}
		}, "FileAttachments"},
		{"attachment charset go-message cannot declare", func(m *sendmail.Mail) {
			m.Attachments = []sendmail.Attachment{{Name: "a.csv", ContentType: "text/csv; charset=windows-1252", Data: []byte("x")}}
		}, "FileAttachments"},
		{"injection in an attachment path used as its name", func(m *sendmail.Mail) {
			m.Attachments = []sendmail.Attachment{{Path: "/tmp/a\nb.csv", Data: []byte("x")}}
		}, "FileAttachments"},
		{"injection in MessageID", func(m *sendmail.Mail) { m.MessageID = "x@y\r\nBcc: evil@x.com" }, "MessageID"},
		{"empty From", func(m *sendmail.Mail) { m.From = " " }, "FromLine"},
		{"bad From", func(m *sendmail.Mail) { m.From = "etl" }, "FromLine"},
		{"bad To", func(m *sendmail.Mail) { m.To = []string{"ops@"} }, "ToLine"},
		{"no recipient", func(m *sendmail.Mail) { m.To = nil }, "ToLine"},
		{"To of 256", func(m *sendmail.Mail) { m.To = []string{addr(256)} }, ""},
		{"To of 257", func(m *sendmail.Mail) { m.To = []string{addr(257)} }, "ToLine"},
		{"CC of 256 joined", func(m *sendmail.Mail) { m.CC = []string{addr(128), addr(127)} }, ""},
		{"CC of 257 joined", func(m *sendmail.Mail) { m.CC = []string{addr(128), addr(128)} }, "CCLine"},
		{"BCC of 257", func(m *sendmail.Mail) { m.BCC = []string{addr(257)} }, "BCCLine"},
		// 256 characters as .NET counts them, 376 bytes in UTF-8.
		{"To of 256 non-ASCII characters", func(m *sendmail.Mail) {
			m.To = []string{strings.Repeat("é", 256-len(" <a@x.com>")) + " <a@x.com>"}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok()
			tt.edit(&m)
			err := m.Validate()
			var b bytes.Buffer
			_, werr := m.WriteTo(&b)
			if tt.field == "" {
				if err != nil || werr != nil {
					t.Fatalf("Validate = %v, WriteTo = %v; want both nil", err, werr)
				}
				return
			}
			var me *sendmail.MessageError
			if !errors.Is(err, sendmail.ErrInvalidMessage) || !errors.As(err, &me) || me.Field != tt.field {
				t.Fatalf("Validate = %#v; want a *MessageError for %s", err, tt.field)
			}
			if !strings.HasPrefix(err.Error(), tt.field+" ") {
				t.Errorf("error %q does not name %s first", err, tt.field)
			}
			if werr == nil || b.Len() != 0 {
				t.Errorf("WriteTo = %v and wrote %d bytes; want the error and nothing written", werr, b.Len())
			}
		})
	}
}

func TestMailRecipients(t *testing.T) {
	m := sendmail.Mail{
		From: "ETL <etl@example.com>",
		To:   []string{"Ops <ops@example.com>", "dev@example.com", "OPS@Example.com"},
		CC:   []string{"dev@EXAMPLE.com", "audit@example.com"},
		BCC:  []string{"Archive <archive@example.com>", "Ops@example.com", "bad@"},
	}
	want := []string{"ops@example.com", "dev@example.com", "audit@example.com", "archive@example.com"}
	if got := m.Recipients(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Recipients = %q; want %q", got, want)
	}
	if got := m.EnvelopeFrom(); got != "etl@example.com" {
		t.Errorf("EnvelopeFrom = %q", got)
	}
	if got := (&sendmail.Mail{From: "nope"}).EnvelopeFrom(); got != "" {
		t.Errorf("EnvelopeFrom of a bad From = %q; want empty", got)
	}
}

// TestGeneratedMessageID: an empty MessageID becomes <hex>@<domain of From>
// (dtsx.local when that domain is not a plain host name), and WriteTo keeps
// it so a second write (a retry) sends the same message; a zero Date
// becomes the current time.
func TestGeneratedMessageID(t *testing.T) {
	for _, tt := range []struct{ from, domain string }{
		{"ETL <etl@Example.com>", "Example.com"},
		{"etl@[192.0.2.1]", "dtsx.local"},
		{"etl@bücher.example", "dtsx.local"},
	} {
		t.Run(tt.from, func(t *testing.T) {
			m := sendmail.Mail{From: tt.from, To: []string{"ops@example.com"}, Subject: "s"}
			var a, b bytes.Buffer
			before := time.Now().Add(-time.Second)
			if _, err := m.WriteTo(&a); err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`^[0-9a-f]{32}@` + regexp.QuoteMeta(tt.domain) + `$`).MatchString(m.MessageID) {
				t.Errorf("MessageID = %q; want <32 hex>@%s", m.MessageID, tt.domain)
			}
			if m.Date.Before(before) || m.Date.After(time.Now()) {
				t.Errorf("Date = %v; want now", m.Date)
			}
			if _, err := m.WriteTo(&b); err != nil {
				t.Fatal(err)
			}
			ra, _ := mail.CreateReader(&a)
			rb, _ := mail.CreateReader(&b)
			ida, _ := ra.Header.MessageID()
			idb, _ := rb.Header.MessageID()
			if ida != m.MessageID || idb != ida {
				t.Errorf("Message-IDs written %q and %q; want %q twice", ida, idb, m.MessageID)
			}
		})
	}
	other := sendmail.Mail{From: "etl@example.com", To: []string{"ops@example.com"}}
	first := sendmail.Mail{From: "etl@example.com", To: []string{"ops@example.com"}}
	_, _ = other.WriteTo(io.Discard)
	_, _ = first.WriteTo(io.Discard)
	if other.MessageID == first.MessageID {
		t.Errorf("two mails got the same Message-ID %q", first.MessageID)
	}
}

func TestMessageIDBrackets(t *testing.T) {
	m := sendmail.Mail{From: "etl@example.com", To: []string{"ops@example.com"}, MessageID: "<abc@example.com>", Date: fixedDate}
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\r\nMessage-Id: <abc@example.com>\r\n") {
		t.Errorf("Message-Id not written once bracketed:\n%s", b.String())
	}
}
