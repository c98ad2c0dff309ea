package runtime

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dtsx-run/dtsx/tasks"
)

// Status is an execution result (DTSExecResult).
type Status int

// Execution results, named as DTSExecResult names them (Completion, as
// the precedence constraint value dtsx.Completion, not "Completed"). NotRun
// marks an executable whose precedence constraints could no longer be met.
const (
	Success    Status = 0
	Failure    Status = 1
	Completion Status = 2
	Canceled   Status = 3
	NotRun     Status = 4
)

var statusNames = [...]string{"Success", "Failure", "Completion", "Canceled", "NotRun"}

// String returns the result's name.
func (s Status) String() string { return statusNames[s] }

// MarshalText makes a Status appear by name in JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Event is a run-time event, as SSIS raises them.
type Event struct {
	Name      string    `json:"event"` // OnPreExecute, OnError, ...
	Source    string    `json:"source"`
	SourceRef string    `json:"sourceRef"`
	SourceID  string    `json:"sourceId,omitempty"`
	Time      time.Time `json:"time"`
	Message   string    `json:"message,omitempty"`
}

// Result is what one executable did.
type Result struct {
	RefID    string        `json:"refId"`
	Name     string        `json:"name"`
	Type     string        `json:"type"`
	Status   Status        `json:"status"`
	Start    time.Time     `json:"start,omitzero"`
	Duration time.Duration `json:"durationNs"`
	Errors   []string      `json:"errors,omitempty"`
	Skipped  string        `json:"skipped,omitempty"` // why it did not run, when it did not
	// Run numbers the results of one executable, from 1: in a loop, the
	// pass it is of.
	Run int `json:"run"`

	seq int // the order results came in
}

// Report is the outcome of a run. Its size does not grow with the passes
// of loops: Results lists a bounded number of each executable's results
// (see KeepFirstRuns), Totals counts all of them.
type Report struct {
	Package  string        `json:"package"`
	File     string        `json:"file"`
	Status   Status        `json:"status"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"durationNs"`
	Results  []Result      `json:"executables"`
	// ExecutablesOmitted counts the results Results leaves out.
	ExecutablesOmitted int `json:"executablesOmitted"`
	// Totals counts the results of each executable, in the order each
	// first finished.
	Totals []Tally `json:"totals"`
	// Skipped lists the tasks not executed because they cannot be here
	// (RunOptions.SkipUnsupported).
	Skipped  []SkippedTask `json:"skippedTasks"`
	Records  []RecordEntry `json:"records"`
	Errors   []Event       `json:"errors"`
	Warnings []Event       `json:"warnings"`
	// ErrorsOmitted and WarningsOmitted count the events beyond the
	// KeepEvents that Errors and Warnings list.
	ErrorsOmitted   int `json:"errorsOmitted"`
	WarningsOmitted int `json:"warningsOmitted"`
	// Events lists the run's events but OnPreExecute, OnPostExecute,
	// OnPreValidate, OnPostValidate and OnProgress (which Results and the
	// console tell), up to KeepEvents;
	// EventsOmitted counts the others.
	Events        []Event `json:"events"`
	EventsOmitted int     `json:"eventsOmitted"`
	// Variables are the package's variables and parameters when it ended,
	// System ones left out; a sensitive value and a password in a value
	// are masked.
	Variables []VariableValue `json:"variables"`

	mu      sync.Mutex
	tallies map[string]*tally
	order   []*tally
	seq     int
}

// RecordEntry is a task's record with the executable it came from.
type RecordEntry struct {
	Source string `json:"source"`
	tasks.Record
}

// How much per-run detail a report keeps. A loop runs its body as often as
// it is told, a million times if need be; the report must not grow with
// it. Every result is counted exactly (Report.Totals); the list of results
// (Report.Results) keeps, per executable, its first KeepFirstRuns results,
// its last KeepLastRuns, and its failures up to KeepFailedRuns besides;
// Errors and Warnings keep the first KeepEvents events each. What is left
// out is counted.
const (
	KeepFirstRuns  = 10
	KeepLastRuns   = 10
	KeepFailedRuns = 100
	KeepEvents     = 1000
)

