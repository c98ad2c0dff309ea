package filesystem

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dtsx-run/dtsx/connections/file"
	"github.com/dtsx-run/dtsx/tasks"
)

// Errors an operation can fail with (errors.Is), wrapped with the task,
// the operation and the paths.
var (
	// ErrDestinationExists: the destination exists and
	// OverwriteDestination is False.
	ErrDestinationExists = errors.New("filesystem: the destination exists and OverwriteDestination is False")
	// ErrDirectoryExists: CreateDirectory found the directory and
	// UseDirectoryIfExists is False.
	ErrDirectoryExists = errors.New("filesystem: the directory already exists and UseDirectoryIfExists is False")
	// ErrNotFound: the source does not exist.
	ErrNotFound = errors.New("filesystem: the file or directory does not exist")
	// ErrWrongKind: a file where a directory is expected, or the reverse.
	ErrWrongKind = errors.New("filesystem: wrong kind of file system entry")
	// ErrNoPath: a source or destination gives no usable path.
	ErrNoPath = errors.New("filesystem: no path")
)

// endpoint is a source or destination resolved to a path.
type endpoint struct {
	role   string // "source" or "destination"
	path   string // as the package names it
	local  string // on this machine
	folder bool   // a file connection manager whose usage is a folder
}

func (e endpoint) String() string {
	if e.path == e.local {
		return e.path
	}
	return e.path + " (here " + e.local + ")"
}

// resolve turns a Source or Destination into a path: the text of a
// variable, or the first path of a file connection manager, mapped by
// LocalPath.
func resolve(env tasks.RunEnv, role, ref string, isVar bool) (endpoint, error) {
	e := endpoint{role: role}
	if strings.TrimSpace(ref) == "" {
		return e, fmt.Errorf("%w: the %s is not set", ErrNoPath, role)
	}
	if isVar {
		v, err := env.Variable(ref)
		if err != nil {
			return e, fmt.Errorf("the %s variable %s: %w", role, ref, err)
		}
		s, ok := v.Text()
		if !ok {
			if v.IsNull() {
				return e, fmt.Errorf("%w: the %s variable %s is NULL", ErrNoPath, role, ref)
			}
			return e, fmt.Errorf("%w: the %s variable %s is not a string (it is %s)", ErrNoPath, role, ref, v.Type())
		}
		if strings.TrimSpace(s) == "" {
			return e, fmt.Errorf("%w: the %s variable %s is empty", ErrNoPath, role, ref)
		}
		e.path = s
	} else {
		m, err := env.Connection(ref)
		if err != nil {
			return e, fmt.Errorf("the %s connection manager %s: %w", role, ref, err)
		}
		fm, ok := m.(*file.Manager)
		if !ok {
			d := m.Definition()
			return e, fmt.Errorf("%w: the %s connection manager %q is of type %s, not a file connection manager", ErrNoPath, role, d.Name, d.CreationName)
		}
		paths := fm.Paths()
		if len(paths) == 0 || strings.TrimSpace(paths[0]) == "" {
			return e, fmt.Errorf("%w: the %s connection manager %q has no path", ErrNoPath, role, fm.Def.Name)
		}
		e.path = paths[0]
		e.folder = fm.Usage == file.ExistingFolder || fm.Usage == file.CreateFolder
	}
	e.local = env.LocalPath(e.path)
	if e.local == "" {
		return e, fmt.Errorf("%w: the %s %q maps to no local path", ErrNoPath, e.role, e.path)
	}
	return e, nil
}

