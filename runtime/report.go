package runtime

import (
	"cmp"
	"slices"
	"strings"
)

// SkippedTask is a task the run did not execute because this runtime
// cannot (--unsupported skip): listed once, however often it was reached.
type SkippedTask struct {
	// Package names the child package (Execute Package Task) the task is
	// in; it is empty for the package run.
	Package string `json:"package,omitempty"`
	RefID   string `json:"refId"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	// Times counts how often the run reached it (in a loop, once per pass).
	Times int `json:"times"`
}

// skip records a task not executed because it cannot be here, or adds
// the times it was reached.
func (rep *Report) skip(s SkippedTask) {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	for i := range rep.Skipped {
		if rep.Skipped[i].RefID == s.RefID && rep.Skipped[i].Package == s.Package {
			rep.Skipped[i].Times += s.Times
			return
		}
	}
	rep.Skipped = append(rep.Skipped, s)
}

// mergeSkipped adds the skipped tasks of a child package's report, named
// with their package.
func (rep *Report) mergeSkipped(child *Report) {
	for _, s := range child.Skipped {
		if s.Package == "" {
			s.Package = child.Package
		}
		rep.skip(s)
	}
}

// finish ends the report when the run ends.
func (rep *Report) finish() {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	slices.SortStableFunc(rep.Skipped, func(a, b SkippedTask) int {
		return cmp.Or(strings.Compare(a.Package, b.Package), strings.Compare(a.RefID, b.RefID))
	})
}
