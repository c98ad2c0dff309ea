package runtime_test

import (
	"errors"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks"
)

// candidates are values tried on every listed property.
var candidates = []string{"", "True", "1", "0", "5", "Normal", "High", "DirectInput", "CopyFile", "None",
	"mail.example.com", "PLAIN", "krb5.keytab"}

// checkListed checks one listed property against the object's SetProperty
// (made fresh for each call): every name it answers to is one SetProperty
// knows, and Check accepts exactly the values SetProperty accepts.
func checkListed(t *testing.T, p dtsx.Property, set func(name, value string) error) {
	t.Helper()
	names := append([]string{p.Name}, p.Aliases...)
	if p.Persisted != "" {
		names = append(names, p.Persisted)
	}
	for _, n := range names {
		accepted := 0
		for _, v := range candidates {
			err := set(n, v)
			if errors.Is(err, tasks.ErrUnknownProperty) {
				t.Fatalf("%s: SetProperty does not know %s", p.Name, n)
			}
			if err == nil {
				accepted++
			}
			if p.Check != nil && (p.Check(v) == nil) != (err == nil) {
				t.Errorf("%s=%q: Check says %v, SetProperty says %v", n, v, p.Check(v), err)
			}
		}
		if accepted == 0 {
			t.Errorf("%s: SetProperty took none of %q", n, candidates)
		}
	}
}

// TestOverrideTypesAgreeWithSetProperty checks the property lists of the
// built-in types against what their SetProperty takes, so that /Set and
// configurations accept what a property expression may set.
func TestOverrideTypesAgreeWithSetProperty(t *testing.T) {
	types := runtime.OverrideTypes(runtime.Options{})
	conns, reg := types.Connections.(*connections.Registry), types.Tasks.(*tasks.Registry)
	listed := 0
	for _, name := range conns.Names() {
		def := &dtsx.ConnectionManager{Object: dtsx.Object{Name: "m", CreationName: name}}
		for _, p := range types.Connections.Properties(def) {
			listed++
			t.Run(name+"/"+p.Name, func(t *testing.T) {
				checkListed(t, p, func(n, v string) error {
					m, err := conns.New(&dtsx.ConnectionManager{Object: dtsx.Object{Name: "m", CreationName: name}})
					if err != nil {
						t.Fatal(err)
					}
					return m.(connections.Configurable).SetProperty(n, v)
				})
			})
		}
	}
	for _, name := range reg.Names() {
		def := &dtsx.Executable{Object: dtsx.Object{Name: "t", Element: etree.NewElement("Executable")}, ObjectData: etree.NewElement("Data"), ExecutableType: name}
		for _, p := range reg.Properties(def) {
			listed++
			t.Run(name+"/"+p.Name, func(t *testing.T) {
				checkListed(t, p, func(n, v string) error {
					x, err := reg.New(&dtsx.Executable{Object: dtsx.Object{Name: "t", Element: etree.NewElement("Executable")}, ObjectData: etree.NewElement("Data"), ExecutableType: name})
					if err != nil {
						t.Fatal(err)
					}
					return x.(tasks.Configurable).SetProperty(n, v)
				})
			})
		}
	}
	if listed == 0 {
		t.Fatal("no built-in type lists a property")
	}
}
