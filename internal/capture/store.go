package capture

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// store writes messages as NNNN.eml into one directory, privately and
// without ever replacing a file.
type store struct {
	dir  string
	root *os.Root // the directory, opened once: later renames or links of its path do not move the writes

	mu    sync.Mutex
	next  int // the number to try first
	files []string
}

// openStore creates dir 0700 when it is absent (parents too) and opens it.
// warn is set when an existing dir is open to group or others: the
// messages are still written 0600, but their names can be listed.
func openStore(dir string) (st *store, warn string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", fmt.Errorf("capture: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", fmt.Errorf("capture: %w", err)
	}
	fi, err := root.Stat(".")
	if err != nil {
		root.Close()
		return nil, "", fmt.Errorf("capture: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		warn = fmt.Sprintf("capture directory %s has mode %04o: other users can list it; chmod 700 %s to keep the captured mail private", dir, perm, dir)
	}
	st = &store{dir: dir, root: root, next: 1}
	// Start after the highest number already there, read as a number (so
	// 10000.eml counts above 9999.eml); a gap is never refilled. This is a
	// hint only: write finds a free name by exclusive creation.
	entries, err := os.ReadDir(dir)
	if err != nil {
		root.Close()
		return nil, "", fmt.Errorf("capture: %w", err)
	}
	for _, e := range entries {
		if k, ok := number(e.Name()); ok && k >= st.next {
			st.next = k + 1
		}
	}
	return st, warn, nil
}

// number parses a message file name, NNNN.eml with four digits or more.
func number(name string) (int, bool) {
	digits, ok := strings.CutSuffix(name, ".eml")
	if !ok || len(digits) < 4 {
		return 0, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	k, err := strconv.Atoi(digits)
	if err != nil || k == math.MaxInt {
		return 0, false
	}
	return k, true
}

// write stores one message under the next free number and returns its
// path. Each name is created with O_CREATE|O_EXCL: an existing file, a
// symbolic link (dangling or not) or a message another run just wrote
// makes the creation fail, and the next number is tried.
func (st *store) write(data []byte) (string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for {
		if st.next == math.MaxInt {
			return "", errors.New("capture: no message number left")
		}
		name := fmt.Sprintf("%04d.eml", st.next)
		st.next++
		f, err := st.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("capture: %w", err)
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		path := filepath.Join(st.dir, name)
		if err != nil {
			st.root.Remove(name) // ours, just created: no half message stays listed
			return "", fmt.Errorf("capture: %s: %w", path, err)
		}
		st.files = append(st.files, path)
		return path, nil
	}
}

// list returns the messages written so far, in order.
func (st *store) list() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append([]string(nil), st.files...)
}

func (st *store) close() error { return st.root.Close() }
