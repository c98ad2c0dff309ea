package transform

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// CacheType is how Lookup holds its reference rows, as persisted in its
// CacheType property.
type CacheType int

// The cache types.
const (
	FullCache    CacheType = 0
	PartialCache CacheType = 1
	NoCache      CacheType = 2
)

// NoMatchBehavior is what Lookup does with a row that matches no reference
// row, as persisted in its NoMatchBehavior property.
type NoMatchBehavior int

// The no-match behaviors.
const (
	// TreatAsError applies the error row disposition of the match output
	// (ErrorRowDisposition): fail, ignore (the row goes to the match output
	// with NULL lookup columns) or redirect to the error output.
	TreatAsError NoMatchBehavior = 0
	// SendToNoMatchOutput sends the row to the no match output.
	SendToNoMatchOutput NoMatchBehavior = 1
)

// CodeLookupNoMatch is DTS_E_TXLOOKUP_ROWLOOKUPERROR (0xC020901E, "Row
// yielded no match during lookup"), the ErrorCode of a row Lookup redirects
// because it has no match.
const CodeLookupNoMatch = dataflow.CodeLookupNoMatch

// ErrNoMatch is the cause of the row error of a row without a match.
var ErrNoMatch = errors.New("row yielded no match during lookup")

// Reference is where Lookup finds its reference rows: Columns names the
// columns of every row it returns, in order. Rows returns every reference
// row (the SqlCommand's result; full cache). Match returns the rows whose
// join columns equal key (the SqlCommandParam statement run with the key's
// values as parameters; partial and no cache). The adapter builds them on
// a connection; tests give rows in memory.
type Reference struct {
	Columns []string
	Rows    func(ctx context.Context) ([][]any, error)
	Match   func(ctx context.Context, key []any) ([][]any, error)
}

// LookupKey is a join column of Lookup: the lineage ID of an input column
// and the reference column it joins (its JoinToReferenceColumn property).
type LookupKey struct {
	Lineage               int
	JoinToReferenceColumn string
}

// LookupColumn is a column Lookup adds to the rows it matches: the output
// column and the reference column it copies (CopyFromReferenceColumn).
type LookupColumn struct {
	Column                  dataflow.Column
	CopyFromReferenceColumn string
}

// Lookup is the Lookup transformation ("Lookup Transformation"): a
// synchronous component that joins each row to a reference row on its Keys
// and copies the reference columns of Columns into it. Its outputs are
// "Lookup Match Output" (0), "Lookup No Match Output" (1) and "Lookup Error
// Output" (2).
//
// In full cache (CacheType 0) it reads every reference row before the
// first row and matches in memory: exactly, so case-sensitively and with
// trailing spaces significant, as SSIS's full cache does, whatever the
// database's collation; a NULL key never matches; when reference rows share
// a key, the first one is used. In partial cache (1) and no cache (2) it
// asks Reference.Match for each key (so the database's comparison rules
// apply, and NULL matches nothing with an "=" condition). Partial cache
// keeps the keys it has looked up in MaxMemoryUsage64 megabytes (5 when 0,
// the editor's default), as estimated from the sizes of their keys and
// values; NoMatchCachePercentage percent of it holds keys without a match
// (none when 0). When a part is full, a little-used entry leaves it (the
// least used of a few sampled, an approximation of SSIS's least frequently
// used).
type Lookup struct {
	Label                  string
	CacheType              CacheType
	NoMatchBehavior        NoMatchBehavior
	ErrorRowDisposition    dataflow.Disposition
	Keys                   []LookupKey
	Columns                []LookupColumn
	Reference              Reference
	MaxMemoryUsage64       int
	NoMatchCachePercentage int

	keyCols []int
	outCols []int
	refKey  []int
	refCopy []int
	loaded  bool
	full    map[string][]any
	cache   map[string]*cached
	used    [2]int // bytes of the cached matches and misses
	keyBuf  []byte
	vals    []any
	queries int
}

type cached struct {
	row  []any // nil for a key without a match
	hits int
	size int
}

// Queries returns how many times the last run called Reference.Match.
func (l *Lookup) Queries() int { return l.queries }

// Name returns the component's name.
func (l *Lookup) Name() string { return l.Label }

// Outputs returns the match, no match and error outputs.
func (l *Lookup) Outputs() []dataflow.Output {
	cols := make([]dataflow.Column, len(l.Columns))
	for i, c := range l.Columns {
		cols[i] = c.Column
	}
	return []dataflow.Output{
		{Name: "Lookup Match Output", Columns: cols},
		{Name: "Lookup No Match Output"},
		{Name: "Lookup Error Output", Error: true},
	}
}

