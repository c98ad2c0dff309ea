package filesystem_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/expr"
	"github.com/dtsx-run/dtsx/internal/tasktest"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/filesystem"
)

// write creates root/rel with content, and its folders.
func write(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
		t.Fatal(err)
	}
}

// tree lists the files under root as rel=content and the directories as
// rel/, sorted.
func tree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if info.IsDir() {
			out = append(out, rel+"/")
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, rel+"="+string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func build(t *testing.T, attrs, extra string) (*filesystem.Task, *tasktest.Env) {
	t.Helper()
	p, x := pkg(t, attrs, extra)
	task, err := filesystem.New(x)
	if err != nil {
		t.Fatal(err)
	}
	env := tasktest.NewEnv(t, p, t.TempDir())
	return task.(*filesystem.Task), env
}

// TestOperations runs each operation against a temporary folder standing
// for C:\ and compares the resulting tree.
func TestOperations(t *testing.T) {
	base := map[string]string{"in/data.csv": "a,b\n1,2\n", "in/sub/x.txt": "x", "in/sub/deep/y.txt": "y", "archive/old.csv": "old"}
	tests := []struct {
		name  string
		attrs string
		vars  map[string]string // variable values, C:\ paths
		setup map[string]string // files added to base
		want  []string          // the tree after, or nil when the task fails
		err   error             // errors.Is
	}{
		{name: "copy file into a folder connection (usage 2)",
			attrs: `TaskSourcePath="Src" TaskDestinationPath="Dst"`,
			want:  []string{"archive/", "archive/data.csv=a,b\n1,2\n", "archive/old.csv=old", "in/", "in/data.csv=a,b\n1,2\n", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "copy file by DTSID to a file connection (usage 1)",
			attrs: `TaskSourcePath="{20000000-0000-0000-0000-000000000001}" TaskDestinationPath="{20000000-0000-0000-0000-000000000003}"`,
			want:  []string{"archive/", "archive/old.csv=old", "archive/renamed.csv=a,b\n1,2\n", "in/", "in/data.csv=a,b\n1,2\n", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "copy file to a variable naming an existing folder",
			attrs: `TaskSourcePath="User::Src" TaskIsSourceVariable="True" TaskDestinationPath="User::Dst" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::Src": `C:\in\sub\x.txt`, "User::Dst": `C:\archive`},
			want:  []string{"archive/", "archive/old.csv=old", "archive/x.txt=x", "in/", "in/data.csv=a,b\n1,2\n", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "copy file onto an existing file without overwrite",
			attrs: `TaskSourcePath="User::Src" TaskIsSourceVariable="True" TaskDestinationPath="User::Dst" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::Src": `C:\in\data.csv`, "User::Dst": `C:\archive\old.csv`},
			err:   filesystem.ErrDestinationExists},
		{name: "copy file onto an existing file with overwrite",
			attrs: `TaskOverwriteDestFile="True" TaskSourcePath="User::Src" TaskIsSourceVariable="True" TaskDestinationPath="User::Dst" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::Src": `C:\in\sub\x.txt`, "User::Dst": `C:\archive\old.csv`},
			want:  []string{"archive/", "archive/old.csv=x", "in/", "in/data.csv=a,b\n1,2\n", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "copy a missing file",
			attrs: `TaskSourcePath="User::Src" TaskIsSourceVariable="True" TaskDestinationPath="Dst"`,
			vars:  map[string]string{"User::Src": `C:\in\nothing.csv`},
			err:   filesystem.ErrNotFound},
		{name: "copy file given a directory",
			attrs: `TaskSourcePath="User::Src" TaskIsSourceVariable="True" TaskDestinationPath="Dst"`,
			vars:  map[string]string{"User::Src": `C:\in\sub`},
			err:   filesystem.ErrWrongKind},
		{name: "move file into a folder",
			attrs: `TaskOperationType="MoveFile" TaskSourcePath="Src" TaskDestinationPath="Dst"`,
			want:  []string{"archive/", "archive/data.csv=a,b\n1,2\n", "archive/old.csv=old", "in/", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "move file onto an existing file without overwrite",
			attrs: `TaskOperationType="1" TaskSourcePath="Src" TaskDestinationPath="Dst"`,
			setup: map[string]string{"archive/data.csv": "older"},
			err:   filesystem.ErrDestinationExists},
		{name: "move file onto an existing file with overwrite",
			attrs: `TaskOperationType="MoveFile" TaskOverwriteDestFile="True" TaskSourcePath="Src" TaskDestinationPath="Dst"`,
			setup: map[string]string{"archive/data.csv": "older"},
			want:  []string{"archive/", "archive/data.csv=a,b\n1,2\n", "archive/old.csv=old", "in/", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "rename file to a new path",
			attrs: `TaskOperationType="RenameFile" TaskSourcePath="Src" TaskDestinationPath="User::New" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::New": `C:\in\data-2024.csv`},
			want:  []string{"archive/", "archive/old.csv=old", "in/", "in/data-2024.csv=a,b\n1,2\n", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "rename file onto a directory",
			attrs: `TaskOperationType="RenameFile" TaskSourcePath="Src" TaskDestinationPath="User::New" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::New": `C:\archive`},
			err:   filesystem.ErrWrongKind},
		{name: "delete file",
			attrs: `TaskOperationType="DeleteFile" TaskSourcePath="Src"`,
			want:  []string{"archive/", "archive/old.csv=old", "in/", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "delete a missing file",
			attrs: `TaskOperationType="DeleteFile" TaskSourcePath="User::F" TaskIsSourceVariable="True"`,
			vars:  map[string]string{"User::F": `C:\in\gone.csv`},
			err:   filesystem.ErrNotFound},
		{name: "delete file given a directory",
			attrs: `TaskOperationType="DeleteFile" TaskSourcePath="User::F" TaskIsSourceVariable="True"`,
			vars:  map[string]string{"User::F": `C:\in\sub`},
			err:   filesystem.ErrWrongKind},
		{name: "create directory with parents",
			attrs: `TaskOperationType="CreateDirectory" TaskSourcePath="User::D" TaskIsSourceVariable="True"`,
			vars:  map[string]string{"User::D": `C:\out\2024\01`},
			want:  []string{"archive/", "archive/old.csv=old", "in/", "in/data.csv=a,b\n1,2\n", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x", "out/", "out/2024/", "out/2024/01/"}},
		{name: "create an existing directory without UseDirectoryIfExists",
			attrs: `TaskOperationType="CreateDirectory" TaskSourcePath="Dst"`,
			err:   filesystem.ErrDirectoryExists},
		{name: "create an existing directory with UseDirectoryIfExists",
			attrs: `TaskOperationType="CreateDirectory" TaskOverwriteDestFile="True" TaskSourcePath="Dst"`,
			want:  []string{"archive/", "archive/old.csv=old", "in/", "in/data.csv=a,b\n1,2\n", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "create a directory where a file is",
			attrs: `TaskOperationType="CreateDirectory" TaskOverwriteDestFile="True" TaskSourcePath="Src"`,
			err:   filesystem.ErrWrongKind},
		{name: "copy directory content into a new folder",
			attrs: `TaskOperationType="CopyDirectory" TaskSourcePath="User::S" TaskIsSourceVariable="True" TaskDestinationPath="User::D" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::S": `C:\in\sub`, "User::D": `C:\copy`},
			want:  []string{"archive/", "archive/old.csv=old", "copy/", "copy/deep/", "copy/deep/y.txt=y", "copy/x.txt=x", "in/", "in/data.csv=a,b\n1,2\n", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "copy directory with a conflict copies nothing",
			attrs: `TaskOperationType="CopyDirectory" TaskSourcePath="User::S" TaskIsSourceVariable="True" TaskDestinationPath="User::D" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::S": `C:\in\sub`, "User::D": `C:\copy`},
			setup: map[string]string{"copy/deep/y.txt": "mine"},
			err:   filesystem.ErrDestinationExists},
		{name: "copy directory with overwrite merges",
			attrs: `TaskOperationType="CopyDirectory" TaskOverwriteDestFile="True" TaskSourcePath="User::S" TaskIsSourceVariable="True" TaskDestinationPath="User::D" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::S": `C:\in\sub`, "User::D": `C:\copy`},
			setup: map[string]string{"copy/deep/y.txt": "mine", "copy/keep.txt": "k"},
			want:  []string{"archive/", "archive/old.csv=old", "copy/", "copy/deep/", "copy/deep/y.txt=y", "copy/keep.txt=k", "copy/x.txt=x", "in/", "in/data.csv=a,b\n1,2\n", "in/sub/", "in/sub/deep/", "in/sub/deep/y.txt=y", "in/sub/x.txt=x"}},
		{name: "copy directory into itself",
			attrs: `TaskOperationType="CopyDirectory" TaskSourcePath="User::S" TaskIsSourceVariable="True" TaskDestinationPath="User::D" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::S": `C:\in`, "User::D": `C:\in\sub\copy`},
			err:   filesystem.ErrWrongKind},
		{name: "move directory to a new path",
			attrs: `TaskOperationType="MoveDirectory" TaskSourcePath="User::S" TaskIsSourceVariable="True" TaskDestinationPath="User::D" TaskIsDestinationVariable="True"`,
			vars:  map[string]string{"User::S": `C:\in\sub`, "User::D": `C:\moved`},
			want:  []string{"archive/", "archive/old.csv=old", "in/", "in/data.csv=a,b\n1,2\n", "moved/", "moved/deep/", "moved/deep/y.txt=y", "moved/x.txt=x"}},
		{name: "move directory into an existing folder",
			attrs: `TaskOperationType="MoveDirectory" TaskSourcePath="User::S" TaskIsSourceVariable="True" TaskDestinationPath="Dst"`,
			vars:  map[string]string{"User::S": `C:\in\sub`},
			want:  []string{"archive/", "archive/old.csv=old", "archive/sub/", "archive/sub/deep/", "archive/sub/deep/y.txt=y", "archive/sub/x.txt=x", "in/", "in/data.csv=a,b\n1,2\n"}},
		{name: "move directory onto an existing one without overwrite",
			attrs: `TaskOperationType="MoveDirectory" TaskSourcePath="User::S" TaskIsSourceVariable="True" TaskDestinationPath="Dst"`,
			vars:  map[string]string{"User::S": `C:\in\sub`},
			setup: map[string]string{"archive/sub/z.txt": "z"},
			err:   filesystem.ErrDestinationExists},
		{name: "delete directory",
			attrs: `TaskOperationType="DeleteDirectory" TaskSourcePath="User::S" TaskIsSourceVariable="True"`,
			vars:  map[string]string{"User::S": `C:\in\sub`},
			want:  []string{"archive/", "archive/old.csv=old", "in/", "in/data.csv=a,b\n1,2\n"}},
		{name: "delete directory given a file",
			attrs: `TaskOperationType="DeleteDirectory" TaskSourcePath="Src"`,
			err:   filesystem.ErrWrongKind},
		{name: "delete directory content",
			attrs: `TaskOperationType="DeleteDirectoryContent" TaskSourcePath="User::S" TaskIsSourceVariable="True"`,
			vars:  map[string]string{"User::S": `C:\in`},
			want:  []string{"archive/", "archive/old.csv=old", "in/"}},
		{name: "delete a missing directory's content",
			attrs: `TaskOperationType="DeleteDirectoryContent" TaskSourcePath="User::S" TaskIsSourceVariable="True"`,
			vars:  map[string]string{"User::S": `C:\nowhere`},
			err:   filesystem.ErrNotFound},
		{name: "empty source variable",
			attrs: `TaskOperationType="DeleteFile" TaskSourcePath="User::S" TaskIsSourceVariable="True"`,
			vars:  map[string]string{"User::S": ""},
			err:   filesystem.ErrNoPath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task, env := build(t, tt.attrs, "")
			for rel, c := range base {
				write(t, env.Root, rel, c)
			}
			for rel, c := range tt.setup {
				write(t, env.Root, rel, c)
			}
			for k, v := range tt.vars {
				env.Vars[k] = expr.Str(v)
			}
			before := tree(t, env.Root)
			err := task.Execute(context.Background(), env)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				if !strings.Contains(err.Error(), `File System task "Move it"`) || !strings.Contains(err.Error(), task.Props.Operation.String()) {
					t.Errorf("the error names neither the task nor the operation: %v", err)
				}
				if after := tree(t, env.Root); strings.Join(after, "|") != strings.Join(before, "|") {
					t.Errorf("a failed operation changed the tree:\n before %q\n after  %q", before, after)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tree(t, env.Root); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("tree =\n %q\nwant\n %q", got, tt.want)
			}
			if len(env.Records) != 1 || env.Records[0].Kind != "file-operation" {
				t.Errorf("records = %v", env.Records)
			}
		})
	}
}

// TestErrorNamesBothPaths: an error names the task, the operation, and
// both paths as the package gives them and as they are here.
func TestErrorNamesBothPaths(t *testing.T) {
	task, env := build(t, `TaskSourcePath="Src" TaskDestinationPath="Out"`, "")
	write(t, env.Root, "in/data.csv", "new")
	write(t, env.Root, "archive/renamed.csv", "old")
	err := task.Execute(context.Background(), env)
	if !errors.Is(err, filesystem.ErrDestinationExists) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{`"Move it"`, "CopyFile", `C:\in\data.csv (here ` + filepath.Join(env.Root, "in", "data.csv") + ")",
		`C:\archive\renamed.csv (here ` + filepath.Join(env.Root, "archive", "renamed.csv") + ")"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestCopyKeepsModeAndTime: a copied file keeps its permissions and its
// modification time, as File.Copy does.
func TestCopyKeepsModeAndTime(t *testing.T) {
	task, env := build(t, `TaskSourcePath="Src" TaskDestinationPath="Dst"`, "")
	write(t, env.Root, "in/data.csv", "x")
	if err := os.MkdirAll(filepath.Join(env.Root, "archive"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(env.Root, "in", "data.csv")
	mtime := time.Date(2020, 5, 17, 10, 0, 0, 0, time.UTC)
	if err := os.Chmod(src, 0o604); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(src, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if err := task.Execute(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(env.Root, "archive", "data.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o604 || !st.ModTime().Equal(mtime) {
		t.Errorf("copy has mode %v, time %v; want 0604, %v", st.Mode().Perm(), st.ModTime(), mtime)
	}
	entries, _ := os.ReadDir(filepath.Join(env.Root, "archive"))
	if len(entries) != 1 {
		t.Errorf("archive holds %d entries (a temporary file left behind?)", len(entries))
	}
}

// TestSetAttributes: ReadOnly clears the write bits; Normal gives the owner
// write back; Hidden is reported as ignored.
func TestSetAttributes(t *testing.T) {
	tests := []struct {
		attrs string
		start os.FileMode
		want  os.FileMode
		warns int
	}{
		{"ReadOnly", 0o664, 0o444, 0},
		{"Normal", 0o444, 0o644, 0},
		{"Hidden, ReadOnly", 0o600, 0o400, 1},
		{"Archive", 0o600, 0o600, 1},
		{"6", 0o640, 0o440, 1},
	}
	for _, tt := range tests {
		t.Run(tt.attrs, func(t *testing.T) {
			task, env := build(t, `TaskOperationType="SetAttributes" TaskSourcePath="Src" TaskFileAttributes="`+tt.attrs+`"`, "")
			write(t, env.Root, "in/data.csv", "x")
			p := filepath.Join(env.Root, "in", "data.csv")
			if err := os.Chmod(p, tt.start); err != nil {
				t.Fatal(err)
			}
			if err := task.Execute(context.Background(), env); err != nil {
				t.Fatal(err)
			}
			st, _ := os.Stat(p)
			if st.Mode().Perm() != tt.want || len(env.Warns) != tt.warns {
				t.Errorf("mode %v, warnings %q; want %v and %d warnings", st.Mode().Perm(), env.Warns, tt.want, tt.warns)
			}
		})
	}
}

// TestSourceVariableNotString: a path variable must hold a string
// (DTS_E_FSTASK_VARIABLENOTASTRING); a missing variable fails too.
func TestSourceVariableNotString(t *testing.T) {
	task, env := build(t, `TaskOperationType="DeleteFile" TaskSourcePath="User::N" TaskIsSourceVariable="True"`, "")
	env.Vars["User::N"] = expr.I4(3)
	if err := task.Execute(context.Background(), env); !errors.Is(err, filesystem.ErrNoPath) || !strings.Contains(err.Error(), "not a string") {
		t.Errorf("err = %v", err)
	}
	delete(env.Vars, "User::N")
	if err := task.Execute(context.Background(), env); err == nil || !strings.Contains(err.Error(), "User::N") {
		t.Errorf("err = %v", err)
	}
}

// TestCanceled: a cancelled context stops the task before it starts.
func TestCanceled(t *testing.T) {
	task, env := build(t, `TaskOperationType="DeleteFile" TaskSourcePath="Src"`, "")
	write(t, env.Root, "in/data.csv", "x")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := task.Execute(ctx, env); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(env.Root, "in", "data.csv")); err != nil {
		t.Error("the file was deleted")
	}
}

func TestReadProperties(t *testing.T) {
	tests := []struct {
		name, attrs string
		want        filesystem.Properties
	}{
		{"format 3, every attribute written",
			`TaskOperationType="CopyFile" OperationName="" TaskOverwriteDestFile="False" TaskSourcePath="User::CustomerIdPath" TaskIsSourceVariable="True" TaskDestinationPath="CustomerIDArchiveFile" TaskIsDestinationVariable="False" TaskFileAttributes="Normal"`,
			filesystem.Properties{Operation: filesystem.CopyFile, Source: "User::CustomerIdPath", IsSourcePathVariable: true, Destination: "CustomerIDArchiveFile"}},
		{"format 6, defaults omitted",
			`TaskOverwriteDestFile="True" TaskSourcePath="User::strSourceZipPath_AMP" TaskIsSourceVariable="True" TaskDestinationPath="User::strDestPath_AMP" TaskIsDestinationVariable="True"`,
			filesystem.Properties{Operation: filesystem.CopyFile, OverwriteDestinationFile: true, Source: "User::strSourceZipPath_AMP",
				IsSourcePathVariable: true, Destination: "User::strDestPath_AMP", IsDestinationPathVariable: true}},
		{"attributes and a numbered operation",
			`TaskOperationType="4" TaskSourcePath="Src" TaskFileAttributes="Hidden, ReadOnly"`,
			filesystem.Properties{Operation: filesystem.SetAttributes, Source: "Src", Attributes: filesystem.Hidden | filesystem.ReadOnly}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, x := pkg(t, tt.attrs, "")
			got, probs := filesystem.ReadProperties(x)
			if len(probs) > 0 || got != tt.want {
				t.Errorf("ReadProperties = %+v, %v\nwant %+v", got, probs, tt.want)
			}
		})
	}
	_, x := pkg(t, `TaskOperationType="Shred" TaskIsSourceVariable="Yes" TaskFileAttributes="Secret"`, "")
	_, probs := filesystem.ReadProperties(x)
	if len(probs) != 3 {
		t.Errorf("problems = %v, want Operation, Attributes and IsSourcePathVariable", probs)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name, attrs, extra string
		code               string // "" = valid
		sev                dtsx.Severity
	}{
		{"valid by name", `TaskSourcePath="Src" TaskDestinationPath="Dst"`, "", "", 0},
		{"valid by DTSID", `TaskSourcePath="{20000000-0000-0000-0000-000000000001}" TaskDestinationPath="{20000000-0000-0000-0000-000000000002}"`, "", "", 0},
		{"variables are checked at run time", `TaskSourcePath="User::A" TaskIsSourceVariable="True" TaskDestinationPath="User::B" TaskIsDestinationVariable="True"`, "", "", 0},
		{"delete needs no destination", `TaskOperationType="DeleteFile" TaskSourcePath="Src"`, "", "", 0},
		{"no source", `TaskDestinationPath="Dst"`, "", filesystem.CodeNoSource, dtsx.SeverityError},
		{"no destination", `TaskSourcePath="Src"`, "", filesystem.CodeNoDestination, dtsx.SeverityError},
		{"destination from an expression", `TaskSourcePath="Src"`,
			`<DTS:PropertyExpression DTS:Name="Destination">"Dst"</DTS:PropertyExpression>`, "", 0},
		{"dangling source", `TaskSourcePath="{95EA6229-26A4-434F-BF7C-564E4A2D0574}" TaskDestinationPath="Dst"`, "", connections.CodeDanglingRef, dtsx.SeverityError},
		{"variable name without IsSourcePathVariable", `TaskOperationType="DeleteFile" TaskSourcePath="User::X"`, "", connections.CodeDanglingRef, dtsx.SeverityError},
		{"not a file manager", `TaskSourcePath="Db" TaskDestinationPath="Dst"`, "", filesystem.CodeWrongConnection, dtsx.SeverityError},
		{"bad operation", `TaskOperationType="Shred" TaskSourcePath="Src"`, "", filesystem.CodeBadProperty, dtsx.SeverityError},
		{"bad operation set by an expression", `TaskOperationType="Shred" TaskSourcePath="Src"`,
			`<DTS:PropertyExpression DTS:Name="Operation">2</DTS:PropertyExpression>`, "", 0},
		{"hidden attribute", `TaskOperationType="SetAttributes" TaskSourcePath="Src" TaskFileAttributes="Hidden"`, "", filesystem.CodeAttributeIgnored, dtsx.SeverityWarning},
		{"read-only attribute", `TaskOperationType="SetAttributes" TaskSourcePath="Src" TaskFileAttributes="ReadOnly"`, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task, env := build(t, tt.attrs, tt.extra)
			tasktest.WantDiagnostic(t, task.Validate(context.Background(), env), task.Def, tt.code, tt.sev)
		})
	}
}

// TestSetProperty: property expressions set the runtime names; editor and
// XML names work too; unknown names are left to the runtime; a bad value
// changes nothing.
func TestSetProperty(t *testing.T) {
	task, env := build(t, `TaskOperationType="Shred" TaskSourcePath="Src"`, "")
	for _, s := range [][2]string{{"Operation", "8"}, {"Source", "User::Dir"}, {"IsSourcePathVariable", "True"},
		{"Destination", "Dst"}, {"OverwriteDestination", "True"}, {"Attributes", "ReadOnly"}} {
		if err := task.SetProperty(s[0], s[1]); err != nil {
			t.Fatalf("SetProperty(%s, %s): %v", s[0], s[1], err)
		}
	}
	want := filesystem.Properties{Operation: filesystem.DeleteDirectory, Source: "User::Dir", IsSourcePathVariable: true,
		Destination: "Dst", OverwriteDestinationFile: true, Attributes: filesystem.ReadOnly}
	if task.Props != want {
		t.Errorf("Props = %+v\nwant %+v", task.Props, want)
	}
	if ds := task.Validate(context.Background(), env); len(ds) != 0 {
		t.Errorf("the persisted bad Operation is still reported: %v", ds)
	}
	if err := task.SetProperty("UseDirectoryIfExists", "False"); err != nil || task.Props.OverwriteDestinationFile {
		t.Errorf("UseDirectoryIfExists: %v, %v", err, task.Props.OverwriteDestinationFile)
	}
	if err := task.SetProperty("Operation", "12"); err == nil || task.Props.Operation != filesystem.DeleteDirectory {
		t.Errorf("Operation 12: %v, operation now %v", err, task.Props.Operation)
	}
	if err := task.SetProperty("Description", "x"); !errors.Is(err, tasks.ErrUnknownProperty) {
		t.Errorf("Description: %v", err)
	}
}
