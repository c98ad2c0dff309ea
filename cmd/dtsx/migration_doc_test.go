package main

// The examples of docs/migration.md: every block parses as what its info
// string says, and every dtsx command line in it uses only commands and
// flags dtsx has (cmd/dtexec checks the dtexec ones).

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/dtsx-run/dtsx/connections/credentials"
	"github.com/dtsx-run/dtsx/internal/mdexamples"
)

const migrationDoc = "../../docs/migration.md"

// migrationBlocks reads the guide's fenced blocks.
func migrationBlocks(t *testing.T) (string, []mdexamples.Block) {
	t.Helper()
	src, err := os.ReadFile(migrationDoc)
	if err != nil {
		t.Fatal(err)
	}
	return string(src), mdexamples.Blocks(string(src))
}

// blocksOf returns the blocks of one info string, failing when there are
// fewer than min: an example dropped from the guide is a failure.
func blocksOf(t *testing.T, bs []mdexamples.Block, info string, min int) []mdexamples.Block {
	t.Helper()
	var out []mdexamples.Block
	for _, b := range bs {
		if b.Info == info {
			out = append(out, b)
		}
	}
	if len(out) < min {
		t.Fatalf("%s has %d ```%s blocks, want at least %d", migrationDoc, len(out), info, min)
	}
	return out
}

// checkDtsxArgs reports whether args (after "dtsx") name a command of
// dtsx and give it only flags it has, with an accepted number of
// arguments, without running anything.
func checkDtsxArgs(args []string) error {
	root := newRootCmd()
	cmd, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	cmd.InitDefaultHelpFlag()
	if err := cmd.ParseFlags(rest); err != nil {
		return fmt.Errorf("%s: %w", cmd.CommandPath(), err)
	}
	if help, _ := cmd.Flags().GetBool("help"); help {
		return nil
	}
	if cmd == root {
		if v, _ := cmd.Flags().GetBool("version"); v {
			return nil
		}
		return fmt.Errorf("no command: %q", args)
	}
	if !cmd.Runnable() {
		return fmt.Errorf("%s is not a command", cmd.CommandPath())
	}
	if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
		return fmt.Errorf("%s: %w", cmd.CommandPath(), err)
	}
	return nil
}

// TestCheckDtsxArgsCanFail: the check refuses what dtsx refuses, so the
// guide's examples pass it only with real commands and flags.
func TestCheckDtsxArgsCanFail(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--made-up-flag", "p.dtsx"},
		{"run", "--capture"},
		{"run"},
		{"run", "a.dtsx", "b.dtsx"},
		{"assess", "--html"},
		{"smtp", "probe", "--no-such", "x"},
		{"deploy", "p.dtsx"},
		{},
	} {
		if err := checkDtsxArgs(args); err == nil {
			t.Errorf("dtsx %q passes the check", args)
		}
	}
	for _, args := range [][]string{
		{"run", "--capture", "out", "p.dtsx"}, {"smtp", "probe", "--conn", "SmtpServer=x"}, {"--version"}, {"run", "--help"},
	} {
		if err := checkDtsxArgs(args); err != nil {
			t.Errorf("dtsx %q: %v", args, err)
		}
	}
}

// TestMigrationDocDtsxCommands: every dtsx command line of every block is
// one dtsx accepts.
func TestMigrationDocDtsxCommands(t *testing.T) {
	src, _ := migrationBlocks(t)
	uses, err := mdexamples.Uses(src, "dtsx")
	if err != nil {
		t.Fatalf("%s: %v", migrationDoc, err)
	}
	kinds := map[string]int{}
	for _, u := range uses {
		kinds[u.Info]++
		if err := checkDtsxArgs(u.Args); err != nil {
			t.Errorf("%s:%d: dtsx %s: %v", migrationDoc, u.Line, strings.Join(u.Args, " "), err)
		}
	}
	n := len(uses)
	for _, info := range []string{"sh", "cron", "ini", "yaml", "python"} {
		if kinds[info] == 0 {
			t.Errorf("no dtsx command found in the ```%s blocks (found %v)", info, kinds)
		}
	}
	if n < 14 {
		t.Errorf("found %d dtsx command lines, want at least 14", n)
	}
}

