package expression

import "github.com/dtsx-run/dtsx/dtsx"

// Properties describes the one property SetProperty takes: Expression, an
// attribute of the task's ExpressionTask element.
func (t *Task) Properties() []dtsx.Property {
	return []dtsx.Property{{Name: "Expression"}}
}
