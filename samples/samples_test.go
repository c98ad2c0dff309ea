// Package samples holds runnable packages with their expected results; this
// test checks each one, so the samples cannot rot.
package samples_test

import (
	"bytes"
	"context"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/capture"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks/builtin"
	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

// expected are the Send Mail properties each sample must carry (README.md).
var expected = map[string][]sendmail.Properties{
	"hello-mail.dtsx": {{FromLine: "dtsx@example.com", ToLine: "ops@example.com", Subject: "Hello from dtsx",
		MessageSource: "This mail was sent by an SSIS package running on Linux.", Priority: sendmail.Normal}},
}

func TestSamplesValidate(t *testing.T) {
	files, _ := filepath.Glob("*.dtsx")
	if len(files) < len(expected) {
		t.Fatalf("found %d samples, want at least %d", len(files), len(expected))
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			pkgs, pr, err := runtime.Open(f, "")
			if err != nil {
				t.Fatal(err)
			}
			rp := runtime.Build(pkgs[0], runtime.Options{Project: pr, Connections: connections.Builtin(), Tasks: builtin.Tasks()})
			if ds := rp.Validate(context.Background()); len(ds) != 0 {
				t.Fatalf("a sample must validate cleanly: %v", ds)
			}
			if pkgs[0].Format != 8 {
				t.Errorf("format %d, want 8", pkgs[0].Format)
			}
			want, ok := expected[f]
			if !ok {
				t.Fatalf("%s has no expectations in samples_test.go and README.md", f)
			}
			var got []sendmail.Properties
			pkgs[0].Walk(func(x *dtsx.Executable) bool {
				if sm, ok := rp.Tasks[x].(*sendmail.Task); ok {
					p := sm.Props
					if _, err := rp.Connection(p.SmtpConnection); err != nil {
						t.Errorf("%s: %v", x.RefID, err)
					}
					p.SmtpConnection = ""
					got = append(got, p)
				}
				return true
			})
			if len(got) != len(want) {
				t.Fatalf("%d Send Mail tasks, want %d", len(got), len(want))
			}
			for i := range want {
				if !equalProps(got[i], want[i]) {
					t.Errorf("task %d = %+v, want %+v", i, got[i], want[i])
				}
			}
		})
	}
}

func equalProps(a, b sendmail.Properties) bool { return reflect.DeepEqual(a, b) }

// TestSamplesRunInCapture runs each sample in capture mode and compares the
// delivered message with the package, field by field.
func TestSamplesRunInCapture(t *testing.T) {
	t.Setenv("DTSX_SMTP_ALLOWED_HOSTS", "127.0.0.1,::1,localhost")
	for f, want := range expected {
		t.Run(f, func(t *testing.T) {
			dir := t.TempDir()
			srv, err := capture.Start(dir)
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
			if rep.Status != runtime.Success {
				t.Fatalf("status %v: %+v", rep.Status, rep.Errors)
			}
			files := srv.Files()
			if len(files) != len(want) {
				t.Fatalf("%d messages, want %d", len(files), len(want))
			}
			for i, w := range want {
				data, _ := os.ReadFile(files[i])
				m, err := mail.ReadMessage(bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(m.Body)
				if m.Header.Get("From") != "<"+w.FromLine+">" || m.Header.Get("To") != "<"+w.ToLine+">" ||
					m.Header.Get("Subject") != w.Subject || strings.TrimSpace(string(b)) != w.MessageSource {
					t.Errorf("message %d: %v %q, want %+v", i, m.Header, b, w)
				}
			}
		})
	}
}
