package tasks_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/tasks"
)

// task returns a task named "Do it" whose payload has the given
// attributes and whose task-level XML is extra (property expressions).
func task(t *testing.T, attrs, extra string) *dtsx.Executable {
	t.Helper()
	_, x := tasktest.Package(t, "", tasktest.Task{Name: "Do it", Type: "Microsoft.ExecuteProcess", Extra: extra,
		Data: "<TaskData " + attrs + " />"})
	return x
}

func TestProblem(t *testing.T) {
	p := tasks.Problem{Property: "Priority", Value: "Urgent", Msg: "is not a priority", Hint: "use High"}
	const want = `Priority "Urgent" is not a priority`
	if p.String() != want || p.Error() != want {
		t.Errorf("String %q, Error %q; want %q", p.String(), p.Error(), want)
	}
	var got tasks.Problem
	if err := fmt.Errorf("x: %w", p); !errors.As(err, &got) || got != p {
		t.Errorf("errors.As = %+v", got)
	}
}

func TestObjectDataAttr(t *testing.T) {
	x := task(t, `TerminateAfterTimeOut="True" TimeOut="5" timeout="6" xmlns:a="urn:a"`, "")
	tests := []struct {
		keys   []string
		want   string
		wantOK bool
	}{
		{[]string{"TimeOut"}, "5", true},                          // as spelled first
		{[]string{"TIMEOUT"}, "5", true},                          // then ignoring case, the first found
		{[]string{"timeout"}, "6", true},                          // as spelled
		{[]string{"TerminateAfterTimeout"}, "True", true},         // ignoring case
		{[]string{"Missing", "timeout"}, "6", true},               // the first key found
		{[]string{"TERMINATEAFTERTIMEOUT", "TimeOut"}, "5", true}, // a key as spelled before another ignoring case
		{[]string{"a"}, "", false},                                // namespace declarations are not attributes
		{[]string{"Missing"}, "", false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			v, ok := tasks.ObjectDataAttr(x, tt.keys...)
			if v != tt.want || ok != tt.wantOK {
				t.Errorf("= %q, %v; want %q, %v", v, ok, tt.want, tt.wantOK)
			}
		})
	}
	if v, ok := tasks.ObjectDataAttr(&dtsx.Executable{}, "TimeOut"); v != "" || ok {
		t.Errorf("no payload: %q, %v", v, ok)
	}
}

func TestReader(t *testing.T) {
	x := task(t, `Name="n" Flag="maybe" Other="True"`, "")
	r := &tasks.Reader{Def: x}
	if got := r.Get("name"); got != "n" {
		t.Errorf("Get(name) = %q", got)
	}
	if got := r.Get("Missing"); got != "" {
		t.Errorf("Get(Missing) = %q", got)
	}
	flag, other := true, false
	tasks.Parse(r, &flag, "Flag", dtsx.ParseBool, "IsFlag", "is not True or False", "use True or False")
	tasks.Parse(r, &other, "Other", dtsx.ParseBool, "IsOther", "is not True or False", "use True or False")
	want := []tasks.Problem{{Property: "IsFlag", Value: "maybe", Msg: "is not True or False", Hint: "use True or False"}}
	if flag || !other || fmt.Sprint(r.Problems) != fmt.Sprint(want) {
		t.Errorf("flag %v, other %v, problems %v; want false, true, %v", flag, other, r.Problems, want)
	}
}

// setter is a Properties.Set: Count takes a number, C is another name for
// it, Name takes anything, other names are unknown.
func setter(name, value string) error {
	switch strings.ToLower(name) {
	case "count", "c":
		if strings.Trim(value, "0123456789") != "" {
			return fmt.Errorf("Count %q: use a number", value)
		}
	case "name":
	default:
		return fmt.Errorf("%w %q", tasks.ErrUnknownProperty, name)
	}
	return nil
}

func canon(name string) string {
	switch strings.ToLower(name) {
	case "count", "c":
		return "Count"
	case "name":
		return "Name"
	}
	return ""
}

func TestSetWith(t *testing.T) {
	probs := []tasks.Problem{{Property: "Count", Value: "x", Msg: "cannot be read"}, {Property: "Name", Value: "y", Msg: "cannot be read"}}
	tests := []struct {
		name, prop, value string
		canon             func(string) string
		wantErr           string // "" for none
		wantUnknown       bool
		wantLeft          []string // properties whose problems are left
	}{
		{"set drops its problem", "count", "3", nil, "", false, []string{"Name"}},
		{"by another name", "C", "3", canon, "", false, []string{"Name"}},
		{"another name without Canon", "C", "3", nil, "", false, []string{"Count", "Name"}},
		{"a bad value names the task", "Count", "x", canon, `File System task "Do it": Count "x": use a number`, false, []string{"Count", "Name"}},
		{"an unknown property is returned as it is", "Description", "d", canon, `tasks: unknown property "Description"`, true, []string{"Count", "Name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &tasks.Base{Def: task(t, "", ""), Kind: "File System", Canon: tt.canon, Problems: probs}
			err := b.SetWith(setter, tt.prop, tt.value)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
				t.Fatalf("error %v, want %s", err, tt.wantErr)
			case errors.Is(err, tasks.ErrUnknownProperty) != tt.wantUnknown:
				t.Fatalf("error %v matches ErrUnknownProperty: %v", err, !tt.wantUnknown)
			}
			var left []string
			for _, p := range b.Problems {
				left = append(left, p.Property)
			}
			if fmt.Sprint(left) != fmt.Sprint(tt.wantLeft) {
				t.Errorf("problems left for %v, want %v", left, tt.wantLeft)
			}
			if len(probs) != 2 {
				t.Errorf("the problems given were changed: %v", probs)
			}
		})
	}
}

