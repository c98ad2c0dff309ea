package runtime

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
)

// systemVariable is one System variable as this runtime supplies it: the
// run (rootScope, executable, handle), the Evaluator and Check all take
// them from here, so that an expression sees the same System variables
// wherever it is evaluated.
type systemVariable struct {
	name  string // without "System::"
	value expr.Value
	// inFile reports a value the package file holds (PackageName,
	// CreationDate, VersionBuild, ...), as opposed to one known only when
	// the package runs (StartTime, MachineName, TaskName, ...).
	inFile bool
	// persisted reports, of a value in the file, that the file states it;
	// when it does not, value is what a run takes instead (an empty
	// string, 0, a NULL date).
	persisted bool
}

// packageSystem returns the System variables of a package's root scope:
// those its file holds, and those of the run that starts at start with
// the execution GUID execID.
func packageSystem(def *dtsx.Package, start time.Time, execID string) []systemVariable {
	var out []systemVariable
	add := func(name string, v expr.Value, inFile, persisted bool) {
		out = append(out, systemVariable{name: name, value: v, inFile: inFile, persisted: persisted})
	}
	run := func(name string, v expr.Value) { add(name, v, false, false) }
	add("PackageName", expr.Str(def.Name), true, true)
	add("PackageID", expr.Str(def.DTSID), true, true)
	run("ExecutionInstanceGUID", expr.Str(execID))
	run("MachineName", expr.Str(hostname()))
	run("UserName", expr.Str(userName()))
	for _, p := range []string{"VersionGUID", "VersionComments", "CreatorName", "CreatorComputerName"} {
		v, ok := def.Property(p)
		add(p, expr.Str(v), true, ok)
	}
	for _, p := range []string{"VersionBuild", "VersionMajor", "VersionMinor", "LocaleID"} {
		v, ok := def.Property(p)
		n, _ := strconv.Atoi(strings.TrimSpace(v))
		add(p, expr.I4(int32(n)), true, ok)
	}
	run("StartTime", expr.Date(start))
	created, ok := def.Property("CreationDate")
	if v, err := expr.FromDataType(dtsx.TypeDateTime, created); err == nil && created != "" {
		add("CreationDate", v, true, ok)
	} else {
		add("CreationDate", expr.Null(expr.TypeDate), true, ok)
	}
	// The version of the product running the package: the file's last
	// saving product stands in for it.
	version, _ := def.Property("LastModifiedProductVersion")
	run("ProductVersion", expr.Str(version))
	run("FailedConfigurations", expr.Str(""))
	run("IgnoreConfigurationsOnLoad", expr.Bool(false))
	run("InteractiveMode", expr.Bool(false))
	run("OfflineMode", expr.Bool(false))
	run("CancelEvent", expr.I4(0))
	run("ServerExecutionID", expr.I8(0))
	return out
}

// containerSystem returns the System variables of the scope of x when it
// starts to run at start.
func containerSystem(x *dtsx.Executable, start time.Time) []systemVariable {
	return []systemVariable{
		{name: "TaskName", value: expr.Str(x.Name)},
		{name: "TaskID", value: expr.Str(x.DTSID)},
		{name: "ContainerStartTime", value: expr.Date(start)},
	}
}

// handlerSystem returns the System variables of the scope of an event
// handler for the event name raised by src, started at start: the source
// of the event and, for OnError and OnWarning, the error's code and text.
// System::Propagate is the one a handler may write.
func handlerSystem(name string, src *dtsx.Executable, start time.Time, msg string, code int) []systemVariable {
	out := []systemVariable{
		{name: "SourceName", value: expr.Str(src.Name)},
		{name: "SourceID", value: expr.Str(src.DTSID)},
		{name: "SourceDescription", value: expr.Str(src.Description)},
		{name: "EventHandlerStartTime", value: expr.Date(start)},
		{name: "Propagate", value: expr.Bool(true)},
	}
	if name == "OnError" || name == "OnWarning" {
		out = append(out, systemVariable{name: "ErrorCode", value: expr.I4(int32(code))},
			systemVariable{name: "ErrorDescription", value: expr.Str(msg)})
	}
	return out
}

// setSystem defines System variables in s.
func (s *scope) setSystem(vars []systemVariable) {
	for _, v := range vars {
		s.set("System::"+v.name, v.value)
	}
}

func hostname() string {
	h, _ := osHostname()
	return h
}

func userName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}

// newGUID returns a random GUID as SSIS shows them: {XXXXXXXX-...}.
func newGUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("{%x-%x-%x-%x-%x}", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]))
}
