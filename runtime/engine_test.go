package runtime_test

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/executepackage"
)

// probeTask is a task type of these tests: it fails when its name starts
// with "fail", and records that it ran and what System::ErrorDescription
// it saw.
type probeTask struct {
	def *dtsx.Executable
	log *runLog
}

type runLog struct {
	mu    sync.Mutex
	order []string
	seen  map[string]string
}

func (l *runLog) add(name, desc string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.order = append(l.order, name)
	if desc != "" {
		l.seen[name] = desc
	}
}

// Validate fails a task whose name starts with "invalid".
func (t *probeTask) Validate(context.Context, tasks.Env) dtsx.Diagnostics {
	if strings.HasPrefix(t.def.Name, "invalid") {
		return dtsx.Diagnostics{{Severity: dtsx.SeverityError, Code: "probe-invalid", Path: t.def.RefID, Message: t.def.Name + " is invalid on purpose"}}
	}
	return nil
}

// SetProperty records a property set by a property expression; "Subject"
// is the probe's only property.
func (t *probeTask) SetProperty(name, value string) error {
	if name != "Subject" {
		return fmt.Errorf("%w %s", tasks.ErrUnknownProperty, name)
	}
	t.log.add(t.def.Name+".Subject="+value, "")
	return nil
}

// Properties lists Subject.
func (t *probeTask) Properties() []dtsx.Property { return []dtsx.Property{{Name: "Subject"}} }

// inFlight counts the "par" probes running at once, and the most seen.
var inFlight struct {
	sync.Mutex
	now, max int
}

func (t *probeTask) Execute(ctx context.Context, env tasks.RunEnv) error {
	var s string
	if desc, err := env.Variable("System::ErrorDescription"); err == nil {
		s, _ = desc.Text()
	}
	t.log.add(t.def.Name, s)
	if strings.HasPrefix(t.def.Name, "par") {
		// Hold until three probes run at once (or give up after a while),
		// so the test sees whether they overlapped.
		inFlight.Lock()
		inFlight.now++
		inFlight.max = max(inFlight.max, inFlight.now)
		inFlight.Unlock()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			inFlight.Lock()
			n := inFlight.max
			inFlight.Unlock()
			if n >= 3 {
				break
			}
		}
		inFlight.Lock()
		inFlight.now--
		inFlight.Unlock()
	}
	if strings.HasPrefix(t.def.Name, "fail") {
		return errors.New(t.def.Name + " failed on purpose")
	}
	return nil
}

func registry(l *runLog) *tasks.Registry {
	r := tasks.NewRegistry()
	r.Register("Test.Probe", func(def *dtsx.Executable) (tasks.Task, error) { return &probeTask{def: def, log: l}, nil })
	r.Register("STOCK:SEQUENCE", func(def *dtsx.Executable) (tasks.Task, error) { return &tasks.Container{Def: def}, nil })
	r.Register("STOCK:FORLOOP", func(def *dtsx.Executable) (tasks.Task, error) { return &tasks.Container{Def: def}, nil })
	r.Register("Microsoft.ExecutePackageTask", executepackage.New)
	r.Register("STOCK:FOREACHLOOP", func(def *dtsx.Executable) (tasks.Task, error) { return &tasks.Container{Def: def}, nil })
	r.Register("Test.Unsupported", tasks.NewGeneric("Test.Unsupported"))
	return r
}

