package expr

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// The corpus oracle. Every variable with EvaluateAsExpression=True stores
// its expression and the value SSDT computed for it when the package was
// saved (DTS:VariableValue). Evaluating the expression over the package's
// own variables and parameters must give that value back.
//
// Skipped, with the reason counted: expressions that read the clock
// (GETDATE, GETUTCDATE), System variables that exist only at run time
// (StartTime, MachineName, ...), and references whose value is not in the
// files (a $Project parameter of a project that is not in the corpus, an
// encrypted parameter). An expression variable that another one reads is
// evaluated recursively, with cycle detection; when it cannot be evaluated
// for one of those reasons, its cached value stands in (counted as "via a
// cached dependency").

// errRuntimeOnly marks a System variable whose value exists only at run
// time, errNotInFiles a reference whose value the files do not hold, and
// errClock an expression that reads the clock.
var (
	errRuntimeOnly = errors.New("System variable known only at run time")
	errNotInFiles  = errors.New("value not in the corpus files")
	errClock       = errors.New("reads the clock")
)

// knownSystem lists the System variables whose values are in the package
// file, with their types.
var knownSystem = map[string]dtsx.DataType{
	"PackageName": dtsx.TypeString, "PackageID": dtsx.TypeString, "CreationDate": dtsx.TypeDateTime,
	"CreatorName": dtsx.TypeString, "CreatorComputerName": dtsx.TypeString, "VersionBuild": dtsx.TypeInt32,
	"VersionMajor": dtsx.TypeInt32, "VersionMinor": dtsx.TypeInt32, "VersionGUID": dtsx.TypeString,
	"VersionComment": dtsx.TypeString,
}

type varState struct {
	done, busy bool
	val        Value
	err        error
	standIn    bool // a dependency's cached value was used
}

// pkgOracle resolves the variables of one package.
type pkgOracle struct {
	pkg     *dtsx.Package
	project *dtsx.Project
	state   map[*dtsx.Variable]*varState
}

// scopeEnv is the Env seen by an expression on a variable owned by exe.
type scopeEnv struct {
	o       *pkgOracle
	exe     *dtsx.Executable
	standIn *bool
}

func (e scopeEnv) Now() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }

func (e scopeEnv) Lookup(name string) (Value, error) {
	ns, short, qualified := strings.Cut(name, "::")
	if !qualified {
		short, ns = name, ""
	}
	switch ns {
	case "$Package", "$Project":
		return e.o.param(ns, short)
	case "System":
		return e.o.system(short)
	}
	for x := e.exe; x != nil; x = x.Parent {
		var found []*dtsx.Variable
		for _, v := range x.Variables {
			if v.Name == short && (ns == "" || v.Namespace == ns) {
				found = append(found, v)
			}
		}
		if len(found) > 1 {
			return Value{}, fmt.Errorf("%w: %q", ErrAmbiguous, name)
		}
		if len(found) == 1 {
			val, standIn, err := e.o.value(found[0], x)
			if standIn {
				*e.standIn = true
			}
			return val, err
		}
	}
	if ns == "" {
		if _, ok := knownSystem[short]; ok {
			return e.o.system(short)
		}
	}
	return Value{}, fmt.Errorf("%w: %q", ErrUnknownVariable, name)
}

func (o *pkgOracle) param(scope, name string) (Value, error) {
	params := o.pkg.Parameters
	if scope == "$Project" {
		params = nil
		if o.project != nil {
			params = o.project.Parameters
		}
	}
	for _, p := range params {
		if p.Name == name {
			if p.Encrypted || p.Sensitive && p.Value == "" {
				return Value{}, fmt.Errorf("%w: %s::%s is encrypted", errNotInFiles, scope, name)
			}
			return FromDataType(p.DataType, p.Value)
		}
	}
	return Value{}, fmt.Errorf("%w: %s::%s", errNotInFiles, scope, name)
}

func (o *pkgOracle) system(name string) (Value, error) {
	t, ok := knownSystem[name]
	if !ok {
		return Value{}, fmt.Errorf("%w: System::%s", errRuntimeOnly, name)
	}
	var s string
	switch name {
	case "PackageName":
		s = o.pkg.Name
	case "PackageID":
		s = o.pkg.DTSID
	default:
		s, ok = o.pkg.Property(name)
		if !ok {
			return Value{}, fmt.Errorf("%w: System::%s", errNotInFiles, name)
		}
	}
	return FromDataType(t, s)
}