// TestMigrationDocFlags: every --flag the prose names (in `code`) is a
// flag of some dtsx command.
func TestMigrationDocFlags(t *testing.T) {
	src, _ := migrationBlocks(t)
	known := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		c.Flags().VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(newRootCmd())
	flag := regexp.MustCompile(`(?:^|\s)--([a-z][a-z0-9-]*)`)
	n := 0
	for _, code := range mdexamples.InlineCodes(src) {
		for _, m := range flag.FindAllStringSubmatch(code.Text, -1) {
			n++
			if !known[m[1]] {
				t.Errorf("%s:%d: `%s` names --%s, which no dtsx command has", migrationDoc, code.Line, code.Text, m[1])
			}
		}
	}
	if n < 20 {
		t.Errorf("found %d --flags in the prose, want at least 20", n)
	}
}

// TestMigrationDocYAML: every YAML block parses; the CronJob has its kind,
// a five-field schedule and a container; the credentials file loads as
// one, each entry with a user and a password or token.
func TestMigrationDocYAML(t *testing.T) {
	_, bs := migrationBlocks(t)
	var cronJobs, credFiles int
	for _, b := range blocksOf(t, bs, "yaml", 2) {
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(b.Text), &doc); err != nil {
			t.Errorf("%s:%d: %v", migrationDoc, b.Line, err)
			continue
		}
		if doc["kind"] == "CronJob" {
			cronJobs++
			checkCronJob(t, b, doc)
			continue
		}
		credFiles++
		path := filepath.Join(t.TempDir(), "credentials.yaml")
		if err := os.WriteFile(path, []byte(b.Text), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := credentials.LoadFile(path)
		if err != nil {
			t.Errorf("%s:%d: not a credentials file: %v", migrationDoc, b.Line, err)
			continue
		}
		for name := range doc {
			c, ok, err := f.Credential(name)
			if err != nil || !ok || c.UserName == "" || (c.Password == "" && c.Token == "") {
				t.Errorf("%s:%d: entry %q: %v, %v, %v: want a username and a password or token", migrationDoc, b.Line, name, c, ok, err)
			}
		}
	}
	if cronJobs != 1 || credFiles != 1 {
		t.Errorf("%d CronJobs and %d credentials files, want one of each", cronJobs, credFiles)
	}
}

// checkCronJob checks a Kubernetes CronJob's shape.
func checkCronJob(t *testing.T, b mdexamples.Block, doc map[string]any) {
	t.Helper()
	get := func(v any, keys ...string) any {
		for _, k := range keys {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		}
		return v
	}
	if doc["apiVersion"] != "batch/v1" {
		t.Errorf("%s:%d: apiVersion %v, want batch/v1", migrationDoc, b.Line, doc["apiVersion"])
	}
	sched, _ := get(doc, "spec", "schedule").(string)
	if _, err := mdexamples.Crontab(sched+" x\n", b.Line); err != nil || sched == "" {
		t.Errorf("%s:%d: schedule %q: %v", migrationDoc, b.Line, sched, err)
	}
	pod := get(doc, "spec", "jobTemplate", "spec", "template", "spec")
	if rp := get(pod, "restartPolicy"); rp != "Never" && rp != "OnFailure" {
		t.Errorf("%s:%d: restartPolicy %v, want Never or OnFailure (a Job's pods must not restart Always)", migrationDoc, b.Line, rp)
	}
	cs, _ := get(pod, "containers").([]any)
	if len(cs) == 0 {
		t.Fatalf("%s:%d: the CronJob has no containers", migrationDoc, b.Line)
	}
	env, _ := get(cs[0], "env").([]any)
	fenced := false
	for _, e := range env {
		fenced = fenced || get(e, "name") == "DTSX_ALLOWED_HOSTS"
	}
	if !fenced {
		t.Errorf("%s:%d: the container does not set DTSX_ALLOWED_HOSTS", migrationDoc, b.Line)
	}
}