// pkgXML builds a format-8 package: tasks named in order (a task whose
// name starts with "disabled" is disabled, one whose name starts with
// "unsupported" is of a type that cannot execute), constraints
// "from>to:value" (value S, F or C; "|" after the value means OR), and an
// optional OnError handler task.
func pkgXML(taskNames []string, constraints []string, handler string, extra string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package" DTS:CreationName="Microsoft.Package" DTS:DTSID="{00000000-0000-0000-0000-0000000000AA}" DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="p" ` + extra + `><DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property><DTS:Executables>`)
	for i, n := range taskNames {
		dis := ""
		if strings.HasPrefix(n, "disabled") {
			dis = ` DTS:Disabled="True"`
		}
		typ := "Test.Probe"
		if strings.HasPrefix(n, "unsupported") {
			typ = "Test.Unsupported"
		}
		fmt.Fprintf(&b, `<DTS:Executable DTS:refId="Package\%s" DTS:CreationName="%s" DTS:DTSID="{00000000-0000-0000-0000-%012d}" DTS:ExecutableType="%s" DTS:ObjectName="%s"%s/>`, n, typ, i+1, typ, n, dis)
	}
	b.WriteString(`</DTS:Executables><DTS:PrecedenceConstraints>`)
	for i, c := range constraints {
		from, rest, _ := strings.Cut(c, ">")
		to, v, _ := strings.Cut(rest, ":")
		and := `DTS:LogicalAnd="True"`
		if strings.HasSuffix(v, "|") {
			and, v = "", strings.TrimSuffix(v, "|")
		}
		val := map[string]string{"S": "", "F": ` DTS:Value="1"`, "C": ` DTS:Value="2"`}[v]
		fmt.Fprintf(&b, `<DTS:PrecedenceConstraint DTS:refId="Package.PrecedenceConstraints[C%d]" DTS:From="Package\%s" DTS:To="Package\%s" DTS:ObjectName="C%d" %s%s/>`, i, from, to, i, and, val)
	}
	b.WriteString(`</DTS:PrecedenceConstraints>`)
	if handler != "" {
		fmt.Fprintf(&b, `<DTS:EventHandlers><DTS:EventHandler DTS:refId="Package.EventHandlers[OnError]" DTS:CreationName="OnError" DTS:EventName="OnError" DTS:DTSID="{00000000-0000-0000-0000-0000000000EE}"><DTS:Executables><DTS:Executable DTS:refId="Package.EventHandlers[OnError]\%s" DTS:CreationName="Test.Probe" DTS:DTSID="{00000000-0000-0000-0000-0000000000EF}" DTS:ExecutableType="Test.Probe" DTS:ObjectName="%s"/></DTS:Executables></DTS:EventHandler></DTS:EventHandlers>`, handler, handler)
	}
	b.WriteString(`</DTS:Executable>`)
	return b.String()
}

// loadPkg loads the package xml, failing the test on an error or an
// error diagnostic.
func loadPkg(t *testing.T, xml string) *dtsx.Package {
	t.Helper()
	p, err := dtsx.LoadPackage("t.dtsx", []byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	if p.Diagnostics.HasErrors() {
		t.Fatal(p.Diagnostics)
	}
	return p
}

func runPkg(t *testing.T, xml string) (*runtime.Report, *runLog) {
	t.Helper()
	p := loadPkg(t, xml)
	l := &runLog{seen: map[string]string{}}
	rp := runtime.Build(p, runtime.Options{Tasks: registry(l)})
	return rp.Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1}), l
}

func statuses(rep *runtime.Report) map[string]string {
	m := map[string]string{}
	for _, r := range rep.Results {
		m[r.Name] = r.Status.String()
	}
	return m
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		name        string
		tasks       []string
		constraints []string
		extra       string
		want        map[string]string
		order       string
		pkg         runtime.Status
	}{
		{"success chain", []string{"a", "b", "c"}, []string{"a>b:S", "b>c:S"}, "",
			map[string]string{"a": "Success", "b": "Success", "c": "Success"}, "a b c", runtime.Success},
		{"failure branch", []string{"fail1", "onok", "onfail", "always"}, []string{"fail1>onok:S", "fail1>onfail:F", "fail1>always:C"}, "",
			map[string]string{"fail1": "Failure", "onok": "NotRun", "onfail": "Success", "always": "Success"}, "fail1 onfail always", runtime.Failure},
		{"AND waits for both", []string{"a", "fail2", "join"}, []string{"a>join:S", "fail2>join:S"}, "",
			map[string]string{"join": "NotRun"}, "a fail2", runtime.Failure},
		{"OR takes either", []string{"a", "fail2", "join"}, []string{"a>join:S|", "fail2>join:S|"}, "",
			map[string]string{"join": "Success"}, "a fail2 join", runtime.Failure},
		{"MaximumErrorCount 2 tolerates one error", []string{"fail1", "b"}, []string{"fail1>b:C"}, `DTS:MaximumErrorCount="2"`,
			map[string]string{"b": "Success"}, "fail1 b", runtime.Success},
		{"disabled counts as success", []string{"disabled1", "b"}, []string{"disabled1>b:S"}, "",
			map[string]string{"disabled1": "Success", "b": "Success"}, "b", runtime.Success},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, l := runPkg(t, pkgXML(tt.tasks, tt.constraints, "", tt.extra))
			got := statuses(rep)
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s: %s, want %s (all: %v)", k, got[k], v, got)
				}
			}
			if o := strings.Join(l.order, " "); o != tt.order {
				t.Errorf("ran %q, want %q", o, tt.order)
			}
			if rep.Status != tt.pkg {
				t.Errorf("package %v, want %v (errors %v)", rep.Status, tt.pkg, rep.Errors)
			}
		})
	}
}

