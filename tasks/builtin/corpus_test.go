package builtin_test

// The File System, Execute Process and Expression tasks of the real
// packages in ../shared/corpus: each is built through the registry and
// validated without a panic, and a few properties read from it are
// compared with values read from the XML by hand (grep).

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections"
	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/builtin"
	"github.com/dtsx-run/dtsx/tasks/expression"
	"github.com/dtsx-run/dtsx/tasks/filesystem"
	"github.com/dtsx-run/dtsx/tasks/process"
)

// collectionEnv is a tasks.Env over a Connections collection.
type collectionEnv struct{ c *connections.Collection }

func (e collectionEnv) Connection(ref string) (connections.Manager, error) { return e.c.Resolve(ref) }

// corpusTask is a task of one of the three types found in the corpus.
type corpusTask struct {
	file  string // corpus-relative, with "!member" for a package of an .ispac
	def   *dtsx.Executable
	task  tasks.Task
	diags dtsx.Diagnostics
}

// corpusTasks loads every package of the corpus (the .dtsx files and the
// packages of the .ispac files), builds its File System, Execute Process
// and Expression tasks and validates them against the package's and the
// project's connection managers.
func corpusTasks(t *testing.T) []corpusTask {
	t.Helper()
	return corpusTasksOf(t, map[string]bool{"Microsoft.FileSystemTask": true, "Microsoft.ExecuteProcess": true, "Microsoft.ExpressionTask": true})
}

// corpusTasksOf is corpusTasks for the task types mine names
// (canonical ExecutableTypes).
func corpusTasksOf(t *testing.T, mine map[string]bool) []corpusTask {
	t.Helper()
	root := testcorpus.Dir(t)
	f, err := os.Open(filepath.Join(root, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var files []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		name, _, _ := strings.Cut(sc.Text(), "\t")
		if !first && (strings.HasSuffix(name, ".dtsx") || strings.HasSuffix(name, ".ispac")) {
			files = append(files, name)
		}
	}
	reg := builtin.Tasks()
	var out []corpusTask
	for _, rel := range files {
		type pkgOf struct {
			name    string
			p       *dtsx.Package
			project []*dtsx.ConnectionManager
		}
		var pkgs []pkgOf
		path := filepath.Join(root, rel)
		// Every file of the corpus loads: a file that no longer does is a
		// failure here, not a package fewer. The one saved with
		// EncryptAllWithPassword says its password in its name.
		var opts dtsx.Options
		if strings.Contains(rel, "security_test_pass_is_banana") {
			opts.Password = "banana"
		}
		if strings.HasSuffix(rel, ".ispac") {
			pr, err := opts.LoadProject(path)
			if err != nil {
				t.Errorf("%s does not load: %v", rel, err)
				continue
			}
			for _, p := range pr.Packages {
				pkgs = append(pkgs, pkgOf{rel + "!" + filepath.Base(p.File), p, pr.Connections})
			}
		} else {
			p, err := opts.LoadPackageFile(path)
			if err != nil {
				t.Errorf("%s does not load: %v", rel, err)
				continue
			}
			// The project files beside the package (its .conmgr), as
			// dtsx and dtexec read them.
			var project []*dtsx.ConnectionManager
			if pr, err := opts.ProjectBeside(path); err == nil && pr != nil {
				project = pr.Connections
			}
			pkgs = append(pkgs, pkgOf{rel, p, project})
		}
		for _, pk := range pkgs {
			coll, _ := connections.NewCollection(connbuiltin.Connections(), pk.p.Connections, pk.project)
			pk.p.Executable.Walk(func(x *dtsx.Executable) bool {
				canon, err := reg.Canonical(x.Type())
				if err != nil || !mine[canon] {
					return true
				}
				ct := corpusTask{file: pk.name, def: x}
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("%s: %s: panic: %v", pk.name, x.RefID, r)
						}
					}()
					if ct.task, err = reg.New(x); err != nil {
						t.Errorf("%s: %s: %v", pk.name, x.RefID, err)
						return
					}
					ct.diags = ct.task.Validate(context.Background(), collectionEnv{coll})
				}()
				if ct.task != nil {
					out = append(out, ct)
				}
				return true
			})
		}
	}
	return out
}

