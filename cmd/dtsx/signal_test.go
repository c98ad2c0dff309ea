package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestMain lets a test run the command in a child process (to send it a
// signal): with DTSX_TEST_RUN_MAIN=1 the test binary is the command.
func TestMain(m *testing.M) {
	testfence.Set() // the tests and the runs of the test binary as dtsx
	if os.Getenv("DTSX_TEST_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestRunSignalCancels: SIGINT or SIGTERM while a Send Mail task waits on a
// server that never answers cancels the run cleanly: the connection is
// closed, the summary says DTSER_CANCELED and the exit code is 3.
func TestRunSignalCancels(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			srv := smtptest.NewServer(t, smtptest.Options{Faults: []smtptest.Fault{{Stage: smtptest.Greeting, Stall: true}}})
			cmd := exec.Command(os.Args[0], "run", "--conn", "SMTP Connection Manager;SmtpServer="+srv.Addr()+";Timeout=600;",
				"../../samples/hello-mail.dtsx")
			cmd.Env = append(os.Environ(), "DTSX_TEST_RUN_MAIN=1", "DTSX_SMTP_ALLOWED_HOSTS=127.0.0.1,::1,localhost")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			sc := bufio.NewScanner(stdout)
			for sc.Scan() { // wait until the task is connecting
				out.WriteString(sc.Text() + "\n")
				if strings.Contains(sc.Text(), "% connecting to") {
					break
				}
			}
			// The server stalls and Timeout is 600 s: only the signal ends
			// the run before the test's own deadline.
			cmd.Process.Signal(sig)
			for sc.Scan() {
				out.WriteString(sc.Text() + "\n")
			}
			err = cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 3 {
				t.Fatalf("exit %v, want 3:\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "DTSER_CANCELED (3)") {
				t.Errorf("no cancelled summary:\n%s", out.String())
			}
		})
	}
}