// value returns the value of a variable: its persisted value, or for an
// expression variable its evaluation (or its cached value when it cannot be
// evaluated from the files).
func (o *pkgOracle) value(v *dtsx.Variable, owner *dtsx.Executable) (Value, bool, error) {
	if !v.EvaluateAsExpression {
		val, err := FromDataType(v.DataType, v.Value)
		return val, false, err
	}
	st := o.state[v]
	if st == nil {
		st = &varState{}
		o.state[v] = st
	}
	if st.busy {
		return Value{}, false, fmt.Errorf("%w: %s", ErrCycle, v.QualifiedName())
	}
	if !st.done {
		st.busy = true
		st.val, st.err = o.eval(v, owner, &st.standIn)
		st.busy, st.done = false, true
	}
	if errors.Is(st.err, errRuntimeOnly) || errors.Is(st.err, errNotInFiles) || errors.Is(st.err, errClock) {
		cached, err := FromDataType(v.DataType, v.Value)
		return cached, true, err
	}
	return st.val, st.standIn, st.err
}

func (o *pkgOracle) eval(v *dtsx.Variable, owner *dtsx.Executable, standIn *bool) (Value, error) {
	e, err := Parse(v.Expression)
	if err != nil {
		return Value{}, err
	}
	if e.ReadsClock() {
		return Value{}, errClock
	}
	got, err := e.Eval(scopeEnv{o: o, exe: owner, standIn: standIn})
	if err != nil {
		return Value{}, err
	}
	return got.ConvertTo(v.DataType)
}

type corpusPackage struct {
	name    string
	pkg     *dtsx.Package
	project *dtsx.Project
}

