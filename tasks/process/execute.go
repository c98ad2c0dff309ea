package process

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/tasks"
)

// Errors of a run (errors.Is), wrapped with the task and the command.
var (
	// ErrNotFound: the executable or the working directory does not exist.
	ErrNotFound = errors.New("process: not found")
	// ErrExitCode: the exit code is not SuccessValue and
	// FailTaskIfReturnCodeIsNotSuccessValue is True.
	ErrExitCode = errors.New("process: unexpected exit code")
	// ErrTimeout: the process ran longer than TimeOut.
	ErrTimeout = errors.New("process: the process timed out")
)

// waitDelay bounds the wait for the output pipes once the process has
// exited or been killed: a background child that inherited them must not
// hold the task.
const waitDelay = 2 * time.Second

// tailLimit is how much of a stream that goes to no variable is kept for
// error messages.
const tailLimit = 4 << 10

// tail keeps the last tailLimit bytes written to it.
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > tailLimit {
		t.b = append(t.b[:0], t.b[len(t.b)-tailLimit:]...)
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.b) }

// Execute runs the process: it finds the executable (a path, mapped by
// LocalPath; a bare name in WorkingDirectory, then in PATH; a name ending
// in .exe also without it), splits Arguments as CommandLineToArgvW does,
// feeds StandardInputVariable to standard input, waits for the exit, the
// time-out or the end of ctx, stores standard output and error in their
// variables and the exit code in ExecValueVariable, and checks the exit
// code against SuccessValue. When ctx ends the process and its process
// group are killed. The environment is the runtime's own.
func (t *Task) Execute(ctx context.Context, env tasks.RunEnv) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p := t.Props
	if err := t.ProblemError(); err != nil {
		return t.Errorf("%w", err)
	}
	exe := strings.TrimSpace(p.Executable)
	if exe == "" {
		return t.Errorf("the executable is not specified")
	}
	if why := windowsOnly(exe); why != "" {
		return t.Errorf("Executable %s cannot run here: %s; %s: %w", exe, why, windowsOnlyHint, ErrWindowsOnly)
	}
	if err := t.redirectConflict(); err != nil {
		return t.Errorf("%w", err)
	}
	dir := ""
	if wd := strings.TrimSpace(p.WorkingDirectory); wd != "" {
		dir = env.LocalPath(wd)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return t.Errorf("working directory %s does not exist: %w", describe(wd, dir), ErrNotFound)
		}
	}
	path, err := findExecutable(env, exe, dir)
	if err != nil {
		return t.Errorf("%w", err)
	}
	args := SplitCommandLine(p.Arguments)
	cmdline := JoinCommandLine(append([]string{path}, MaskArguments(args)...)) // shown, never run

	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	cmd.WaitDelay = waitDelay
	setProcessGroup(cmd)
	if v := p.StandardInputVariable; v != "" {
		in, err := t.text(env, v)
		if err != nil {
			return t.Errorf("standard input variable %s: %w", v, err)
		}
		cmd.Stdin = strings.NewReader(in)
	}
	var outBuf, errBuf bytes.Buffer
	outTail, errTail := &tail{}, &tail{}
	cmd.Stdout, cmd.Stderr = io.Writer(outTail), io.Writer(errTail)
	if p.StandardOutputVariable != "" {
		cmd.Stdout = &outBuf
	}
	if p.StandardErrorVariable != "" {
		cmd.Stderr = &errBuf
	}

	if err := cmd.Start(); err != nil {
		return t.Errorf("starting %s: %w", cmdline, err)
	}
	env.Progress(0, fmt.Sprintf("started %s (pid %d)", cmdline, cmd.Process.Pid))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var timeout <-chan time.Time
	if p.TimeOut > 0 {
		timer := time.NewTimer(time.Duration(p.TimeOut) * time.Second)
		defer timer.Stop()
		timeout = timer.C
	}
	var waitErr error
	select {
	case waitErr = <-done:
	case <-ctx.Done():
		killProcessGroup(cmd)
		<-done
		return t.Errorf("%s was killed: %w", cmdline, ctx.Err())
	case <-timeout:
		if !p.TerminateProcessAfterTimeOut {
			// done is buffered: the goroutine reaps the process when it ends.
			return t.Errorf("%s ran longer than TimeOut (%d s) and is left running (TerminateProcessAfterTimeOut is False): %w",
				cmdline, p.TimeOut, ErrTimeout)
		}
		killProcessGroup(cmd)
		<-done
		return t.Errorf("%s ran longer than TimeOut (%d s) and was terminated: %w", cmdline, p.TimeOut, ErrTimeout)
	}

	var exitErr *exec.ExitError
	switch {
	case waitErr == nil:
	case errors.As(waitErr, &exitErr):
	case errors.Is(waitErr, exec.ErrWaitDelay):
		env.Warn(fmt.Sprintf("%s exited, but a process it started kept its output open; the output may be incomplete", cmdline))
	default:
		return t.Errorf("%s: %w", cmdline, waitErr)
	}
	code := cmd.ProcessState.ExitCode()
	if sig := signalOf(cmd.ProcessState); sig != "" {
		return t.Errorf("%s was killed by signal %s%s", cmdline, sig, stderrTail(errTail, &errBuf))
	}

	for _, o := range []struct {
		role, variable string
		buf            *bytes.Buffer
	}{{"standard output", p.StandardOutputVariable, &outBuf}, {"standard error", p.StandardErrorVariable, &errBuf}} {
		if o.variable == "" {
			continue
		}
		if err := env.SetVariable(o.variable, expr.Str(o.buf.String())); err != nil {
			return t.Errorf("storing the %s of %s in %s: %w", o.role, cmdline, o.variable, err)
		}
	}
	if v := strings.TrimSpace(t.ExecValueVariable); strings.HasPrefix(v, "{") {
		env.Warn(fmt.Sprintf("ExecValueVariable %s names a variable by its DTSID, which this runtime cannot resolve; the exit code %d is not stored", v, code))
	} else if v != "" {
		if err := env.SetVariable(v, expr.I4(int32(code))); err != nil {
			return t.Errorf("storing the exit code %d in ExecValueVariable %s: %w", code, v, err)
		}
	}
	env.Record(tasks.Record{Kind: "process", Data: map[string]any{"command": cmdline, "dir": dir, "exitCode": code}})
	env.Progress(100, fmt.Sprintf("exited with code %d", code))
	if code != p.SuccessValue && p.FailTaskIfReturnCodeIsNotSuccessValue {
		where := ""
		if dir != "" {
			where = " in " + dir
		}
		return t.Errorf("%s%s exited with code %d, but SuccessValue is %d%s: %w",
			cmdline, where, code, p.SuccessValue, stderrTail(errTail, &errBuf), ErrExitCode)
	}
	env.Info(fmt.Sprintf("%s exited with code %d", cmdline, code))
	return nil
}