// TestOnErrorHandler: the OnError handler on the package runs when a task
// fails, sees System::ErrorDescription, and the package still fails.
func TestOnErrorHandler(t *testing.T) {
	rep, l := runPkg(t, pkgXML([]string{"fail1"}, nil, "alert", ""))
	if strings.Join(l.order, " ") != "fail1 alert" {
		t.Fatalf("ran %v", l.order)
	}
	if !strings.Contains(l.seen["alert"], "fail1 failed on purpose") {
		t.Errorf("handler saw ErrorDescription %q", l.seen["alert"])
	}
	if rep.Status != runtime.Failure || len(rep.Errors) == 0 || rep.Errors[0].SourceRef != `Package\fail1` {
		t.Errorf("report: status %v errors %+v", rep.Status, rep.Errors)
	}
}

// TestConcurrent: independent executables run in parallel, and never more
// than the limit at once.
func TestConcurrent(t *testing.T) {
	names := []string{"par1", "par2", "par3", "par4", "par5", "par6"}
	p, err := dtsx.LoadPackage("t.dtsx", []byte(pkgXML(names, nil, "", "")))
	if err != nil {
		t.Fatal(err)
	}
	inFlight.Lock()
	inFlight.now, inFlight.max = 0, 0
	inFlight.Unlock()
	l := &runLog{seen: map[string]string{}}
	rep := runtime.Build(p, runtime.Options{Tasks: registry(l)}).Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 3})
	if rep.Status != runtime.Success || len(l.order) != len(names) {
		t.Fatalf("status %v, ran %v", rep.Status, l.order)
	}
	if inFlight.max != 3 {
		t.Errorf("at most %d ran at once, want exactly 3 (MaxConcurrent)", inFlight.max)
	}
}

