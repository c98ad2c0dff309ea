package process_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/process"
)

// TestSplitCommandLine: the examples of Microsoft's "Parsing C++
// command-line arguments" and the CommandLineToArgvW rule for "" inside
// quotes.
func TestSplitCommandLine(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{``, nil},
		{`   `, nil},
		{`a b  c`, []string{"a", "b", "c"}},
		{"a\tb", []string{"a", "b"}},
		{`"abc" d e`, []string{"abc", "d", "e"}},
		{`a\\\b d"e f"g h`, []string{`a\\\b`, "de fg", "h"}},
		{`a\\\"b c d`, []string{`a\"b`, "c", "d"}},
		{`a\\\\"b c" d e`, []string{`a\\b c`, "d", "e"}},
		{`a"b"" c d`, []string{`ab"`, "c", "d"}}, // CommandLineToArgvW; the post-2008 C runtime gives ab" c d
		{`"" x ""`, []string{"", "x", ""}},
		{`C:\Data\in.csv "C:\Program Files\x\" y`, []string{`C:\Data\in.csv`, `C:\Program Files\x" y`}},
		{`"C:\Program Files\x\\" y`, []string{`C:\Program Files\x\`, "y"}},
		{`-o"\\server\share\a b"`, []string{`-o\\server\share\a b`}},
		{`trailing\\`, []string{`trailing\\`}},
		{`"unclosed arg`, []string{"unclosed arg"}},
		{`say \"hi\"`, []string{"say", `"hi"`}},
	}
	for _, tt := range tests {
		if got := process.SplitCommandLine(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitCommandLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, args := range [][]string{{"a", "b c", ""}, {`C:\Program Files\x\`, `say "hi"`, `\\server\share`}, {`a\\"b`, `\`, `x"`}} {
		if got := process.SplitCommandLine(process.JoinCommandLine(args)); !reflect.DeepEqual(got, args) {
			t.Errorf("round trip of %q through %q gives %q", args, process.JoinCommandLine(args), got)
		}
	}
}

func build(t *testing.T, attrs, taskAttrs, extra string) (*process.Task, *tasktest.Env) {
	t.Helper()
	p, x := pkg(t, attrs, taskAttrs, extra)
	task, err := process.New(x)
	if err != nil {
		t.Fatal(err)
	}
	return task.(*process.Task), tasktest.NewEnv(t, p, t.TempDir())
}

// script writes an executable shell script at root/rel.
func script(t *testing.T, root, rel, body string) string {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func text(t *testing.T, env *tasktest.Env, name string) string {
	t.Helper()
	v, err := env.Variable(name)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := v.Text()
	if !ok {
		t.Fatalf("%s is %s, not a string", name, v.Type())
	}
	return s
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name, attrs string
		code        int64
		err         error
	}{
		{"true", `Executable="true"`, 0, nil},
		{"false", `Executable="false"`, 1, process.ErrExitCode},
		{"false, not failing on the code", `Executable="false" FailTaskIfReturnCodeIsNotSuccessValue="False"`, 1, nil},
		{"false, success value 1", `Executable="false" SuccessValue="1"`, 1, nil},
		{"true, success value 1", `Executable="true" SuccessValue="1"`, 0, process.ErrExitCode},
		{"exit 3 through sh", `Executable="/bin/sh" Arguments="-c &quot;exit 3&quot;" SuccessValue="3"`, 3, nil},
		{"true.exe finds true", `Executable="true.exe"`, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task, env := build(t, tt.attrs, `DTS:ExecValueVariable="User::Code"`, "")
			err := task.Execute(context.Background(), env)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil && !strings.Contains(err.Error(), `Execute Process task "Run it"`) {
				t.Errorf("the error does not name the task: %v", err)
			}
			v, verr := env.Variable("User::Code")
			if verr != nil {
				t.Fatalf("ExecValueVariable not set: %v", verr)
			}
			if n, _ := v.Int(); n != tt.code {
				t.Errorf("exit code %d in ExecValueVariable, want %d", n, tt.code)
			}
		})
	}
}

// TestStreams: standard input comes from a variable; standard output and
// error go to variables; the exit code's error quotes standard error.
func TestStreams(t *testing.T) {
	task, env := build(t, `Executable="/bin/sh" Arguments="-c &quot;tr a-z A-Z; echo warn >&amp;2&quot;"
		StandardInputVariable="User::In" StandardOutputVariable="User::Out" StandardErrorVariable="User::Err"`, "", "")
	env.Vars["User::In"] = expr.Str("hello\nworld\n")
	if err := task.Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	if out, errOut := text(t, env, "User::Out"), text(t, env, "User::Err"); out != "HELLO\nWORLD\n" || errOut != "warn\n" {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}

	task, env = build(t, `Executable="/bin/sh" Arguments="-c &quot;echo broken pipe >&amp;2; exit 2&quot;"`, "", "")
	err := task.Execute(context.Background(), env)
	if !errors.Is(err, process.ErrExitCode) || !strings.Contains(err.Error(), "broken pipe") || !strings.Contains(err.Error(), "code 2") {
		t.Errorf("err = %v", err)
	}
}

// TestWorkingDirectory: a Windows working directory is mapped; a bare
// executable is found there, .exe dropped; a missing one fails.
func TestWorkingDirectory(t *testing.T) {
	task, env := build(t, `Executable="tool.exe" Arguments="a &quot;b c&quot;" WorkingDirectory="C:\Tools" StandardOutputVariable="User::Out"`, "", "")
	dir := filepath.Join(env.Root, "Tools")
	script(t, env.Root, "Tools/tool", `printf '%s|' "$(pwd)" "$@"`)
	if err := task.Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	if got, want := text(t, env, "User::Out"), dir+"|a|b c|"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}

	task, env = build(t, `Executable="true" WorkingDirectory="C:\Nowhere"`, "", "")
	if err := task.Execute(context.Background(), env); !errors.Is(err, process.ErrNotFound) || !strings.Contains(err.Error(), `C:\Nowhere (here `) {
		t.Errorf("err = %v", err)
	}
}

// TestExecutablePaths: a Windows path is mapped and must exist there; a
// file that is not executable says so.
func TestExecutablePaths(t *testing.T) {
	task, env := build(t, `Executable="C:\Program Files\Acme\acme.exe" Arguments="--x" StandardOutputVariable="User::Out"`, "", "")
	script(t, env.Root, "Program Files/Acme/acme", `echo "acme $1"`)
	if err := task.Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	if got := text(t, env, "User::Out"); got != "acme --x\n" {
		t.Errorf("output %q", got)
	}

	task, env = build(t, `Executable="C:\Tools\missing.exe"`, "", "")
	err := task.Execute(context.Background(), env)
	if !errors.Is(err, process.ErrNotFound) || !strings.Contains(err.Error(), `C:\Tools\missing.exe (here `+filepath.Join(env.Root, "Tools", "missing.exe")) {
		t.Errorf("err = %v", err)
	}

	task, env = build(t, `Executable="C:\Tools\data.txt"`, "", "")
	if err := os.MkdirAll(filepath.Join(env.Root, "Tools"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(env.Root, "Tools", "data.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := task.Execute(context.Background(), env); err == nil || !strings.Contains(err.Error(), "not executable") {
		t.Errorf("err = %v", err)
	}

	task, env = build(t, `Executable="no-such-program-dtsx.exe"`, "", "")
	if err := task.Execute(context.Background(), env); !errors.Is(err, process.ErrNotFound) || !strings.Contains(err.Error(), "PATH") {
		t.Errorf("err = %v", err)
	}
}

// TestWindowsOnly: cmd.exe and batch files cannot run; Validate and
// Execute say so.
func TestWindowsOnly(t *testing.T) {
	for _, exe := range []string{"cmd.exe", `C:\Windows\System32\CMD.EXE`, "cmd", `C:\jobs\nightly.bat`, "run.cmd"} {
		task, env := build(t, `Executable="`+exe+`" Arguments="/c copy a b"`, "", "")
		err := task.Execute(context.Background(), env)
		if !errors.Is(err, process.ErrWindowsOnly) || !strings.Contains(err.Error(), "/bin/sh") {
			t.Errorf("%s: err = %v", exe, err)
		}
		ds := task.Validate(context.Background(), env)
		if len(ds) != 1 || ds[0].Code != process.CodeWindowsOnly || ds[0].Hint == "" {
			t.Errorf("%s: diagnostics %v", exe, ds)
		}
	}
}

// alive reports whether a process exists and is not a zombie waiting to
// be reaped by whoever is process 1 here.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return true // no /proc: trust kill
	}
	// pid (comm) state ...; comm may hold spaces and parentheses.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

// readPid waits for a pid file and reads it.
func readPid(t *testing.T, p string) int {
	t.Helper()
	for i := 0; i < 100; i++ {
		if b, err := os.ReadFile(p); err == nil && strings.HasSuffix(string(b), "\n") {
			n, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no pid in %s", p)
	return 0
}

// TestTimeOut: the time-out kills the process and what it started.
func TestTimeOut(t *testing.T) {
	task, env := build(t, `Executable="/bin/sh" Arguments="-c &quot;sleep 30 &amp; echo $! > pid; wait&quot;" WorkingDirectory="C:\" TimeOut="1"`, "", "")
	start := time.Now()
	err := task.Execute(context.Background(), env)
	if !errors.Is(err, process.ErrTimeout) || !strings.Contains(err.Error(), "terminated") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the task took %v", d)
	}
	pid := readPid(t, filepath.Join(env.Root, "pid"))
	time.Sleep(100 * time.Millisecond)
	if alive(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the child sleep %d survived the time-out", pid)
	}
}

// TestTimeOutLeftRunning: with TerminateProcessAfterTimeOut False the task
// fails at the time-out and the process goes on.
func TestTimeOutLeftRunning(t *testing.T) {
	task, env := build(t, `Executable="/bin/sh" Arguments="-c &quot;echo $$ > pid; sleep 3; touch done&quot;" WorkingDirectory="C:\" TimeOut="1" TerminateAfterTimeout="False"`, "", "")
	start := time.Now()
	err := task.Execute(context.Background(), env)
	if !errors.Is(err, process.ErrTimeout) || !strings.Contains(err.Error(), "left running") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d >= 3*time.Second {
		t.Errorf("the task waited for the process: %v", d)
	}
	pid := readPid(t, filepath.Join(env.Root, "pid"))
	if !alive(pid) {
		t.Fatal("the process was killed")
	}
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(filepath.Join(env.Root, "done")); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Error("the process did not finish its work")
}

// TestCancel: the end of the context kills the process group at once.
func TestCancel(t *testing.T) {
	task, env := build(t, `Executable="/bin/sh" Arguments="-c &quot;sleep 30 &amp; echo $! > pid; wait&quot;" WorkingDirectory="C:\"`, "", "")
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // cancel once the shell has started its child
		for i := 0; i < 250; i++ {
			if b, err := os.ReadFile(filepath.Join(env.Root, "pid")); err == nil && strings.HasSuffix(string(b), "\n") {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
	}()
	start := time.Now()
	err := task.Execute(ctx, env)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("cancellation took %v", d)
	}
	pid := readPid(t, filepath.Join(env.Root, "pid"))
	time.Sleep(100 * time.Millisecond)
	if alive(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the child sleep %d survived the cancellation", pid)
	}
}

func TestReadProperties(t *testing.T) {
	_, x := pkg(t, `Executable="psftp.exe" Arguments="-b x.bat" WorkingDirectory="c:\EXEs\psftp"`, "", "")
	p, probs := process.ReadProperties(x)
	want := process.Defaults()
	want.Executable, want.Arguments, want.WorkingDirectory = "psftp.exe", "-b x.bat", `c:\EXEs\psftp`
	if len(probs) != 0 || p != want {
		t.Errorf("format 6 defaults: %+v, %v\nwant %+v", p, probs, want)
	}
	_, x = pkg(t, `Executable="x" RequireFullFileName="False" SuccessValue="2" FailTaskIfReturnCodeIsNotSuccessValue="False" TimeOut="60"
		TerminateAfterTimeOut="False" StandardInputVariable="User::I" StandardOutputVariable="User::O" StandardErrorVariable="User::E" WindowStyle="Hidden"`, "", "")
	p, probs = process.ReadProperties(x)
	want = process.Properties{Executable: "x", SuccessValue: 2, TimeOut: 60, StandardInputVariable: "User::I",
		StandardOutputVariable: "User::O", StandardErrorVariable: "User::E", WindowStyle: "Hidden"}
	if len(probs) != 0 || p != want {
		t.Errorf("every property: %+v, %v\nwant %+v", p, probs, want)
	}
	_, x = pkg(t, `Executable="x" TimeOut="-1" SuccessValue="ok" TerminateAfterTimeout="maybe"`, "", "")
	if _, probs = process.ReadProperties(x); len(probs) != 3 {
		t.Errorf("problems %v, want TimeOut, SuccessValue, TerminateProcessAfterTimeOut", probs)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name, attrs, extra string
		code               string
	}{
		{"valid", `Executable="C:\Tools\x.exe" Arguments="a"`, "", ""},
		{"no executable", `Arguments="a"`, "", process.CodeNoExecutable},
		{"executable from an expression", `Arguments="a"`, `<DTS:PropertyExpression DTS:Name="Executable">@[User::Exe]</DTS:PropertyExpression>`, ""},
		{"time-out too long", `Executable="x" TimeOut="2147484"`, "", process.CodeBadProperty},
		{"streams of a process left running", `Executable="x" TimeOut="5" TerminateAfterTimeout="False" StandardOutputVariable="User::O"`, "", process.CodeCantRedirect},
		{"streams of a process killed at the time-out", `Executable="x" TimeOut="5" StandardOutputVariable="User::O"`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task, env := build(t, tt.attrs, "", tt.extra)
			tasktest.WantDiagnostic(t, task.Validate(context.Background(), env), task.Def, tt.code, dtsx.SeverityError)
		})
	}
}

func TestSetProperty(t *testing.T) {
	task, env := build(t, `Executable="false" TimeOut="abc"`, "", "")
	if ds := task.Validate(context.Background(), env); len(ds) != 1 {
		t.Fatalf("diagnostics %v", ds)
	}
	for _, s := range [][2]string{{"Executable", "/bin/sh"}, {"Arguments", `-c "exit 4"`}, {"SuccessValue", "4"}, {"TimeOut", "10"},
		{"TerminateProcessAfterTimeOut", "True"}, {"WindowStyle", "Minimized"}} {
		if err := task.SetProperty(s[0], s[1]); err != nil {
			t.Fatalf("SetProperty(%s, %s): %v", s[0], s[1], err)
		}
	}
	if ds := task.Validate(context.Background(), env); len(ds) != 0 {
		t.Errorf("diagnostics after SetProperty: %v", ds)
	}
	if err := task.Execute(context.Background(), env); err != nil {
		t.Errorf("Execute: %v", err)
	}
	if err := task.SetProperty("TimeOut", "-5"); err == nil || task.Props.TimeOut != 10 {
		t.Errorf("TimeOut -5: %v, TimeOut now %d", err, task.Props.TimeOut)
	}
	if err := task.SetProperty("Description", "x"); !errors.Is(err, tasks.ErrUnknownProperty) {
		t.Errorf("Description: %v", err)
	}
}
