package mdexamples_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/mdexamples"
)

const doc = "# Title\n\nRun `dtsx run --capture DIR` or see the table.\n\n" +
	"| dtexec | dtsx |\n|---|---|\n| `/Un fail\\|skip` | `--unsupported` |\n\n" +
	"```sh\nFOO=1 dtsx run --json - a.dtsx | jq . # report\ngo build ./cmd/dtsx && go run ./cmd/dtsx types\n" +
	"/usr/local/bin/dtexec /F 'x y.dtsx' \\\n  /Rep EW >>log 2>&1\n```\n\n" +
	"~~~cron\nA=b\n*/5 1-3 * jan mon-fri  /usr/local/bin/dtsx run p.dtsx\n~~~\n\n" +
	"```ini\n[Service]\nExecStart=-/usr/local/bin/dtsx run \"/srv/a b.dtsx\"\n```\n\n" +
	"```yaml\nspec:\n  containers:\n    - command: [\"dtsx\", \"run\"]\n      args: [\"--capture\", \"/out\", \"p.dtsx\"]\n" +
	"    - command: [\"sh\", \"-c\", \"dtsx types; dtsx version\"]\n```\n\n" +
	"```python\nx = BashOperator(bash_command=\"dtsx run --param 'D={{ds}}' p.dtsx\")  # 'not code'\n```\n"

func TestBlocks(t *testing.T) {
	bs := mdexamples.Blocks(doc)
	var infos []string
	for _, b := range bs {
		infos = append(infos, b.Info)
	}
	if want := []string{"sh", "cron", "ini", "yaml", "python"}; !reflect.DeepEqual(infos, want) {
		t.Fatalf("infos = %v, want %v", infos, want)
	}
	if bs[0].Line != 9 || !strings.HasPrefix(bs[0].Text, "FOO=1 dtsx run") {
		t.Errorf("first block at line %d: %q", bs[0].Line, bs[0].Text)
	}
}

func TestInlineCodes(t *testing.T) {
	got := mdexamples.InlineCodes(doc)
	want := []mdexamples.Code{
		{Line: 3, Text: "dtsx run --capture DIR", Cell: -1},
		{Line: 7, Text: "/Un fail|skip", Cell: 0},
		{Line: 7, Text: "--unsupported", Cell: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("InlineCodes = %+v, want %+v", got, want)
	}
}

// TestCommands: each kind of block gives its commands, and Program picks
// those of one program.
func TestCommands(t *testing.T) {
	want := map[string][][]string{
		"sh":     {{"--json", "-", "a.dtsx"}, {"types"}},
		"cron":   {{"run", "p.dtsx"}},
		"ini":    {{"run", "/srv/a b.dtsx"}},
		"yaml":   {{"--capture", "/out", "p.dtsx"}, {"types"}, {"version"}},
		"python": {{"run", "--param", "D={{ds}}", "p.dtsx"}},
	}
	want["sh"][0] = append([]string{"run"}, want["sh"][0]...)
	want["yaml"][0] = append([]string{"run"}, want["yaml"][0]...)
	for _, b := range mdexamples.Blocks(doc) {
		cs, err := mdexamples.Commands(b)
		if err != nil {
			t.Fatalf("%s: %v", b.Info, err)
		}
		var got [][]string
		for _, c := range cs {
			if args, ok := mdexamples.Program(c, "dtsx"); ok {
				got = append(got, args)
			}
		}
		if !reflect.DeepEqual(got, want[b.Info]) {
			t.Errorf("%s: dtsx commands %q, want %q", b.Info, got, want[b.Info])
		}
		if b.Info == "sh" {
			var dtexec [][]string
			for _, c := range cs {
				if args, ok := mdexamples.Program(c, "dtexec"); ok {
					dtexec = append(dtexec, args)
				}
			}
			if w := [][]string{{"/F", "x y.dtsx", "/Rep", "EW"}}; !reflect.DeepEqual(dtexec, w) {
				t.Errorf("dtexec commands %q, want %q", dtexec, w)
			}
		}
	}
}

func TestCrontab(t *testing.T) {
	tests := []struct {
		line, err string
	}{
		{"30 2 * * 1-5 /bin/true", ""},
		{"*/15 0,12 1-31/2 Jan-Dec sun-sat run", ""},
		{"0 0 * * 7 run \\% escaped", ""},
		{"60 2 * * * run", "minute"},
		{"0 24 * * * run", "hour"},
		{"0 0 0 * * run", "day of month"},
		{"0 0 * 13 * run", "month"},
		{"0 0 * * 8 run", "day of week"},
		{"0 0 * * */0 run", "step"},
		{"0 0 * * * date +%F", "unescaped %"},
		{"0 0 * * run", "five schedule fields"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			es, err := mdexamples.Crontab("# c\nX=1\n"+tt.line+"\n", 1)
			if tt.err == "" {
				if err != nil || len(es) != 1 || es[0].Line != 3 {
					t.Fatalf("got %+v, %v", es, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want one about %q", err, tt.err)
			}
		})
	}
}

func TestParseUnit(t *testing.T) {
	u, err := mdexamples.ParseUnit("# f\n[Unit]\nDescription=x\n\n[Service]\nExecStart=/bin/a \\\n  b\nEnvironment=A=1\nEnvironment=B=2\n", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(u) != 2 || u[1].Name != "Service" || !reflect.DeepEqual(u[1].Get("Environment"), []string{"A=1", "B=2"}) ||
		!reflect.DeepEqual(u[1].Get("ExecStart"), []string{"/bin/a   b"}) {
		t.Errorf("ParseUnit = %+v", u)
	}
	for _, bad := range []string{"Key=before\n[Unit]\n", "[Unit]\nno equals\n"} {
		if _, err := mdexamples.ParseUnit(bad, 1); err == nil {
			t.Errorf("ParseUnit(%q) accepted it", bad)
		}
	}
}

// TestUses: the commands of one program across the blocks; a block whose
// commands do not read is an error with its line.
func TestUses(t *testing.T) {
	for prog, want := range map[string]int{"dtsx": 8, "dtexec": 1, "jq": 1, "go": 2, "make": 0} {
		us, err := mdexamples.Uses(doc, prog)
		if err != nil || len(us) != want {
			t.Errorf("Uses(%s) = %d uses, %v; want %d", prog, len(us), err, want)
		}
	}
	if _, err := mdexamples.Uses("text\n\n```sh\ndtsx run 'unclosed\n```\n", "dtsx"); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("an unclosed quote: err = %v, want one naming line 3", err)
	}
}
