package filesystem

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// copyFile copies the regular file src to dst, replacing dst, keeping the
// mode and the modification time. The data goes to a temporary file beside
// dst that is renamed into place, so dst is never left half written.
func copyFile(ctx context.Context, src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is not a regular file", ErrWrongKind, src)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".dtsx-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := io.Copy(tmp, ctxReader{ctx, in}); err != nil {
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chtimes(tmp.Name(), time.Time{}, st.ModTime()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return err
	}
	done = true
	return nil
}

// moveFile renames src to dst, replacing dst; across file systems it copies
// and removes src.
func moveFile(ctx context.Context, src, dst string) error {
	err := os.Rename(src, dst)
	if !errors.Is(err, syscall.EXDEV) {
		return err
	}
	if err := copyFile(ctx, src, dst); err != nil {
		return err
	}
	return os.Remove(src)
}

// moveDir renames the directory src to dst, which does not exist; across
// file systems it copies the tree and removes src.
func moveDir(ctx context.Context, src, dst string) error {
	err := os.Rename(src, dst)
	if !errors.Is(err, syscall.EXDEV) {
		return err
	}
	if err := copyTree(ctx, src, dst, false); err != nil {
		return err
	}
	return os.RemoveAll(src)
}

// copyTree copies the content of directory src into directory dst,
// creating dst and subdirectories as needed. Without overwrite, an existing
// destination file is found before anything is copied and fails the copy.
// Symbolic links are copied as links.
func copyTree(ctx context.Context, src, dst string, overwrite bool) error {
	if !overwrite {
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(src, p)
			if err != nil || rel == "." {
				return err
			}
			st, err := os.Lstat(filepath.Join(dst, rel))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				if d.IsDir() {
					return filepath.SkipDir // nothing below it exists either
				}
				return nil
			case err != nil:
				return err
			case d.IsDir() && st.IsDir():
				return nil
			case d.IsDir():
				return fmt.Errorf("%w: %s is a file where the copy needs a directory", ErrWrongKind, filepath.Join(dst, rel))
			}
			return fmt.Errorf("%w: %s", ErrDestinationExists, filepath.Join(dst, rel))
		})
		if err != nil {
			return err
		}
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if st, err := os.Stat(target); err == nil {
				if !st.IsDir() {
					return fmt.Errorf("%w: %s is a file where the copy needs a directory", ErrWrongKind, target)
				}
				return nil
			}
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			if st, err := os.Lstat(target); err == nil {
				if st.IsDir() {
					return fmt.Errorf("%w: %s is a directory", ErrWrongKind, target)
				}
				if err := os.Remove(target); err != nil {
					return err
				}
			}
			return os.Symlink(link, target)
		case info.Mode().IsRegular():
			if st, err := os.Stat(target); err == nil && st.IsDir() {
				return fmt.Errorf("%w: %s is a directory", ErrWrongKind, target)
			}
			return copyFile(ctx, p, target)
		}
		return fmt.Errorf("%w: %s is neither a file, a directory nor a link", ErrWrongKind, p)
	})
}
