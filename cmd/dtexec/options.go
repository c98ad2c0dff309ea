package main

import (
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/internal/runner"
)

// passwordEnv gives the package password when /De[crypt] does not (the same
// variable as dtsx.PasswordEnv).
const passwordEnv = "SSIS_PACKAGE_DECRYPT"

// Secret is a value never to be printed: its String is a mask.
type Secret string

// String returns a mask, or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "********"
}

// GoString is String, so that %#v does not show the secret either.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// Options is what a dtexec command line asks for.
type Options struct {
	// File is the package of /F[ile].
	File string
	// Project and Package are /Proj[ect] (an .ispac) and /Pack[age] (a
	// package name inside it).
	Project string
	Package string

	// Overrides are the /Set, /Conn, /Par and /ConfigFile options as the
	// runner applies them, in command-line order: "/Set and /ConfigFile
	// options are processed in the order they are encountered". A /Par
	// CM.<connection>.<property> is the /Set of that property.
	Overrides []runner.Override

	Validate    bool // /Va[lidate]
	WarnAsError bool // /W[arnAsError]
	Reporting   Reporting
	ConsoleLog  ConsoleLog

	// Decrypt is the package password: /De[crypt], else the
	// SSIS_PACKAGE_DECRYPT environment variable. DecryptFrom says which
	// ("/Decrypt", "SSIS_PACKAGE_DECRYPT" or "").
	Decrypt     Secret
	DecryptFrom string

	// MaxConcurrent is /M[axConcurrent]: -1 (processors + 2) or a positive
	// number; 0 when not given.
	MaxConcurrent int

	// SkipUnsupported is /Un[supported] skip: the tasks this runtime
	// cannot execute are skipped rather than refusing the run. It is this
	// implementation's option, not Microsoft's (whose dtexec executes
	// every stock task).
	SkipUnsupported bool

	Help      bool   // /? or /H[elp]
	HelpTopic string // the option named after /? or /H, if any

	VerifyBuild     []int64 // /VerifyB[uild] major[;minor[;build]]
	VerifyPackageID string  // /VerifyP[ackageID]
	VerifyVersionID string  // /VerifyV[ersionID]

	// DumpOnError is /DumpOnError: when the run has an error event, its
	// report and error events are written to a file (see
	// runner.Job.DumpOnError).
	DumpOnError bool
}

// ReportLevel is a set of /Rep[orting] levels.
type ReportLevel uint8

// Reporting levels; ReportNone (N) is the empty set.
const (
	ReportErrors   ReportLevel = 1 << iota // E
	ReportWarnings                         // W
	ReportInfo                             // I
	ReportCustom                           // C
	ReportDataFlow                         // D
	ReportProgress                         // P
	ReportVerbose                          // V: everything

	ReportNone    ReportLevel = 0
	ReportDefault             = ReportErrors | ReportWarnings | ReportProgress
)

const reportLetters = "EWICDPV"

// String returns the levels as /Rep writes them ("EWP", "N", "V").
func (l ReportLevel) String() string {
	if l == ReportNone {
		return "N"
	}
	return bitLetters(uint8(l), reportLetters)
}

// Has reports whether l reports level x; V reports everything.
func (l ReportLevel) Has(x ReportLevel) bool { return l&ReportVerbose != 0 || l&x == x }

// Reporting is /Rep[orting] level[;event...]. Without the option it is
// E, W and P.
type Reporting struct {
	Levels ReportLevel
	// Events are the events not to report, by GUID or name.
	Events []string
	// Given is true when /Rep was on the command line.
	Given bool
}

// ConsoleColumns is a set of /ConsoleLog display options.
type ConsoleColumns uint8

// Console log columns.
const (
	ColName        ConsoleColumns = 1 << iota // N
	ColComputer                               // C
	ColOperator                               // O
	ColSourceName                             // S
	ColSourceGUID                             // G
	ColExecutionID                            // X
	ColMessage                                // M
	ColTime                                   // T: start and end time

	AllColumns ConsoleColumns = 0xFF
)

const columnLetters = "NCOSGXMT"

// String returns the columns as /ConsoleLog writes them.
func (c ConsoleColumns) String() string {
	return bitLetters(uint8(c), columnLetters)
}

// bitLetters returns the letters of the bits set in set, letters[i]
// naming bit i, in the order of letters.
func bitLetters(set uint8, letters string) string {
	var b strings.Builder
	for i := 0; i < len(letters); i++ {
		if set&(1<<i) != 0 {
			b.WriteByte(letters[i])
		}
	}
	return b.String()
}

// ConsoleLog is the union of every /Cons[oleLog] option; their order has no
// effect.
type ConsoleLog struct {
	// Enabled is true when /ConsoleLog was given at all.
	Enabled bool
	// Columns to show: AllColumns when any /ConsoleLog gave none.
	Columns ConsoleColumns
	// Include lists the only entries shown (event or source names or
	// GUIDs), when it is not empty; Exclude lists entries never shown.
	Include []string
	Exclude []string
}

// Shows reports whether a log entry of the given type (or source) is
// displayed: an entry found in both lists is excluded.
func (c ConsoleLog) Shows(entry string) bool {
	if !c.Enabled {
		return false
	}
	in := func(l []string) bool {
		for _, s := range l {
			if strings.EqualFold(s, entry) {
				return true
			}
		}
		return false
	}
	if len(c.Include) > 0 && !in(c.Include) {
		return false
	}
	return !in(c.Exclude)
}
