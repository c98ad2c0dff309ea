package cache

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/dtsx"
)

// Diagnostic codes of this package.
const (
	CodeCacheFile = "cache-file"
	CodeColumns   = "cache-columns"
)

// Column is one column of the cache.
type Column struct {
	Name string
	// IndexPosition is 0 for a column that is not in the index, else its
	// position in the index (1, 2, ...), by which Lookup joins.
	IndexPosition int
	// DataType is the SSIS data type number (3 DT_I4, 130 DT_WSTR, ...).
	DataType                           int
	Length, Precision, Scale, CodePage int
}

// Manager is a Cache connection manager and, once written, its rows.
type Manager struct {
	Def *dtsx.ConnectionManager
	// Columns are the cache's columns, in their persisted order.
	Columns []Column
	// UseFile and FileName say whether the cache is kept in a .caw file,
	// and which.
	UseFile  bool
	FileName string
	diags    dtsx.Diagnostics

	mu     sync.Mutex
	rows   [][]any
	writer string // who wrote the rows, "" while none did
}

// New is the Factory of the CACHE connection manager: it reads the
// definition and keeps what is wrong with it for Validate.
func New(def *dtsx.ConnectionManager) (*Manager, error) {
	m := &Manager{Def: def}
	path := def.RefID
	if path == "" {
		path = "Package.ConnectionManagers[" + def.Name + "]"
	}
	bad := func(code, msg, hint string) {
		m.diags = append(m.diags, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: code, File: def.File, Path: path,
			Message: fmt.Sprintf("cache connection manager %q: %s", def.Name, msg), Hint: hint})
	}
	e := def.ObjectData
	if e == nil {
		bad(CodeColumns, "it has no columns (no ObjectData)", "set its columns on the Columns page of the Cache Connection Manager Editor")
		return m, nil
	}
	o := dtsx.Object{Element: e}
	if v, ok := o.Property("UseFile"); ok {
		b, ok := dtsx.ParseBool(v)
		if !ok {
			bad(dtsx.CodeBadValue, fmt.Sprintf("UseFile is %q", v), "use True or False")
		}
		m.UseFile = b
	}
	m.FileName, _ = o.Property("FileName")
	if m.UseFile {
		file := m.FileName
		if file == "" {
			file = def.ConnectionString
		}
		bad(CodeCacheFile, fmt.Sprintf("it keeps its cache in the file \"%s\" (Use file cache), whose .caw format is proprietary and which this runtime cannot read or write", file),
			"clear Use file cache so that a Cache Transform of the same package fills the cache in memory")
	}
	for _, ce := range columnElements(e) {
		c, err := column(ce)
		if err != nil {
			bad(dtsx.CodeBadValue, err.Error(), "correct the column on the Columns page of the Cache Connection Manager Editor")
			continue
		}
		m.Columns = append(m.Columns, c)
	}
	if err := checkIndex(m.Columns); err != nil {
		bad(CodeColumns, err.Error(), "give the index columns the positions 1, 2, ... and the others 0")
	}
	return m, nil
}

// columnElements returns the CacheColumn elements: children of the
// manager's element or of a CacheColumns element in it.
func columnElements(e *etree.Element) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		switch c.Tag {
		case "CacheColumns":
			out = append(out, columnElements(c)...)
		case "CacheColumn":
			out = append(out, c)
		}
	}
	return out
}

func column(e *etree.Element) (Column, error) {
	o := dtsx.Object{Element: e}
	var c Column
	for _, n := range []string{"ObjectName", "Name", "CacheColumnName"} {
		if v, ok := o.Property(n); ok && strings.TrimSpace(v) != "" {
			c.Name = strings.TrimSpace(v)
			break
		}
	}
	if c.Name == "" {
		return c, fmt.Errorf("a cache column has no name")
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"IndexPosition", &c.IndexPosition}, {"DataType", &c.DataType}, {"Length", &c.Length},
		{"Precision", &c.Precision}, {"Scale", &c.Scale}, {"CodePage", &c.CodePage}} {
		v, ok := o.Property(f.name)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return c, fmt.Errorf("cache column %q: %s is %q, not a whole number", c.Name, f.name, v)
		}
		*f.dst = n
	}
	return c, nil
}