func (l *Lookup) refIndex(name string) (int, error) {
	for i, c := range l.Reference.Columns {
		if c == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("%w: the reference has no column %q (its columns: %q)", dataflow.ErrInvalid, name, l.Reference.Columns)
}

// Prepare resolves the join and copied columns.
func (l *Lookup) Prepare(lay *dataflow.Layout) error {
	if len(l.Keys) == 0 {
		return fmt.Errorf("%w: Lookup has no join column (set JoinToReferenceColumn on an input column)", dataflow.ErrInvalid)
	}
	switch l.CacheType {
	case FullCache:
		if l.Reference.Rows == nil {
			return fmt.Errorf("%w: Lookup in full cache has no reference rows (SqlCommand)", dataflow.ErrInvalid)
		}
	case PartialCache, NoCache:
		if l.Reference.Match == nil {
			return fmt.Errorf("%w: Lookup in partial or no cache has no reference query (SqlCommandParam)", dataflow.ErrInvalid)
		}
	default:
		return fmt.Errorf("%w: Lookup has CacheType %d (want 0 full, 1 partial or 2 none)", dataflow.ErrInvalid, l.CacheType)
	}
	l.keyCols, l.refKey, l.outCols, l.refCopy = nil, nil, nil, nil
	for _, k := range l.Keys {
		i, err := lay.Index(k.Lineage)
		if err != nil {
			return fmt.Errorf("join column: %w", err)
		}
		r, err := l.refIndex(k.JoinToReferenceColumn)
		if err != nil {
			return err
		}
		l.keyCols, l.refKey = append(l.keyCols, i), append(l.refKey, r)
	}
	for _, c := range l.Columns {
		i, err := lay.Index(c.Column.LineageID)
		if err != nil {
			return err
		}
		r, err := l.refIndex(c.CopyFromReferenceColumn)
		if err != nil {
			return err
		}
		l.outCols, l.refCopy = append(l.outCols, i), append(l.refCopy, r)
	}
	l.loaded, l.full, l.cache, l.queries, l.used = false, nil, map[string]*cached{}, 0, [2]int{}
	l.vals = make([]any, len(l.Keys))
	return nil
}

func (l *Lookup) load(ctx context.Context) error {
	rows, err := l.Reference.Rows(ctx)
	if err != nil {
		return fmt.Errorf("reading the reference rows: %w", err)
	}
	l.full = make(map[string][]any, len(rows))
	for i, row := range rows {
		if len(row) != len(l.Reference.Columns) {
			return fmt.Errorf("reference row %d has %d values for %d columns", i, len(row), len(l.Reference.Columns))
		}
		var k []byte
		ok := true
		for _, c := range l.refKey {
			if k, ok = appendValueKey(k, row[c]); !ok {
				break
			}
		}
		if !ok {
			continue // a NULL key never matches
		}
		if _, dup := l.full[string(k)]; !dup {
			l.full[string(k)] = row
		}
	}
	l.loaded = true
	return nil
}

// find returns the reference row of the buffer row, or nil.
func (l *Lookup) find(ctx context.Context, b *dataflow.Buffer, r int) ([]any, error) {
	for i, c := range l.keyCols {
		l.vals[i] = b.Value(c, r)
	}
	if l.CacheType == FullCache {
		k := l.keyBuf[:0]
		ok := true
		for _, v := range l.vals {
			if k, ok = appendValueKey(k, v); !ok {
				return nil, nil
			}
		}
		l.keyBuf = k
		return l.full[string(k)], nil
	}
	var k []byte
	if l.CacheType == PartialCache {
		k = l.keyBuf[:0]
		for _, v := range l.vals {
			k, _ = appendValueKey(k, v)
		}
		l.keyBuf = k
		if c, ok := l.cache[string(k)]; ok {
			c.hits++
			return c.row, nil
		}
	}
	l.queries++
	rows, err := l.Reference.Match(ctx, append([]any(nil), l.vals...))
	if err != nil {
		return nil, fmt.Errorf("looking up the row: %w", err)
	}
	var row []any
	if len(rows) > 0 {
		row = rows[0]
		if len(row) != len(l.Reference.Columns) {
			return nil, fmt.Errorf("the reference query returned %d values for %d columns", len(row), len(l.Reference.Columns))
		}
	}
	if l.CacheType == PartialCache && (row != nil || l.NoMatchCachePercentage > 0) {
		l.remember(string(k), row)
	}
	return row, nil
}

func (l *Lookup) remember(k string, row []any) {
	total := l.MaxMemoryUsage64
	if total <= 0 {
		total = 5
	}
	total <<= 20
	part, budget := 0, total*(100-min(max(l.NoMatchCachePercentage, 0), 100))/100
	if row == nil {
		part, budget = 1, total-budget
	}
	size := entrySize(k, row)
	if size > budget {
		return
	}
	for l.used[part]+size > budget {
		// Sample a few entries of the part (map order is random) and
		// evict the least used.
		victim, least, seen := "", math.MaxInt, 0
		for key, c := range l.cache {
			if (c.row == nil) != (part == 1) {
				continue
			}
			if c.hits < least {
				victim, least = key, c.hits
			}
			if seen++; seen == 8 {
				break
			}
		}
		if least == math.MaxInt {
			break
		}
		l.used[part] -= l.cache[victim].size
		delete(l.cache, victim)
	}
	l.cache[k] = &cached{row: row, size: size}
	l.used[part] += size
}

// entrySize estimates the bytes a cache entry holds.
func entrySize(k string, row []any) int {
	n := 64 + len(k)
	for _, v := range row {
		n += 16
		switch x := v.(type) {
		case string:
			n += len(x)
		case []byte:
			n += len(x)
		}
	}
	return n
}

// Process matches the rows.
func (l *Lookup) Process(ctx context.Context, b *dataflow.Buffer, rows []int, rt *dataflow.Router) error {
	if l.CacheType == FullCache && !l.loaded {
		if err := l.load(ctx); err != nil {
			return err
		}
	}
	for _, r := range rows {
		ref, err := l.find(ctx, b, r)
		if err != nil {
			return err
		}
		if ref == nil {
			if l.NoMatchBehavior == SendToNoMatchOutput {
				rt.Send(1, r)
				continue
			}
			handled, err := rt.RowError(r, l.ErrorRowDisposition, CodeLookupNoMatch, 0, ErrNoMatch)
			if err != nil {
				return err
			}
			if !handled {
				rt.Send(0, r)
			}
			continue
		}
		for i, c := range l.outCols {
			if err := setCell(b, c, r, ref[l.refCopy[i]]); err != nil {
				return fmt.Errorf("copying reference column %q: %w", l.Columns[i].CopyFromReferenceColumn, err)
			}
		}
		rt.Send(0, r)
	}
	return nil
}

// appendValueKey appends an encoding of a Go value to dst such that the
// values SSIS's full cache treats as equal have equal encodings: integers
// of any Go type by value (a float or decimal with an integral value as
// that integer), strings and bytes byte for byte, dates by their wall
// clock. ok is false for nil (NULL).
func appendValueKey(dst []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return dst, false
	case int:
		return appendValueKey(dst, int64(x))
	case int8:
		return appendValueKey(dst, int64(x))
	case int16:
		return appendValueKey(dst, int64(x))
	case int32:
		return appendValueKey(dst, int64(x))
	case int64:
		return append(strconv.AppendInt(append(dst, 'n'), x, 10), ';'), true
	case uint8:
		return appendValueKey(dst, int64(x))
	case uint16:
		return appendValueKey(dst, int64(x))
	case uint32:
		return appendValueKey(dst, int64(x))
	case uint64:
		if x <= math.MaxInt64 {
			return appendValueKey(dst, int64(x))
		}
		return append(strconv.AppendUint(append(dst, 'n'), x, 10), ';'), true
	case float32:
		return appendValueKey(dst, float64(x))
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<62 {
			return appendValueKey(dst, int64(x))
		}
		return append(strconv.AppendFloat(append(dst, 'f'), x, 'g', -1, 64), ';'), true
	case dataflow.Decimal:
		r := decimalRat(x)
		if r.IsInt() && r.Num().IsInt64() {
			return appendValueKey(dst, r.Num().Int64())
		}
		return append(append(dst, 'd'), r.RatString()+";"...), true
	case bool:
		if x {
			return append(dst, 'B', '1'), true
		}
		return append(dst, 'B', '0'), true
	case string:
		return append(strconv.AppendInt(append(dst, 's'), int64(len(x)), 10), append([]byte{':'}, x...)...), true
	case []byte:
		return append(strconv.AppendInt(append(dst, 'b'), int64(len(x)), 10), append([]byte{':'}, x...)...), true
	case time.Time:
		return append(x.AppendFormat(append(dst, 't'), "2006-01-02T15:04:05.999999999"), ';'), true
	}
	return fmt.Appendf(append(dst, '?'), "%T:%v;", v, v), true
}

