// Package samples holds runnable packages with their expected results; this
// test checks each one, so the samples cannot rot.
package samples_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gomail "github.com/emersion/go-message/mail"

	"github.com/dtsx-run/dtsx/internal/capture"
	"github.com/dtsx-run/dtsx/runtime"
)

// sampleMail is a delivered message as the test reads it back (headers and
// body decoded).
type sampleMail struct {
	From, To, Subject, Priority string
	// Body is the whole text, or with a trailing "…" a prefix of it.
	Body string
}

// expected are the results each sample must give (README.md lists them).
var expected = map[string]struct {
	status runtime.Status
	mails  []sampleMail
}{
	"hello-mail.dtsx": {runtime.Success, []sampleMail{{From: "dtsx@example.com", To: "ops@example.com",
		Subject: "Hello from dtsx", Body: "This mail was sent by an SSIS package running on Linux."}}},
	"japanese-notice.dtsx": {runtime.Success, []sampleMail{{From: "dtsx@example.com", To: "運用チーム <ops@example.com>",
		Subject: "週次レポート：夜間バッチ完了", Body: "本日の夜間バッチは正常に終了しました。処理件数：42 件"}}},
	// The report task fails (its attachment is missing, so nothing is sent);
	// the OnError handler mails System::ErrorDescription; the package fails.
	"onerror-alert.dtsx": {runtime.Failure, []sampleMail{{From: "dtsx@example.com", To: "oncall@example.com",
		Subject: "Package onerror-alert failed", Priority: "1",
		Body: "send mail: attachment /nonexistent/daily-report.csv: …"}}},
}

func TestSamplesValidate(t *testing.T) {
	files, _ := filepath.Glob("*.dtsx")
	if len(files) < len(expected) {
		t.Fatalf("found %d samples, want at least %d", len(files), len(expected))
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			if _, ok := expected[f]; !ok {
				t.Fatalf("%s has no expectations in samples_test.go and README.md", f)
			}
			pkgs, pr, err := runtime.Open(f, "")
			if err != nil {
				t.Fatal(err)
			}
			if ds := runtime.Build(pkgs[0], runtime.Options{Project: pr}).Validate(context.Background()); len(ds) != 0 {
				t.Fatalf("a sample must validate cleanly: %v", ds)
			}
			if pkgs[0].Format != 8 {
				t.Errorf("format %d, want 8", pkgs[0].Format)
			}
		})
	}
}

// TestSamplesRunInCapture runs each sample in capture mode and compares the
// delivered messages with the package, field by field, decoded.
func TestSamplesRunInCapture(t *testing.T) {
	t.Setenv("DTSX_SMTP_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
	for f, want := range expected {
		t.Run(f, func(t *testing.T) {
			srv, err := capture.Start(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			pkgs, pr, err := runtime.Open(f, "")
			if err != nil {
				t.Fatal(err)
			}
			rp := runtime.Build(pkgs[0], runtime.Options{Project: pr})
			srv.Redirect(rp.Connections.All())
			rep := rp.Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1})
			if rep.Status != want.status {
				t.Fatalf("status %v, want %v: %+v", rep.Status, want.status, rep.Errors)
			}
			files := srv.Files()
			if len(files) != len(want.mails) {
				t.Fatalf("%d messages, want %d", len(files), len(want.mails))
			}
			for i, w := range want.mails {
				if got := readMail(t, files[i]); !matches(got, w) {
					t.Errorf("message %d = %+v, want %+v", i, got, w)
				}
			}
		})
	}
}

func matches(got, want sampleMail) bool {
	if prefix, ok := strings.CutSuffix(want.Body, "…"); ok {
		if !strings.HasPrefix(got.Body, prefix) {
			return false
		}
		got.Body, want.Body = "", ""
	}
	return got == want
}

func readMail(t *testing.T, path string) sampleMail {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := gomail.CreateReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var m sampleMail
	from, _ := r.Header.AddressList("From")
	to, _ := r.Header.AddressList("To")
	if len(from) == 1 && len(to) == 1 {
		m.From = from[0].Address
		m.To = to[0].Address
		if to[0].Name != "" {
			m.To = to[0].Name + " <" + to[0].Address + ">"
		}
	}
	m.Subject, _ = r.Header.Subject()
	m.Priority = r.Header.Get("X-Priority")
	p, err := r.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(p.Body)
	m.Body = strings.TrimSpace(string(b))
	return m
}