// find returns the task of the corpus file (a suffix of its name) whose
// name or refId ends with suffix.
func find(t *testing.T, all []corpusTask, file, suffix string) corpusTask {
	t.Helper()
	for _, c := range all {
		if strings.HasSuffix(c.file, file) && (c.def.Name == suffix || strings.HasSuffix(c.def.RefID, `\`+suffix)) {
			return c
		}
	}
	t.Fatalf("no task %q in %s", suffix, file)
	return corpusTask{}
}

func codes(ds dtsx.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func TestCorpusTasks(t *testing.T) {
	all := corpusTasks(t)
	count := map[string]int{}
	for _, c := range all {
		count[fmt.Sprintf("%T", c.task)]++
	}
	// Counted with grep -c on the ObjectData elements of the corpus.
	if count["*filesystem.Task"] < 15 || count["*process.Task"] < 5 || count["*expression.Task"] < 30 {
		t.Errorf("tasks found: %v", count)
	}

	t.Run("File System, format 6, variables, default operation", func(t *testing.T) {
		c := find(t, all, "pkg_FDD_ETL_Webtrends.dtsx", "FS - Archive Webtrends AMP Zip")
		got := c.task.(*filesystem.Task).Props
		want := filesystem.Properties{Operation: filesystem.CopyFile, OverwriteDestinationFile: true, Source: "User::strSourceZipPath_AMP",
			IsSourcePathVariable: true, Destination: "User::strDestPath_AMP", IsDestinationPathVariable: true}
		if got != want || len(c.diags) != 0 {
			t.Errorf("Props = %+v, diagnostics %v\nwant %+v", got, c.diags, want)
		}
		c = find(t, all, "pkg_FDD_ETL_Webtrends.dtsx", "FS - Delete Original AMP")
		if p := c.task.(*filesystem.Task).Props; p.Operation != filesystem.DeleteFile || p.Source != "User::strSourceZipPath_AMP" || !p.IsSourcePathVariable {
			t.Errorf("Props = %+v", p)
		}
	})
	t.Run("File System, format 3, every attribute, destination by name", func(t *testing.T) {
		c := find(t, all, "JMMBCustomerNotificationPackage.dtsx", "Customer ID - Copy to Archive File System Task")
		p := c.task.(*filesystem.Task).Props
		if p.Operation != filesystem.CopyFile || p.Source != "User::CustomerIdPath" || p.Destination != "CustomerIDArchiveFile" ||
			p.IsDestinationPathVariable || p.OverwriteDestinationFile || p.Attributes != filesystem.Normal || len(c.diags) != 0 {
			t.Errorf("Props = %+v, diagnostics %v", p, c.diags)
		}
	})
	t.Run("File System, format 3, destination set by a property expression", func(t *testing.T) {
		// The historical version persists the design-time value of the
		// Destination property expression (REPLACE(@[User::CSVFilePath],
		// ...)), which names no connection manager: Validate leaves it to
		// run time, when the expression has set it.
		var found bool
		for _, c := range all {
			if !strings.HasSuffix(c.file, "JMMBCustomerNotificationPackage__at_640def63.dtsx") {
				continue
			}
			if p := c.task.(*filesystem.Task).Props; strings.HasPrefix(p.Destination, `C_\Projects`) {
				found = true
				if p.Operation != filesystem.MoveFile || p.IsDestinationPathVariable || len(c.diags) != 0 {
					t.Errorf("Props %+v, diagnostics %v", p, c.diags)
				}
				if err := c.task.(*filesystem.Task).SetProperty("Destination", "Elsewhere"); err != nil || len(c.task.Validate(context.Background(), collectionEnv{})) != 0 {
					t.Errorf("SetProperty: %v", err)
				}
			}
		}
		if !found {
			t.Error(`no MoveFile task to C_\Projects\...`)
		}
	})
	t.Run("File System, format 6, folder connection by name", func(t *testing.T) {
		c := find(t, all, "ForEachFileEnumerator.dtsx", "Archive File")
		if p := c.task.(*filesystem.Task).Props; p.Destination != "Archive" || p.IsDestinationPathVariable || !p.OverwriteDestinationFile || len(c.diags) != 0 {
			t.Errorf("Props = %+v, diagnostics %v", p, c.diags)
		}
	})
	t.Run("File System, format 6 in an ispac, connections by DTSID", func(t *testing.T) {
		for _, c := range all {
			if strings.HasSuffix(c.file, "Chapter3.ispac!FileSystemTask.dtsx") {
				p := c.task.(*filesystem.Task).Props
				if p.Operation != filesystem.MoveFile || p.Source != "{70083D03-1FE4-4FFF-8003-877E1898AE00}" || len(c.diags) != 0 {
					t.Errorf("Props = %+v, diagnostics %v", p, c.diags)
				}
				return
			}
		}
		t.Error("no package FileSystemTask.dtsx in Chapter3.ispac")
	})

	t.Run("Execute Process, property expressions, bare executable", func(t *testing.T) {
		c := find(t, all, "pkg_FDD_ETL_Webtrends.dtsx", "EXE - Calling BatchFile AMP")
		p := c.task.(*process.Task).Props
		if p.Executable != "psftp.exe" || p.WorkingDirectory != `c:\EXEs\psftp` || !p.FailTaskIfReturnCodeIsNotSuccessValue ||
			!p.TerminateProcessAfterTimeOut || p.TimeOut != 0 || len(c.diags) != 0 {
			t.Errorf("Props = %+v, diagnostics %v", p, c.diags)
		}
		if got := process.SplitCommandLine(p.Arguments); !reflect.DeepEqual(got, []string{`gogo\sftp@sftp.webtrends.com`, "-b", "psWebTrendsBatch_AMP.bat", "-pw", "52WBQC7k!"}) {
			t.Errorf("arguments %q", got)
		}
	})
	t.Run("Execute Process, quoted UNC arguments", func(t *testing.T) {
		var found bool
		for _, c := range all {
			pt, ok := c.task.(*process.Task)
			if !ok || !strings.Contains(pt.Props.Arguments, "Entry_Pages_Rtty42pS357") {
				continue
			}
			found = true
			want := []string{"e", "-y", `\\pil-bl-fdd-11\fdd\Input\Webtrends\Webtrends_AMP\Entry_Pages_Rtty42pS357_d_20131111.csv.gz`,
				`-o\\DIL-BL-FDD-11\FDD\Staging\Webtrends\Webtrends AMP`}
			if got := process.SplitCommandLine(pt.Props.Arguments); !reflect.DeepEqual(got, want) {
				t.Errorf("arguments\n %q\nwant\n %q", got, want)
			}
			if pt.Props.Executable != `C:\Program Files\7-Zip\7z.exe` {
				t.Errorf("Executable %q", pt.Props.Executable)
			}
		}
		if !found {
			t.Error("no 7-Zip task")
		}
	})
	t.Run("Execute Process, format 6 in an ispac", func(t *testing.T) {
		for _, c := range all {
			if strings.HasSuffix(c.file, "Chapter3.ispac!ExecuteProcessTask.dtsx") {
				p := c.task.(*process.Task).Props
				if p.Executable != `c:\windows\system32\expand.exe` || !reflect.DeepEqual(process.SplitCommandLine(p.Arguments), []string{"customers.zip", "customers"}) ||
					p.WorkingDirectory != `c:\prossis\tasks\executeprocess\` || len(c.diags) != 0 {
					t.Errorf("Props = %+v, diagnostics %v", p, c.diags)
				}
				return
			}
		}
		t.Error("no package ExecuteProcessTask.dtsx in Chapter3.ispac")
	})

	t.Run("Expression, assignments", func(t *testing.T) {
		// The value is the right side's, with User::v = 1 and the clock at
		// 2024-01-02 03:04:05.
		env := expr.MapEnv{Vars: map[string]expr.Value{"User::v": expr.I4(1)},
			Clock: func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }}
		for _, tc := range []struct{ file, task, target, value string }{
			{"ssisUnitLearning__60_Loops.dtsx", "EXPR Add 6", "User::v", "7"},
			{"DailyETLMain.dtsx", "Set TableName to City", "User::TableName", "City"},
			{"Demo_SSIS__Master.dtsx", "", "User::ExecutionBegan", "2024-01-02 03:04:05"},
		} {
			var et *expression.Task
			if tc.task != "" {
				c := find(t, all, tc.file, tc.task)
				et = c.task.(*expression.Task)
				if len(c.diags) != 0 {
					t.Errorf("%s: diagnostics %v", tc.task, c.diags)
				}
			} else {
				for _, c := range all {
					if e, ok := c.task.(*expression.Task); ok && strings.HasSuffix(c.file, tc.file) && strings.HasPrefix(e.Expression, "@[User::ExecutionBegan]") {
						et = e
					}
				}
				if et == nil {
					t.Fatalf("no ExecutionBegan assignment in %s", tc.file)
				}
			}
			x, err := expr.Parse(et.Expression)
			if err != nil {
				t.Errorf("%s: %v", tc.file, err)
				continue
			}
			v, err := x.Eval(env)
			if x.Target() != tc.target || err != nil || v.String() != tc.value {
				t.Errorf("%s: %q assigns %q = %#v (%v), want %q = %q", tc.file, et.Expression, x.Target(), v, err, tc.target, tc.value)
			}
		}
	})
	t.Run("Expression, not an assignment", func(t *testing.T) {
		c := find(t, all, "Package 221__at_a333267e.dtsx", "PackagePart1")
		if e := c.task.(*expression.Task).Expression; e != "@[System::ContainerStartTime]" ||
			!reflect.DeepEqual(codes(c.diags), []string{expression.CodeNotAssignment}) || c.diags[0].Severity != dtsx.SeverityWarning {
			t.Errorf("Expression %q, diagnostics %v", e, c.diags)
		}
	})
}