// isDir reports whether a destination names a folder to put the source in.
func (e endpoint) isDir() bool {
	if e.folder || strings.HasSuffix(e.path, `\`) || strings.HasSuffix(e.path, "/") {
		return true
	}
	st, err := os.Stat(e.local)
	return err == nil && st.IsDir()
}

// Execute performs the task's operation.
func (t *Task) Execute(ctx context.Context, env tasks.RunEnv) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p := t.Props
	op := p.Operation
	fail := func(err error) error { return t.Errorf("%s: %w", op, err) }
	if err := t.ProblemError(); err != nil {
		return fail(err)
	}
	src, err := resolve(env, "source", p.Source, p.IsSourcePathVariable)
	if err != nil {
		return fail(err)
	}
	var dst endpoint
	if op.NeedsDestination() {
		if dst, err = resolve(env, "destination", p.Destination, p.IsDestinationPathVariable); err != nil {
			return t.Errorf("%s %s: %w", op, src, err)
		}
		fail = func(err error) error { return t.Errorf("%s %s to %s: %w", op, src, dst, err) }
	} else {
		fail = func(err error) error { return t.Errorf("%s %s: %w", op, src, err) }
	}
	env.Progress(0, fmt.Sprintf("%s %s", op, src.local))
	target, err := t.run(ctx, env, op, src, dst)
	if err != nil {
		return fail(err)
	}
	data := map[string]any{"operation": op.String(), "source": src.local}
	msg := fmt.Sprintf("%s %s", op, src.local)
	if target != "" {
		data["destination"] = target
		msg += " to " + target
	}
	env.Record(tasks.Record{Kind: "file-operation", Data: data})
	env.Info(msg)
	return nil
}

// run performs op and returns the destination path it produced, if any.
func (t *Task) run(ctx context.Context, env tasks.RunEnv, op Operation, src, dst endpoint) (string, error) {
	overwrite := t.Props.OverwriteDestinationFile
	switch op {
	case CopyFile, MoveFile, RenameFile:
		if err := mustBe(src.local, false); err != nil {
			return "", err
		}
		target := dst.local
		if op != RenameFile && dst.isDir() {
			target = filepath.Join(dst.local, filepath.Base(src.local))
		}
		if st, err := os.Stat(target); err == nil {
			if st.IsDir() {
				return "", fmt.Errorf("%w: %s is a directory", ErrWrongKind, target)
			}
			if ss, err := os.Stat(src.local); err == nil && os.SameFile(ss, st) {
				if op == CopyFile {
					return "", fmt.Errorf("%w: %s is the source itself", ErrDestinationExists, target)
				}
				return target, nil
			}
			if !overwrite {
				return "", fmt.Errorf("%w: %s", ErrDestinationExists, target)
			}
		}
		if op == CopyFile {
			return target, copyFile(ctx, src.local, target)
		}
		return target, moveFile(ctx, src.local, target)

	case DeleteFile:
		if err := mustBe(src.local, false); err != nil {
			return "", err
		}
		return "", os.Remove(src.local)

	case CreateDirectory:
		st, err := os.Stat(src.local)
		switch {
		case err == nil && !st.IsDir():
			return "", fmt.Errorf("%w: %s exists and is a file", ErrWrongKind, src.local)
		case err == nil && !overwrite:
			return "", fmt.Errorf("%w: %s", ErrDirectoryExists, src.local)
		case err == nil:
			env.Info(fmt.Sprintf("directory %s exists and is used (UseDirectoryIfExists)", src.local))
			return "", nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", err
		}
		return "", os.MkdirAll(src.local, 0o777)

	case CopyDirectory:
		if err := mustBe(src.local, true); err != nil {
			return "", err
		}
		if err := notInside(src.local, dst.local); err != nil {
			return "", err
		}
		return dst.local, copyTree(ctx, src.local, dst.local, overwrite)

	case MoveDirectory:
		if err := mustBe(src.local, true); err != nil {
			return "", err
		}
		target := dst.local
		if st, err := os.Stat(target); err == nil {
			if !st.IsDir() {
				return "", fmt.Errorf("%w: %s is a file", ErrWrongKind, target)
			}
			target = filepath.Join(target, filepath.Base(src.local))
		}
		if err := notInside(src.local, target); err != nil {
			return "", err
		}
		if err := guardRoot(src.local); err != nil {
			return "", err
		}
		if st, err := os.Stat(target); err == nil {
			if !st.IsDir() {
				return "", fmt.Errorf("%w: %s is a file", ErrWrongKind, target)
			}
			if !overwrite {
				return "", fmt.Errorf("%w: %s", ErrDestinationExists, target)
			}
			// Merge into the existing directory, replacing files.
			if err := copyTree(ctx, src.local, target, true); err != nil {
				return "", err
			}
			return target, os.RemoveAll(src.local)
		}
		return target, moveDir(ctx, src.local, target)

	case DeleteDirectory:
		if err := mustBe(src.local, true); err != nil {
			return "", err
		}
		if err := guardRoot(src.local); err != nil {
			return "", err
		}
		return "", os.RemoveAll(src.local)

	case DeleteDirectoryContent:
		if err := mustBe(src.local, true); err != nil {
			return "", err
		}
		if err := guardRoot(src.local); err != nil {
			return "", err
		}
		entries, err := os.ReadDir(src.local)
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return "", err
			}
			if err := os.RemoveAll(filepath.Join(src.local, e.Name())); err != nil {
				return "", err
			}
		}
		return "", nil

	case SetAttributes:
		return "", setAttributes(env, src.local, t.Props.Attributes)
	}
	return "", fmt.Errorf("operation %d is not a File System operation", int(op))
}

// mustBe checks that p exists and is a directory (dir) or not.
func mustBe(p string, dir bool) error {
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNotFound, p)
	}
	if err != nil {
		return err
	}
	switch {
	case dir && !st.IsDir():
		return fmt.Errorf("%w: %s is a file, not a directory", ErrWrongKind, p)
	case !dir && st.IsDir():
		return fmt.Errorf("%w: %s is a directory, not a file", ErrWrongKind, p)
	}
	return nil
}

// guardRoot refuses to remove or move a file system root, whatever a
// variable says.
func guardRoot(p string) error {
	abs, err := filepath.Abs(p)
	if err != nil {
		return err
	}
	if filepath.Dir(abs) == abs {
		return fmt.Errorf("%w: refusing to remove or move the root directory %s", ErrWrongKind, abs)
	}
	return nil
}

// notInside refuses a destination inside the source directory.
func notInside(src, dst string) error {
	as, err1 := filepath.Abs(src)
	ad, err2 := filepath.Abs(dst)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if rel, err := filepath.Rel(as, ad); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return fmt.Errorf("%w: the destination %s is inside the source directory %s", ErrWrongKind, ad, as)
	}
	return nil
}

// setAttributes maps ReadOnly to the write permission bits of a file and
// warns about the attributes Linux does not have.
func setAttributes(env tasks.RunEnv, p string, a Attributes) error {
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNotFound, p)
	}
	if err != nil {
		return err
	}
	if ignored := a &^ ReadOnly; ignored != Normal {
		env.Warn(fmt.Sprintf("attributes %s of %s have no Linux equivalent and are not set", ignored, p))
	}
	if st.IsDir() {
		if a&ReadOnly != 0 {
			env.Warn(fmt.Sprintf("%s is a directory: its permissions are left as they are (a read-only folder on Windows still accepts new files)", p))
		}
		return nil
	}
	mode := st.Mode().Perm()
	want := mode | 0o200
	if a&ReadOnly != 0 {
		want = mode &^ 0o222
	}
	if want == mode {
		return nil
	}
	return os.Chmod(p, want)
}