// TestMigrationDocSystemd: one service and one timer; the service runs
// one command (Type=oneshot, ExecStart) with the fence set, the timer has
// a calendar, names the service and is wanted by timers.target.
func TestMigrationDocSystemd(t *testing.T) {
	_, bs := migrationBlocks(t)
	units := map[string][]mdexamples.Section{}
	for _, b := range blocksOf(t, bs, "ini", 2) {
		name := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(b.Text, "\n", 2)[0], "#"))
		u, err := mdexamples.ParseUnit(b.Text, b.Line+1)
		if err != nil {
			t.Errorf("%s:%d: %v", migrationDoc, b.Line, err)
			continue
		}
		units[filepath.Ext(name)] = u
		units[filepath.Base(name)] = u
	}
	section := func(u []mdexamples.Section, name string) mdexamples.Section {
		for _, s := range u {
			if s.Name == name {
				return s
			}
		}
		t.Errorf("no [%s] section", name)
		return mdexamples.Section{}
	}
	svc, tmr := units[".service"], units[".timer"]
	if svc == nil || tmr == nil {
		t.Fatalf("want a block whose first line names a .service and one a .timer, have %v", units)
	}
	s := section(svc, "Service")
	if got := s.Get("Type"); len(got) != 1 || got[0] != "oneshot" {
		t.Errorf("service Type = %v, want oneshot", got)
	}
	if got := s.Get("ExecStart"); len(got) != 1 {
		t.Errorf("service ExecStart = %v, want one", got)
	}
	if !strings.Contains(strings.Join(s.Get("Environment"), "\n"), "DTSX_ALLOWED_HOSTS=") {
		t.Errorf("service Environment = %v, want DTSX_ALLOWED_HOSTS set", s.Get("Environment"))
	}
	section(svc, "Unit")
	tm := section(tmr, "Timer")
	if len(tm.Get("OnCalendar")) == 0 {
		t.Errorf("timer has no OnCalendar")
	}
	for _, unit := range tm.Get("Unit") {
		if units[unit] == nil {
			t.Errorf("timer Unit=%s, which no block of the guide is", unit)
		}
	}
	if got := section(tmr, "Install").Get("WantedBy"); len(got) != 1 || got[0] != "timers.target" {
		t.Errorf("timer WantedBy = %v, want timers.target", got)
	}
}

// TestMigrationDocCron: every crontab line is an environment line or five
// valid schedule fields and a command.
func TestMigrationDocCron(t *testing.T) {
	_, bs := migrationBlocks(t)
	for _, b := range blocksOf(t, bs, "cron", 1) {
		es, err := mdexamples.Crontab(b.Text, b.Line+1)
		if err != nil {
			t.Errorf("%s: %v", migrationDoc, err)
			continue
		}
		if len(es) == 0 {
			t.Errorf("%s:%d: no crontab entry", migrationDoc, b.Line)
		}
		if !strings.Contains(b.Text, "\nDTSX_ALLOWED_HOSTS=") {
			t.Errorf("%s:%d: the crontab does not set DTSX_ALLOWED_HOSTS", migrationDoc, b.Line)
		}
	}
}

// TestMigrationDocPython: the Airflow DAG is Python that parses, with a
// BashOperator.
func TestMigrationDocPython(t *testing.T) {
	_, bs := migrationBlocks(t)
	for _, b := range blocksOf(t, bs, "python", 1) {
		if !strings.Contains(b.Text, "BashOperator(") {
			t.Errorf("%s:%d: no BashOperator", migrationDoc, b.Line)
		}
		py, err := exec.LookPath("python3")
		if err != nil {
			t.Skip("python3 is not installed: the DAG's syntax is not checked")
		}
		cmd := exec.Command(py, "-c", "import ast,sys; ast.parse(sys.stdin.read())")
		cmd.Stdin = strings.NewReader(b.Text)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("%s:%d: the Python does not parse: %v\n%s", migrationDoc, b.Line, err, stderr.String())
		}
	}
}