// corpusPackages loads every .dtsx of the corpus, and the packages inside
// every .ispac with the project they come with.
func corpusPackages(t *testing.T) []corpusPackage {
	dir := testcorpus.Dir(t)
	var out []corpusPackage
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch strings.ToLower(filepath.Ext(path)) {
		case ".dtsx":
			pkg, err := dtsx.LoadPackageFile(path)
			if err != nil {
				var de *dtsx.Error
				if errors.As(err, &de) && de.Code == dtsx.CodeEncryptedPackage {
					return nil // EncryptAllWithPassword: nothing to read
				}
				t.Errorf("%s: %v", rel, err)
				return nil
			}
			pr, _ := dtsx.ProjectBeside(path)
			out = append(out, corpusPackage{rel, pkg, pr})
		case ".ispac":
			pr, err := dtsx.LoadProject(path)
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				return nil
			}
			for _, pkg := range pr.Packages {
				out = append(out, corpusPackage{rel + "!" + filepath.Base(pkg.File), pkg, pr})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCorpusOracle(t *testing.T) {
	pkgs := corpusPackages(t)
	var total, match, standIns int
	skipped := map[string]int{}
	var mismatches []string
	for _, cp := range pkgs {
		o := &pkgOracle{pkg: cp.pkg, project: cp.project, state: map[*dtsx.Variable]*varState{}}
		cp.pkg.Walk(func(exe *dtsx.Executable) bool {
			for _, v := range exe.Variables {
				if !v.EvaluateAsExpression {
					continue
				}
				e, perr := Parse(v.Expression)
				if perr == nil && e.ReadsClock() {
					skipped["reads the clock"]++
					continue
				}
				var standIn bool
				got, err := func() (Value, error) {
					if perr != nil {
						return Value{}, perr
					}
					got, err := e.Eval(scopeEnv{o: o, exe: exe, standIn: &standIn})
					if err != nil {
						return Value{}, err
					}
					return got.ConvertTo(v.DataType)
				}()
				switch {
				case errors.Is(err, errRuntimeOnly):
					skipped["reads a run-time System variable"]++
					continue
				case errors.Is(err, errNotInFiles):
					skipped["reads a value not in the files"]++
					continue
				}
				total++
				want, werr := FromDataType(v.DataType, v.Value)
				if err == nil && werr == nil && got.Equal(want) {
					match++
					if standIn {
						standIns++
					}
					continue
				}
				if werr != nil {
					err = fmt.Errorf("cached value unreadable: %v", werr)
				}
				mismatches = append(mismatches, fmt.Sprintf("%s: %s\n\texpression: %s\n\twant: %#v\n\tgot:  %#v (%v)",
					cp.name, v.QualifiedName(), v.Expression, want, got, err))
			}
			return true
		})
	}
	var reasons []string
	for r, n := range skipped {
		reasons = append(reasons, fmt.Sprintf("%d %s", n, r))
	}
	sort.Strings(reasons)
	t.Logf("%d of %d match (%d via a cached dependency); skipped: %s", match, total, standIns, strings.Join(reasons, ", "))
	for _, m := range mismatches {
		t.Log("mismatch: " + m)
	}
	if total == 0 {
		t.Fatal("no expression variable could be checked")
	}
	if match*100 < 95*total {
		t.Errorf("only %d of %d expression variables match their cached values (95%% needed)", match, total)
	}
}

// TestCorpusParses parses every expression of the corpus: variables,
// property expressions and precedence constraints.
func TestCorpusParses(t *testing.T) {
	n := 0
	check := func(where, src string) {
		n++
		if _, err := Parse(src); err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}
	for _, cp := range corpusPackages(t) {
		for _, c := range cp.pkg.Connections {
			for _, x := range c.Expressions {
				check(cp.name+": "+c.Name+"."+x.Name, x.Expression)
			}
		}
		cp.pkg.Walk(func(exe *dtsx.Executable) bool {
			for _, v := range exe.Variables {
				if v.EvaluateAsExpression {
					check(cp.name+": "+v.QualifiedName(), v.Expression)
				}
			}
			for _, x := range exe.Expressions {
				check(cp.name+": "+exe.RefID+"."+x.Name, x.Expression)
			}
			for _, c := range exe.Constraints {
				if c.Expression != "" {
					check(cp.name+": "+c.RefID, c.Expression)
				}
			}
			return true
		})
	}
	if n == 0 {
		t.Fatal("the corpus holds no expressions")
	}
	t.Logf("%d expressions parse", n)
}

// TestCorpusPropertyOracle does for property expressions what
// TestCorpusOracle does for variables: a property with an expression keeps
// the value the designer last computed (a connection manager's
// ConnectionString, a package's CheckpointFileName, ...). Only properties
// the model reads directly are checked; task properties live in each
// task's own payload.
func TestCorpusPropertyOracle(t *testing.T) {
	var total, match int
	skipped := 0
	var mismatches []string
	check := func(cp corpusPackage, o *pkgOracle, exe *dtsx.Executable, where, src, cached string) {
		e, err := Parse(src)
		if err == nil && e.ReadsClock() {
			skipped++
			return
		}
		var standIn bool
		var got Value
		if err == nil {
			got, err = e.Eval(scopeEnv{o: o, exe: exe, standIn: &standIn})
		}
		if errors.Is(err, errRuntimeOnly) || errors.Is(err, errNotInFiles) {
			skipped++
			return
		}
		total++
		if err == nil {
			var text Value
			if text, err = got.ConvertTo(dtsx.TypeString); err == nil && text.s == cached {
				match++
				return
			}
		}
		mismatches = append(mismatches, fmt.Sprintf("%s: %s\n\texpression: %s\n\twant: %q\n\tgot:  %#v (%v)",
			cp.name, where, src, cached, got, err))
	}
	for _, cp := range corpusPackages(t) {
		o := &pkgOracle{pkg: cp.pkg, project: cp.project, state: map[*dtsx.Variable]*varState{}}
		for _, c := range cp.pkg.Connections {
			for _, x := range c.Expressions {
				cached, ok := c.Property(x.Name)
				if x.Name == "ConnectionString" {
					cached, ok = c.ConnectionString, c.ConnectionString != ""
				}
				if ok && cached != "" {
					check(cp, o, cp.pkg.Executable, c.Name+"."+x.Name, x.Expression, cached)
				}
			}
		}
		cp.pkg.Walk(func(exe *dtsx.Executable) bool {
			for _, x := range exe.Expressions {
				if cached, ok := exe.Property(x.Name); ok && cached != "" {
					check(cp, o, exe, exe.RefID+"."+x.Name, x.Expression, cached)
				}
			}
			return true
		})
	}
	t.Logf("%d of %d match; %d skipped (clock, run-time System variables, values not in the files)", match, total, skipped)
	for _, m := range mismatches {
		t.Log("mismatch: " + m)
	}
	if total == 0 {
		t.Fatal("no property expression could be checked")
	}
	if match*100 < 90*total {
		t.Errorf("only %d of %d property expressions match their cached values (90%% needed)", match, total)
	}
}

// oraclePackage checks the oracle's own resolution: scopes, System
// variables, recursion into expression variables and cycles.
const oraclePackage = `<?xml version="1.0"?>
<DTS:Executable xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:refId="Package"
  DTS:CreationName="Microsoft.Package" DTS:DTSID="{C0000000-0000-4000-8000-000000000001}"
  DTS:ExecutableType="Microsoft.Package" DTS:ObjectName="Pkg" DTS:CreationDate="3/3/2013 2:10:49 PM">
  <DTS:Property DTS:Name="PackageFormatVersion">8</DTS:Property>
  <DTS:Variables>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000011}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[User::B] + 1" DTS:Namespace="User" DTS:ObjectName="A">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000012}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[User::A]" DTS:Namespace="User" DTS:ObjectName="B">
      <DTS:VariableValue DTS:DataType="3">0</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000013}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[User::D] * 2" DTS:Namespace="User" DTS:ObjectName="C">
      <DTS:VariableValue DTS:DataType="3">42</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000014}" DTS:Namespace="User" DTS:ObjectName="D">
      <DTS:VariableValue DTS:DataType="3">21</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000015}" DTS:EvaluateAsExpression="True"
      DTS:Expression="@[System::PackageName] + &quot; &quot; + (DT_WSTR,50)(DT_DBTIMESTAMP)@[System::CreationDate]"
      DTS:Namespace="User" DTS:ObjectName="E">
      <DTS:VariableValue DTS:DataType="8">Pkg 2013-03-03 14:10:49</DTS:VariableValue></DTS:Variable>
    <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000016}" DTS:Namespace="User" DTS:ObjectName="V">
      <DTS:VariableValue DTS:DataType="8">outer</DTS:VariableValue></DTS:Variable>
  </DTS:Variables>
  <DTS:Executables>
    <DTS:Executable DTS:refId="Package\Seq" DTS:CreationName="STOCK:SEQUENCE"
      DTS:DTSID="{C0000000-0000-4000-8000-000000000021}" DTS:ExecutableType="STOCK:SEQUENCE" DTS:ObjectName="Seq">
      <DTS:Variables>
        <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000022}" DTS:Namespace="User" DTS:ObjectName="V">
          <DTS:VariableValue DTS:DataType="8">inner</DTS:VariableValue></DTS:Variable>
        <DTS:Variable DTS:DTSID="{C0000000-0000-4000-8000-000000000023}" DTS:EvaluateAsExpression="True"
          DTS:Expression="@V + &quot;/&quot; + (DT_WSTR,5)@[User::C]" DTS:Namespace="User" DTS:ObjectName="G">
          <DTS:VariableValue DTS:DataType="8">?</DTS:VariableValue></DTS:Variable>
      </DTS:Variables>
    </DTS:Executable>
  </DTS:Executables>
</DTS:Executable>`

func TestOracleHarness(t *testing.T) {
	pkg, err := dtsx.LoadPackage("oracle.dtsx", []byte(oraclePackage))
	if err != nil {
		t.Fatal(err)
	}
	o := &pkgOracle{pkg: pkg, state: map[*dtsx.Variable]*varState{}}
	got := map[string]string{}
	pkg.Walk(func(exe *dtsx.Executable) bool {
		for _, v := range exe.Variables {
			if v.EvaluateAsExpression {
				val, _, err := o.value(v, exe)
				if err != nil {
					got[v.Name] = "error: " + err.Error()
				} else {
					got[v.Name] = val.String()
				}
			}
		}
		return true
	})
	for name, want := range map[string]string{"C": "42", "E": "Pkg 2013-03-03 14:10:49", "G": "inner/42"} {
		if got[name] != want {
			t.Errorf("%s = %q, want %q", name, got[name], want)
		}
	}
	for _, name := range []string{"A", "B"} {
		if !strings.Contains(got[name], "circular") {
			t.Errorf("%s = %q, want a cycle error", name, got[name])
		}
	}
}
