// Package realsmtp gives tests the real servers that
// ../shared/smtp-servers/start.sh runs on loopback (Postfix with Cyrus SASL,
// STARTTLS, implicit TLS, smtp-sink). They are used when DTSX_REAL_SMTP=1;
// then a missing server fails the test instead of skipping it.
package realsmtp

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Env returns the variables of the servers' env file (ports, users, the
// certificate, the Maildir), or skips the test when DTSX_REAL_SMTP is not 1.
func Env(t testing.TB) map[string]string {
	t.Helper()
	if os.Getenv("DTSX_REAL_SMTP") != "1" {
		t.Skip("real-server test: set DTSX_REAL_SMTP=1 after ../shared/smtp-servers/start.sh")
	}
	state := os.Getenv("SMTP_INFRA_STATE")
	if state == "" {
		state = filepath.Join(os.TempDir(), "dtsx-smtp-servers")
	}
	f, err := os.Open(filepath.Join(state, "env"))
	if err != nil {
		t.Fatalf("DTSX_REAL_SMTP=1 but the servers' env file is missing: %v", err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if k, v, ok := strings.Cut(fields[0], "="); ok {
			env[k] = strings.Trim(v, `'"`)
		}
	}
	return env
}

// Delivered waits for Postfix to deliver the message with this Message-Id
// to the catch-all Maildir and returns its file (Postfix delivers shortly
// after it answered 250 to DATA). The test fails if it never arrives.
func Delivered(t testing.TB, env map[string]string, messageID string) string {
	t.Helper()
	if messageID == "" {
		t.Fatal("realsmtp.Delivered: no Message-Id to look for")
	}
	dirNew := filepath.Join(env["SMTP_INFRA_MAILDIR"], "new")
	needle := []byte(strings.Trim(messageID, "<>"))
	for try := 0; try < 100; try++ {
		if try > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		files, _ := os.ReadDir(dirNew)
		for _, f := range files {
			data, _ := os.ReadFile(filepath.Join(dirNew, f.Name()))
			if bytes.Contains(data, needle) {
				return filepath.Join(dirNew, f.Name())
			}
		}
	}
	t.Fatalf("message %s not in the Maildir %s after 10 s", messageID, dirNew)
	return ""
}