// setCell sets a cell from a value a database returned, converting what
// drivers commonly return (an integer or float for a decimal column, bytes
// for a string column, text for a decimal) to the column's storage.
func setCell(b *dataflow.Buffer, col, row int, v any) error {
	k := b.Layout().Columns[col].Kind
	switch classOf(k) {
	case classString:
		if x, ok := v.([]byte); ok {
			v = string(x)
		}
	case classBytes:
		if x, ok := v.(string); ok {
			v = []byte(x)
		}
	case classFloat:
		switch x := v.(type) {
		case int64:
			v = float64(x)
		case int:
			v = float64(x)
		}
	case classDecimal:
		var r *big.Rat
		switch x := v.(type) {
		case int64:
			r = new(big.Rat).SetInt64(x)
		case int:
			r = new(big.Rat).SetInt64(int64(x))
		case float64:
			r = new(big.Rat).SetFloat64(x)
		case string:
			r, _ = new(big.Rat).SetString(x)
		case []byte:
			r, _ = new(big.Rat).SetString(string(x))
		}
		if r != nil {
			d, err := ratDecimal(r, uint8(b.Layout().Columns[col].Scale))
			if err != nil {
				return err
			}
			v = d
		}
	}
	return b.SetValue(col, row, v)
}

var _ dataflow.Transform = (*Lookup)(nil)