// Tally counts the results of one executable over the run: exactly, however
// many times a loop ran it. Runs counts every result, NotRun included.
type Tally struct {
	RefID       string `json:"refId"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Runs        int    `json:"runs"`
	Successes   int    `json:"successes"`
	Failures    int    `json:"failures"`
	Completions int    `json:"completions,omitempty"`
	Canceled    int    `json:"canceled,omitempty"`
	NotRun      int    `json:"notRun,omitempty"`
	// Skipped counts the runs that executed nothing: disabled, or not
	// executable here (--unsupported skip).
	Skipped int `json:"skipped,omitempty"`
	// Omitted counts the results the report does not list.
	Omitted int `json:"omitted,omitempty"`
}

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

// tally is a Tally with the results of its executable held back: the last
// ones not listed yet, a ring of KeepLastRuns.
type tally struct {
	Tally
	failuresListed int
	last           []Result
	next           int // where the ring's next result goes, once it is full
}

// add records a result: counted, and listed if within the bounds, else
// held among the last ones. It is safe for concurrent use.
func (rep *Report) add(res Result) {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	if rep.tallies == nil {
		rep.tallies = map[string]*tally{}
	}
	t := rep.tallies[res.RefID]
	if t == nil {
		t = &tally{Tally: Tally{RefID: res.RefID, Name: res.Name, Type: res.Type}}
		rep.tallies[res.RefID] = t
		rep.order = append(rep.order, t)
	}
	t.Runs++
	switch res.Status {
	case Success:
		t.Successes++
	case Failure:
		t.Failures++
	case Completion:
		t.Completions++
	case Canceled:
		t.Canceled++
	case NotRun:
		t.NotRun++
	}
	if res.Skipped != "" && res.Status != NotRun {
		t.Skipped++
	}
	res.Run = t.Runs
	rep.seq++
	res.seq = rep.seq
	switch {
	case t.Runs <= KeepFirstRuns:
		rep.Results = append(rep.Results, res)
	case res.Status == Failure && t.failuresListed < KeepFailedRuns:
		t.failuresListed++
		rep.Results = append(rep.Results, res)
	case len(t.last) < KeepLastRuns:
		t.last = append(t.last, res)
	default:
		t.last[t.next] = res
		t.next = (t.next + 1) % KeepLastRuns
		t.Omitted++
	}
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

// addEvent keeps an error or a warning, up to KeepEvents of each.
func (rep *Report) addEvent(e Event) {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	switch e.Name {
	case "OnPreExecute", "OnPostExecute", "OnPreValidate", "OnPostValidate", "OnProgress":
	default:
		if len(rep.Events) < KeepEvents {
			rep.Events = append(rep.Events, e)
		} else {
			rep.EventsOmitted++
		}
	}
	switch e.Name {
	case "OnError":
		if len(rep.Errors) < KeepEvents {
			rep.Errors = append(rep.Errors, e)
		} else {
			rep.ErrorsOmitted++
		}
	case "OnWarning":
		if len(rep.Warnings) < KeepEvents {
			rep.Warnings = append(rep.Warnings, e)
		} else {
			rep.WarningsOmitted++
		}
	}
}

// finish ends the report when the run ends: the results held back join
// the list, in the order they came, and the totals are filled in.
func (rep *Report) finish() {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	rep.Totals = make([]Tally, 0, len(rep.order))
	rep.ExecutablesOmitted = 0
	for _, t := range rep.order {
		rep.Results = append(rep.Results, t.last...)
		t.last, t.next = nil, 0
		rep.Totals = append(rep.Totals, t.Tally)
		rep.ExecutablesOmitted += t.Omitted
	}
	slices.SortStableFunc(rep.Results, func(a, b Result) int { return a.seq - b.seq })
	slices.SortStableFunc(rep.Skipped, func(a, b SkippedTask) int {
		return cmp.Or(strings.Compare(a.Package, b.Package), strings.Compare(a.RefID, b.RefID))
	})
}
