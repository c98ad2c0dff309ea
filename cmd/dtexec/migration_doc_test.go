package main

// The dtexec side of docs/migration.md: every dtexec command line of its
// blocks parses with dtexec's parser, and every option of the dtexec
// column of its tables is one of the option table (cmd/dtsx checks the
// rest of the guide).

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/mdexamples"
)

const migrationDoc = "../../docs/migration.md"

// parseDocLine parses args as dtexec would, reading no command file.
func parseDocLine(args []string) error {
	_, err := Parser{ReadFile: func(string) ([]byte, error) { return nil, errors.New("no command files in the guide") }}.Parse(args)
	return err
}

// TestParseDocLineCanFail: what dtexec refuses is refused here too.
func TestParseDocLineCanFail(t *testing.T) {
	for _, args := range [][]string{
		{"/F", "p.dtsx", "/Bogus"},
		{"/F", "p.dtsx", "/SQL", "x"},
		{"/Rep"},
		{"p.dtsx"},
	} {
		if err := parseDocLine(args); err == nil {
			t.Errorf("dtexec %q parses", args)
		}
	}
}

func TestMigrationDocDtexecCommands(t *testing.T) {
	src, err := os.ReadFile(migrationDoc)
	if err != nil {
		t.Fatal(err)
	}
	uses, err := mdexamples.Uses(string(src), "dtexec")
	if err != nil {
		t.Fatalf("%s: %v", migrationDoc, err)
	}
	for _, u := range uses {
		if err := parseDocLine(u.Args); err != nil {
			t.Errorf("%s:%d: dtexec %s: %v", migrationDoc, u.Line, strings.Join(u.Args, " "), err)
		}
	}
	n := len(uses)
	if n < 3 {
		t.Errorf("found %d dtexec command lines, want at least 3", n)
	}
}

// TestMigrationDocDtexecOptions: each /Option of a table's first column
// (dtexec's) is in the option table, and its [abbreviation] is the one
// dtexec documents; every option of the table is in the guide.
func TestMigrationDocDtexecOptions(t *testing.T) {
	src, err := os.ReadFile(migrationDoc)
	if err != nil {
		t.Fatal(err)
	}
	opt := regexp.MustCompile(`(?:^|\s)/([A-Za-z?][A-Za-z0-9]*)(?:\[([A-Za-z]+)\])?`)
	named := map[string]bool{}
	for _, code := range mdexamples.InlineCodes(string(src)) {
		if code.Cell != 0 {
			continue
		}
		for _, m := range opt.FindAllStringSubmatch(code.Text, -1) {
			o := lookup(m[1])
			if o == nil {
				t.Errorf("%s:%d: `%s`: /%s is no dtexec option", migrationDoc, code.Line, code.Text, m[1])
				continue
			}
			named[o.name] = true
			if m[2] != "" && (len(m[1]) != o.min || !strings.EqualFold(m[1]+m[2], o.name)) {
				t.Errorf("%s:%d: `%s`: want /%s[%s]", migrationDoc, code.Line, code.Text, o.name[:o.min], o.name[o.min:])
			}
		}
	}
	for _, o := range options {
		if !named[o.name] && o.name != "?" && o.name != "Help" {
			t.Errorf("%s does not list /%s in its table", migrationDoc, o.name)
		}
	}
}