// TestEvents: validation events come first, containers around their
// children, then execution events; every event has a time and a source.
func TestEvents(t *testing.T) {
	p, err := dtsx.LoadPackage("t.dtsx", []byte(pkgXML([]string{"a", "b"}, []string{"a>b:S"}, "", "")))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []string
	l := &runLog{seen: map[string]string{}}
	rep := runtime.Build(p, runtime.Options{Tasks: registry(l)}).Execute(context.Background(), runtime.RunOptions{MaxConcurrent: 1,
		OnEvent: func(e runtime.Event) {
			mu.Lock()
			defer mu.Unlock()
			if e.Time.IsZero() || e.SourceRef == "" {
				t.Errorf("event without time or source: %+v", e)
			}
			got = append(got, e.Name+" "+e.Source)
		}})
	if rep.Status != runtime.Success {
		t.Fatalf("status %v: %v", rep.Status, rep.Errors)
	}
	want := []string{"OnPreValidate p", "OnPreValidate a", "OnPostValidate a", "OnPreValidate b", "OnPostValidate b", "OnPostValidate p",
		"OnPreExecute p", "OnPreExecute a", "OnPostExecute a", "OnPreExecute b", "OnPostExecute b", "OnPostExecute p"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
}

// TestValidationRunsNothing: a package that fails validation (a task
// that is invalid, or one that cannot execute here) is stopped before
// anything runs, and so is every validate-only run: no task and no event
// handler runs. The validation errors are reported, on the task, as
// OnError events, which no handler handles.
func TestValidationRunsNothing(t *testing.T) {
	tests := []struct {
		name  string
		tasks []string
		opts  runtime.RunOptions
		bad   string // the task the error is on; "" for a valid package
	}{
		{"invalid task", []string{"a", "invalid1"}, runtime.RunOptions{}, "invalid1"},
		{"invalid task, validate only", []string{"a", "invalid1"}, runtime.RunOptions{ValidateOnly: true}, "invalid1"},
		{"task not executable here", []string{"a", "unsupported1"}, runtime.RunOptions{}, "unsupported1"},
		{"task not executable here, validate only", []string{"a", "unsupported1"}, runtime.RunOptions{ValidateOnly: true}, "unsupported1"},
		{"valid package, validate only", []string{"a", "fail1"}, runtime.RunOptions{ValidateOnly: true}, ""},
		{"skip unsupported, validate only", []string{"a", "unsupported1"}, runtime.RunOptions{ValidateOnly: true, SkipUnsupported: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := dtsx.LoadPackage("t.dtsx", []byte(pkgXML(tt.tasks, nil, "alert", "")))
			if err != nil {
				t.Fatal(err)
			}
			l := &runLog{seen: map[string]string{}}
			var mu sync.Mutex
			var events []string
			tt.opts.OnEvent = func(e runtime.Event) {
				mu.Lock()
				events = append(events, e.Name+" "+e.Source)
				mu.Unlock()
			}
			rep := runtime.Build(p, runtime.Options{Tasks: registry(l)}).Execute(context.Background(), tt.opts)
			if len(l.order) != 0 {
				t.Errorf("ran %v, want nothing", l.order)
			}
			for _, e := range events {
				if strings.HasPrefix(e, "OnPreExecute") {
					t.Errorf("event %s: something executed", e)
				}
			}
			if tt.bad == "" {
				if rep.Status != runtime.Success || len(rep.Errors) != 0 {
					t.Errorf("status %v errors %+v", rep.Status, rep.Errors)
				}
				return
			}
			if rep.Status != runtime.Failure || len(rep.Errors) != 1 || rep.Errors[0].SourceRef != `Package\`+tt.bad {
				t.Errorf("status %v errors %+v", rep.Status, rep.Errors)
			}
			if !slices.Contains(events, "OnError "+tt.bad) {
				t.Errorf("no OnError on %s among %v", tt.bad, events)
			}
		})
	}
}

// TestExpressionErrorStopsRun: a property expression that reads a variable
// the package does not have stops the run before anything executes, with
// an error naming the task, the property and the variable.
func TestExpressionErrorStopsRun(t *testing.T) {
	xml := strings.Replace(pkgXML([]string{"a"}, nil, "", ""), `DTS:ObjectName="a"/>`,
		`DTS:ObjectName="a"><DTS:PropertyExpression DTS:Name="Subject">@[User::S]</DTS:PropertyExpression></DTS:Executable>`, 1)
	rep, l := runPkg(t, xml)
	if len(l.order) != 0 || rep.Status != runtime.Failure || len(rep.Errors) != 1 {
		t.Fatalf("ran %v, status %v, errors %+v", l.order, rep.Status, rep.Errors)
	}
	for _, want := range []string{"error[expression]", `Package\a`, "Subject", "User::S"} {
		if !strings.Contains(rep.Errors[0].Message, want) {
			t.Errorf("error %q does not name %s", rep.Errors[0].Message, want)
		}
	}
}

// TestNoGoroutineLeft: the workers that run executables end with the run.
func TestNoGoroutineLeft(t *testing.T) {
	before := goruntime.NumGoroutine()
	for range 3 {
		runPkg(t, pkgXML([]string{"a", "b", "c", "fail1"}, []string{"a>b:S"}, "alert", ""))
	}
	for try := 0; try < 100 && goruntime.NumGoroutine() > before; try++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := goruntime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the runs, %d before", n, before)
	}
}
