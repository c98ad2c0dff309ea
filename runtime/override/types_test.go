package override_test

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// builtinTypes are the types the commands give Set.
var builtinTypes = runtime.OverrideTypes(runtime.Options{})

// TestImportsNoConnectionOrTaskType checks that override learns the
// properties of connection manager and task types through Types: it
// depends on no package under connections/ or tasks/ but the registries'
// own packages and the connection string parser.
func TestImportsNoConnectionOrTaskType(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const module = "github.com/dtsx-run/dtsx/"
	out, err := exec.Command("go", "list", "-deps", module+"runtime/override").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	allowed := map[string]bool{module + "connections": true, module + "connections/connstr": true, module + "tasks": true}
	deps := strings.Fields(string(out))
	if len(deps) == 0 {
		t.Fatal("go list printed no packages")
	}
	for _, d := range deps {
		rel, ok := strings.CutPrefix(d, module)
		if !ok || allowed[d] {
			continue
		}
		if strings.HasPrefix(rel, "connections/") || strings.HasPrefix(rel, "tasks/") {
			t.Errorf("runtime/override depends on %s; it must learn its properties through override.Types", d)
		}
	}
}

// fakeTasks gives every task one property, Colour, persisted as Hue and
// taking red or blue.
type fakeTasks struct{}

func (fakeTasks) Properties(*dtsx.Executable) []dtsx.Property {
	return []dtsx.Property{{Name: "Colour", Persisted: "Hue", Type: "Colour", Check: func(v string) error {
		if v != "red" && v != "blue" {
			return errors.New("expected red or blue")
		}
		return nil
	}}}
}

// TestSetConsultsTypes checks that what Set knows of a type's own
// properties comes from Types: without them an SMTP key is not found, and
// a task takes the properties its type lists, checked as the type says.
func TestSetConsultsTypes(t *testing.T) {
	const task = `\Package\Send Hello.Properties[Colour]`
	tests := []struct {
		name, path, value string
		types             override.Types
		want              string // part of the error; "" for none
		hue               string // the Hue attribute afterwards
	}{
		{name: "builtin SMTP key", path: `\Package.Connections[SMTP Connection Manager].Properties[Port]`, value: "587",
			types: builtinTypes},
		{name: "no types, no SMTP key", path: `\Package.Connections[SMTP Connection Manager].Properties[Port]`, value: "587",
			want: "has ConnectionString, Description, DelayValidation, Name"},
		{name: "task property set", path: task, value: "red", types: override.Types{Tasks: fakeTasks{}}, hue: "red"},
		{name: "task property checked", path: task, value: "green", types: override.Types{Tasks: fakeTasks{}},
			want: `"green" is not a valid Colour for Colour: expected red or blue`},
		{name: "task property listed", path: `\Package\Send Hello.Properties[Shade]`, value: "red",
			types: override.Types{Tasks: fakeTasks{}}, want: "Colour"},
		{name: "no types, no task property", path: task, value: "red", want: "no property Colour"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := load(t, helloMail)
			pp, err := override.ParsePath(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			err = override.Set(p, tc.types, pp, tc.value)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Set: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Set: %v; want an error with %q", err, tc.want)
			}
			if tc.hue != "" {
				if got, _ := p.Executable.Executables[0].ObjectDataAttr("Hue"); got != tc.hue {
					t.Errorf("Hue = %q, want %q", got, tc.hue)
				}
			}
		})
	}
}
