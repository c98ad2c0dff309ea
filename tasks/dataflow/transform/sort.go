package transform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"golang.org/x/text/collate"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// SortKey is an input column Sort orders by: its lineage ID, its
// NewSortKeyPosition (1 for the first key, negative for a descending key)
// and its NewComparisonFlags.
type SortKey struct {
	Lineage            int
	NewSortKeyPosition int
	NewComparisonFlags Comparison
}

// Sort is the Sort transformation ("Sort Transformation"): an asynchronous,
// blocking component that keeps every row of its input until the input
// ends, orders the rows by its keys (stable: rows with equal keys keep their
// order) and sends them in that order. With EliminateDuplicates it sends
// only the first row of each set of rows whose sort keys compare equal.
// Columns are the output columns; SortColumnID[j] is the lineage ID of the
// input column that feeds output column j (its SortColumnId property), 0
// for none. Locale is the BCP 47 tag of the component's LocaleID.
//
// Sort keeps the buffers it receives, so its memory grows with the rows of
// its input; as in SSIS, nothing leaves it before its input has ended.
type Sort struct {
	Label               string
	Columns             []dataflow.Column
	SortColumnID        []int
	Keys                []SortKey
	EliminateDuplicates bool
	Locale              string
}

// Name returns the component's name.
func (s *Sort) Name() string { return s.Label }

// Outputs returns the one output, "Sort Output".
func (s *Sort) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Sort Output", Columns: s.Columns}}
}

// SortedOutput describes the Sort's output as Merge and Merge Join need
// it: sorted (IsSorted), on the output columns its keys pass through, in
// key order (their SortKeyPosition). The keys stop at the first one not
// passed through to the output.
func (s *Sort) SortedOutput() SortedInput {
	ks := slices.Clone(s.Keys)
	abs := func(n int) int { return max(n, -n) }
	slices.SortStableFunc(ks, func(a, b SortKey) int { return abs(a.NewSortKeyPosition) - abs(b.NewSortKeyPosition) })
	out := SortedInput{IsSorted: true}
	for _, k := range ks {
		j := slices.Index(s.SortColumnID, k.Lineage)
		if j < 0 || j >= len(s.Columns) {
			break
		}
		out.Keys = append(out.Keys, s.Columns[j].LineageID)
		out.Descending = append(out.Descending, k.NewSortKeyPosition < 0)
		out.ComparisonFlags = append(out.ComparisonFlags, k.NewComparisonFlags)
	}
	return out
}

type rowRef struct {
	b *dataflow.Buffer
	r int
}

// sortKeys orders the keys by the absolute value of their positions and
// resolves them in the layout.
func sortKeys(l *dataflow.Layout, ks []SortKey, locale string) ([]key, error) {
	if len(ks) == 0 {
		return nil, fmt.Errorf("%w: no sort key (set NewSortKeyPosition on at least one input column)", dataflow.ErrInvalid)
	}
	ks = slices.Clone(ks)
	abs := func(n int) int { return max(n, -n) }
	slices.SortStableFunc(ks, func(a, b SortKey) int { return abs(a.NewSortKeyPosition) - abs(b.NewSortKeyPosition) })
	keys := make([]key, len(ks))
	for i, k := range ks {
		if k.NewSortKeyPosition == 0 {
			return nil, fmt.Errorf("%w: sort key with lineage ID %d has NewSortKeyPosition 0", dataflow.ErrInvalid, k.Lineage)
		}
		var err error
		if keys[i], err = newKey(l, k.Lineage, k.NewSortKeyPosition < 0, locale, k.NewComparisonFlags); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// Run reads every row, sorts and sends them.
func (s *Sort) Run(ctx context.Context, in []*dataflow.Input, out *dataflow.Emitter) error {
	if len(in) != 1 {
		return fmt.Errorf("%w: Sort has %d inputs, want 1", dataflow.ErrInvalid, len(in))
	}
	keys, err := sortKeys(in[0].Layout(), s.Keys, s.Locale)
	if err != nil {
		return err
	}
	cols, err := columnMap(in[0], s.Columns, s.SortColumnID)
	if err != nil {
		return err
	}
	var rows []sortRow
	var arena []byte
	var sk [][]byte // the collation keys of row i at i*len(keys)
	var cb collate.Buffer
	strs := false
	for _, k := range keys {
		strs = strs || k.coll != nil
	}
	for {
		b, err := in[0].Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		for _, r := range b.Rows {
			x := sortRow{b: b.Buffer, r: int32(r), sk: int32(len(rows))}
			if strs {
				// A string key's collation key, computed once per row,
				// orders as the collator compares.
				for _, k := range keys {
					if k.coll == nil || b.Buffer.IsNull(k.col, r) {
						sk = append(sk, nil)
						continue
					}
					cb.Reset()
					start := len(arena)
					arena = append(arena, k.coll.KeyFromString(&cb, b.Buffer.String(k.col, r))...)
					sk = append(sk, arena[start:len(arena):len(arena)])
				}
			}
			rows = append(rows, x)
		}
	}
	less := func(x, y sortRow) int { return compareSortRows(keys, sk, x, y) }
	slices.SortStableFunc(rows, less)
	ob := out.NewBuffer(0)
	for i, x := range rows {
		if s.EliminateDuplicates && i > 0 && less(rows[i-1], x) == 0 {
			continue
		}
		ob.CopyRow(ob.AddRow(), x.b, int(x.r), cols)
		if ob.Full() {
			if err := out.Send(ctx, 0, ob); err != nil {
				return err
			}
			ob = out.NewBuffer(0)
		}
	}
	return out.Send(ctx, 0, ob)
}

// sortRow is a row Sort holds: its buffer, its row and the index of its
// collation keys.
type sortRow struct {
	b  *dataflow.Buffer
	r  int32
	sk int32
}

func compareSortRows(keys []key, sk [][]byte, x, y sortRow) int {
	n := len(keys)
	for i, k := range keys {
		var c int
		if k.coll != nil {
			xn, yn := x.b.IsNull(k.col, int(x.r)), y.b.IsNull(k.col, int(y.r))
			switch {
			case xn && yn:
			case xn:
				c = -1
			case yn:
				c = 1
			default:
				c = bytes.Compare(sk[int(x.sk)*n+i], sk[int(y.sk)*n+i])
			}
			if k.desc {
				c = -c
			}
		} else {
			c = compareCell(k, x.b, int(x.r), k, y.b, int(y.r))
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

var _ dataflow.Async = (*Sort)(nil)
