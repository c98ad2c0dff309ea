package dftask

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// Properties describes the task's own properties SetProperty takes, the
// buffer properties of "Data Flow Performance Features", attributes of
// its <pipeline> element. SetProperty also takes a component's property
// as a property expression names it, [Component].[Property].
func (t *Task) Properties() []dtsx.Property {
	return []dtsx.Property{
		{Name: "DefaultBufferMaxRows", Persisted: "defaultBufferMaxRows", Type: "number of rows"},
		{Name: "DefaultBufferSize", Persisted: "defaultBufferSize", Type: "number of bytes"},
	}
}

// SetProperty sets DefaultBufferMaxRows, DefaultBufferSize, or the custom
// property of a component that a property expression of the task names
// ("Use Property Expressions in Packages": [Component].[Property]); the
// next run builds the component with the value. A name of another form is
// an error matching tasks.ErrUnknownProperty.
func (t *Task) SetProperty(name, value string) error {
	switch strings.ToLower(name) {
	case "defaultbuffermaxrows", "defaultbuffersize":
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n <= 0 {
			return fmt.Errorf("%s %q: want a positive whole number", name, value)
		}
		if strings.EqualFold(name, "DefaultBufferMaxRows") {
			t.Pipeline.DefaultBufferMaxRows = n
		} else {
			t.Pipeline.DefaultBufferSize = n
		}
		return nil
	}
	c, prop, ok := t.Pipeline.ExpressionTarget(name)
	if !ok {
		return fmt.Errorf("%w: %s", tasks.ErrUnknownProperty, name)
	}
	if c == nil || prop == nil {
		return fmt.Errorf("%s names no component property of the data flow (want [Component].[Property])", name)
	}
	prop.Value = value
	return nil
}

var _ tasks.Configurable = (*Task)(nil)