// checkIndex reports the index positions SSIS refuses: none
// (DTS_E_CACHE_TOO_FEW_INDEX_COLUMNS), one twice
// (DTS_E_CACHE_DUPLICATE_INDEXPOS), or positions that are not 1, 2, ...
func checkIndex(cols []Column) error {
	seen := map[int]string{}
	for _, c := range cols {
		if c.IndexPosition < 0 {
			return fmt.Errorf("column %q has the index position %d: for non-index columns, the index position should be 0", c.Name, c.IndexPosition)
		}
		if c.IndexPosition == 0 {
			continue
		}
		if prev, dup := seen[c.IndexPosition]; dup {
			return fmt.Errorf("the index position %d of columns %q and %q is a duplicate", c.IndexPosition, prev, c.Name)
		}
		seen[c.IndexPosition] = c.Name
	}
	if len(seen) == 0 {
		return fmt.Errorf("at least one index column should be specified: set the index position of a column")
	}
	for i := 1; i <= len(seen); i++ {
		if _, ok := seen[i]; !ok {
			return fmt.Errorf("the index positions are not sequential: no column has the position %d", i)
		}
	}
	return nil
}

// Definition returns the persisted manager.
func (m *Manager) Definition() *dtsx.ConnectionManager { return m.Def }

// Validate reports what New found wrong: a file cache, a column that does
// not read, index positions SSIS refuses.
func (m *Manager) Validate() dtsx.Diagnostics { return append(dtsx.Diagnostics(nil), m.diags...) }

// ErrUnusable is matched by the error of a manager whose definition
// Validate refuses.
var ErrUnusable = errors.New("cache: the cache connection manager cannot be used")

// usable returns the first problem of the definition as an ErrUnusable
// error.
func (m *Manager) usable() error {
	if len(m.diags) > 0 {
		return fmt.Errorf("%w: %s", ErrUnusable, m.diags[0].Message)
	}
	return nil
}

// Index returns the names of the index columns, in their index order.
func (m *Manager) Index() []string {
	out := make([]string, 0, len(m.Columns))
	for pos := 1; ; pos++ {
		found := false
		for _, c := range m.Columns {
			if c.IndexPosition == pos {
				out, found = append(out, c.Name), true
			}
		}
		if !found {
			return out
		}
	}
}

// Column returns the index of the column named name (case-insensitive),
// or -1.
func (m *Manager) Column(name string) int {
	for i, c := range m.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// ErrWritten is matched by the error of a second writer of the cache: in
// a package, only the first Cache Transform that runs writes a Cache
// connection manager ("Cache Transform").
var ErrWritten = errors.New("cache: the cache is written by another Cache Transform")

// ErrNotWritten is matched by the error of reading a cache no Cache
// Transform has written in this run.
var ErrNotWritten = errors.New("cache: no Cache Transform has written the cache")

// Write replaces the cache's rows, each with a value per column in the
// order of Columns, as the Cache Transform writer (named by its refId)
// has them. A writer other than the first fails with ErrWritten; the
// first may write again (its Data Flow run once more, in a loop).
func (m *Manager) Write(writer string, rows [][]any) error {
	if err := m.usable(); err != nil {
		return err
	}
	for i, r := range rows {
		if len(r) != len(m.Columns) {
			return fmt.Errorf("cache %q: row %d has %d values for %d columns", m.Def.Name, i, len(r), len(m.Columns))
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.writer != "" && m.writer != writer {
		return fmt.Errorf("%w: cache %q was written by %s, and only one Cache Transform may write a Cache connection manager", ErrWritten, m.Def.Name, m.writer)
	}
	m.rows, m.writer = rows, writer
	return nil
}

// Rows returns the rows written, in the order of Columns; they must not
// be changed. Before any Cache Transform has written the cache it fails
// with ErrNotWritten.
func (m *Manager) Rows() ([][]any, error) {
	if err := m.usable(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.writer == "" {
		return nil, fmt.Errorf("%w: cache %q is empty: run the Data Flow whose Cache Transform fills it before the one that reads it", ErrNotWritten, m.Def.Name)
	}
	return m.rows, nil
}

var _ connections.Manager = (*Manager)(nil)