// text returns a variable's value as text: a string as it is, another
// value as the expression language writes it.
func (t *Task) text(env tasks.RunEnv, name string) (string, error) {
	v, err := env.Variable(name)
	if err != nil {
		return "", err
	}
	if s, ok := v.Text(); ok {
		return s, nil
	}
	if v.IsNull() {
		return "", nil
	}
	return v.String(), nil
}

// stderrTail formats the end of the standard error for an error message.
func stderrTail(t *tail, full *bytes.Buffer) string {
	s := t.String()
	if full.Len() > 0 {
		s = full.String()
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if len(s) > 1000 {
		s = "…" + strings.ToValidUTF8(s[len(s)-1000:], "")
	}
	return "; standard error: " + s
}

func describe(orig, local string) string {
	if orig == local {
		return orig
	}
	return orig + " (here " + local + ")"
}

// findExecutable resolves the Executable property to a program of this
// machine. A value with a directory (C:\Tools\x.exe, bin/x, /usr/bin/x) is
// that file only, mapped by LocalPath, or relative to the working
// directory when it has one; a bare name is looked up in the working
// directory, then in PATH. Either way a name ending in .exe is also tried
// without it, so that psftp.exe finds psftp.
func findExecutable(env tasks.RunEnv, exe, dir string) (string, error) {
	exe = strings.Trim(exe, `"`)
	candidates := func(p string) []string {
		if ext := filepath.Ext(p); strings.EqualFold(ext, ".exe") {
			return []string{p, strings.TrimSuffix(p, ext)}
		}
		return []string{p}
	}
	hasDir := strings.ContainsAny(exe, `/\`) || (len(exe) >= 2 && exe[1] == ':')
	if hasDir {
		local := env.LocalPath(exe)
		slashed := strings.ReplaceAll(exe, `\`, "/")
		if dir != "" && !filepath.IsAbs(slashed) && !(len(exe) >= 2 && exe[1] == ':') && !strings.HasPrefix(exe, `\\`) {
			local = filepath.Join(dir, filepath.FromSlash(slashed))
		}
		var notExec error
		for _, c := range candidates(local) {
			ok, err := isExecutable(c)
			if ok {
				return c, nil
			}
			if err != nil && notExec == nil {
				notExec = err
			}
		}
		if notExec != nil {
			return "", notExec
		}
		return "", fmt.Errorf("executable %s does not exist: %w", describe(exe, local), ErrNotFound)
	}
	if dir != "" {
		for _, c := range candidates(filepath.Join(dir, exe)) {
			if ok, _ := isExecutable(c); ok {
				return c, nil
			}
		}
	}
	for _, c := range candidates(exe) {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	where := "in PATH"
	if dir != "" {
		where = "in working directory " + dir + " or in PATH"
	}
	hint := ""
	if strings.TrimSuffix(strings.ToLower(exe), ".exe") == "powershell" {
		hint = " (PowerShell on Linux is pwsh)"
	}
	return "", fmt.Errorf("executable %s is not %s%s: %w", exe, where, hint, ErrNotFound)
}

// isExecutable reports whether p is a file this process may execute; the
// error says why an existing file is not.
func isExecutable(p string) (bool, error) {
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if st.IsDir() {
		return false, fmt.Errorf("executable %s is a directory", p)
	}
	if st.Mode().Perm()&0o111 == 0 {
		return false, fmt.Errorf("executable %s exists but is not executable (chmod +x)", p)
	}
	return true, nil
}
