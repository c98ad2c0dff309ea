package mdexamples

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// CronEntry is one job line of a crontab: five schedule fields and the
// command.
type CronEntry struct {
	Line     int
	Schedule [5]string // minute, hour, day of month, month, day of week
	Command  string
}

// cronFields are the ranges of the five fields, as crontab(5) gives them
// (day of week 7 is Sunday too), and the names months and days may have.
var cronFields = [5]struct {
	name     string
	min, max int
	names    []string
}{
	{"minute", 0, 59, nil},
	{"hour", 0, 23, nil},
	{"day of month", 1, 31, nil},
	{"month", 1, 12, []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	{"day of week", 0, 7, []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

// cronEnv is a crontab environment line, NAME=value.
var cronEnv = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*\s*=`)

// Crontab reads a user crontab (crontab(5)): blank lines, comments,
// NAME=value environment lines, and job lines of five schedule fields and a
// command. Each field must be *, a number or name in range, a range, a
// list or a step; the command must not be empty nor hold an unescaped %,
// which cron turns into a newline.
func Crontab(text string, first int) ([]CronEntry, error) {
	var out []CronEntry
	for i, raw := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line := first + i
		l := strings.TrimSpace(raw)
		if l == "" || strings.HasPrefix(l, "#") || cronEnv.MatchString(l) {
			continue
		}
		f := strings.Fields(l)
		if len(f) < 6 {
			return nil, fmt.Errorf("line %d: %q: want five schedule fields and a command", line, l)
		}
		var e CronEntry
		e.Line = line
		rest := l
		for k := 0; k < 5; k++ {
			e.Schedule[k] = f[k]
			if err := checkCronField(f[k], k); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			rest = strings.TrimLeft(strings.TrimPrefix(rest, f[k]), " \t")
		}
		e.Command = rest
		if i := strings.Index(strings.ReplaceAll(rest, `\%`, ""), "%"); i >= 0 {
			return nil, fmt.Errorf("line %d: the command holds an unescaped %%, which cron turns into a newline: write \\%%", line)
		}
		out = append(out, e)
	}
	return out, nil
}

// checkCronField checks one schedule field: a list of *, N, N-M, each
// with an optional /STEP.
func checkCronField(field string, k int) error {
	spec := cronFields[k]
	for _, part := range strings.Split(field, ",") {
		rng, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			if n, err := strconv.Atoi(step); err != nil || n < 1 {
				return fmt.Errorf("%s field %q: step %q is not a positive number", spec.name, field, step)
			}
		}
		if rng == "*" {
			continue
		}
		lo, hi, isRange := strings.Cut(rng, "-")
		vals := []string{lo}
		if isRange {
			vals = append(vals, hi)
		}
		for _, v := range vals {
			if !cronValue(v, k) {
				return fmt.Errorf("%s field %q: %q is not in %d-%d", spec.name, field, v, spec.min, spec.max)
			}
		}
	}
	return nil
}

// cronValue reports a number in the field's range, or one of its names.
func cronValue(v string, k int) bool {
	spec := cronFields[k]
	if n, err := strconv.Atoi(v); err == nil {
		return n >= spec.min && n <= spec.max
	}
	for _, name := range spec.names {
		if strings.EqualFold(v, name) {
			return true
		}
	}
	return false
}
