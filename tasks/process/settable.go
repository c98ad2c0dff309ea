package process

import "github.com/dtsx-run/dtsx/dtsx"

// booleanProps are the properties that take True or False.
var booleanProps = map[string]bool{"RequireFullFileName": true, "FailTaskIfReturnCodeIsNotSuccessValue": true,
	"TerminateProcessAfterTimeOut": true}

// Properties describes the properties SetProperty takes, persisted as
// attributes of the task's ExecuteProcessData under their run-time names
// (or an alias other writers use). Each value is checked as Properties.Set
// checks it.
func (t *Task) Properties() []dtsx.Property {
	out := make([]dtsx.Property, len(props))
	for i, d := range props {
		out[i] = dtsx.Property{Name: d.name, Aliases: d.aliases, Boolean: booleanProps[d.name], Type: d.name,
			Check: func(v string) error {
				p := Defaults()
				return p.Set(d.name, v)
			}}
	}
	return out
}