func TestBaseErrors(t *testing.T) {
	b := &tasks.Base{Def: task(t, "", ""), Kind: "Execute Process"}
	if err := b.ProblemError(); err != nil {
		t.Errorf("ProblemError with no problem = %v", err)
	}
	b.Problems = []tasks.Problem{{Property: "TimeOut", Value: "-1", Msg: "cannot be read"}, {Property: "Other"}}
	var p tasks.Problem
	if err := b.ProblemError(); !errors.As(err, &p) || p != b.Problems[0] {
		t.Errorf("ProblemError = %v, want the first problem", err)
	}
	sentinel := errors.New("sentinel")
	err := b.Errorf("%s ran: %w", "x", sentinel)
	if want := `Execute Process task "Do it": x ran: sentinel`; err.Error() != want || !errors.Is(err, sentinel) {
		t.Errorf("Errorf = %v (wraps the sentinel: %v), want %s", err, errors.Is(err, sentinel), want)
	}
}

func TestValidation(t *testing.T) {
	x := task(t, "", `<DTS:PropertyExpression DTS:Name="Name">"n"</DTS:PropertyExpression>`)
	b := &tasks.Base{Def: x, Kind: "Send Mail", Problems: []tasks.Problem{
		{Property: "Count", Value: "x", Msg: "cannot be read", Hint: "use a number"},
		{Property: "Name", Value: "y", Msg: "cannot be read", Hint: "set by an expression"},
	}}
	v := b.Validation("bad-property")
	v.Warn("w", "odd", "look")
	v.Err("e", "wrong", "fix")
	want := dtsx.Diagnostics{
		{Severity: dtsx.SeverityError, Code: "bad-property", Path: `Package\Do it`, Message: `Send Mail task "Do it": Count "x" cannot be read`, Hint: "use a number"},
		{Severity: dtsx.SeverityWarning, Code: "w", Path: `Package\Do it`, Message: `Send Mail task "Do it": odd`, Hint: "look"},
		{Severity: dtsx.SeverityError, Code: "e", Path: `Package\Do it`, Message: `Send Mail task "Do it": wrong`, Hint: "fix"},
	}
	if fmt.Sprintf("%+v", v.Diagnostics) != fmt.Sprintf("%+v", want) {
		t.Errorf("diagnostics\n %+v\nwant\n %+v", v.Diagnostics, want)
	}
	if !b.Expressed("name") || b.Expressed("Count") {
		t.Errorf("Expressed(name) %v, Expressed(Count) %v; want true, false", b.Expressed("name"), b.Expressed("Count"))
	}
}

func TestEnum(t *testing.T) {
	names := []string{"DirectInput", "FileConnection", "Variable"}
	for _, tt := range []struct {
		i    int
		want string
	}{{0, "DirectInput"}, {2, "Variable"}, {3, "3"}, {-1, "-1"}} {
		if got := tasks.EnumName(names, tt.i); got != tt.want {
			t.Errorf("EnumName(%d) = %q, want %q", tt.i, got, tt.want)
		}
	}
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"", 0, true}, {"variable", 2, true}, {" FileConnection ", 1, true}, {"1", 1, true}, {"0", 0, true},
		{"3", 0, false}, {"-1", 0, false}, {"Fax", 0, false}, {"01", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, ok := tasks.ParseEnum[int](names, tt.in); got != tt.want || ok != tt.ok {
				t.Errorf("= %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestParseEnumAs: names with or without the prefix, and the .NET
// numbers, not the positions.
func TestParseEnumAs(t *testing.T) {
	names, nums := []string{"Input", "Output", "ReturnValue"}, []int{1, 2, 4}
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"", 0, true}, {"output", 1, true}, {"Dir_ReturnValue", 2, true}, {"4", 2, true}, {"1", 0, true},
		{"0", 0, false}, {"3", 0, false}, {"Dir_", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, ok := tasks.ParseEnumAs[int](names, nums, "Dir_", tt.in); got != tt.want || ok != tt.ok {
				t.Errorf("= %d, %v; want %d, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestSetParsed: a value that parses is stored; one that does not leaves
// the destination alone and names the property, the value and the hint.
func TestSetParsed(t *testing.T) {
	n := 7
	atoi := func(s string) (int, bool) { v, err := strconv.Atoi(s); return v, err == nil }
	if err := tasks.SetParsed(&n, "12", atoi, "TimeOut", "use a number"); err != nil || n != 12 {
		t.Errorf("SetParsed(12) = %v, n = %d; want nil, 12", err, n)
	}
	err := tasks.SetParsed(&n, "x", atoi, "TimeOut", "use a number")
	if want := `TimeOut "x": use a number`; err == nil || err.Error() != want || n != 12 {
		t.Errorf("SetParsed(x) = %v, n = %d; want %q, 12", err, n, want)
	}
}
