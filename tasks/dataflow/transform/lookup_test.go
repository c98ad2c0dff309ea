package transform_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

var (
	lookupIn = input{
		cols: []dataflow.Column{col("ID", 1, dataflow.KindInt32), col("Code", 2, dataflow.KindWString)},
		rows: [][]any{{1, "a"}, {2, "A"}, {3, "b"}, {4, nil}, {5, "a "}, {6, "c"}},
	}
	refRows = [][]any{{"a", "Alpha"}, {"b", "Bravo"}, {"b", "Second b"}, {nil, "Null"}, {"c", "Charlie"}}
	labelOf = transform.LookupColumn{Column: col("Label", 21, dataflow.KindWString), CopyFromReferenceColumn: "label"}
)

// memory is a reference in memory; its Match compares case-insensitively,
// as a database with a case-insensitive collation would.
func memory(rows [][]any) transform.Reference {
	return transform.Reference{
		Columns: []string{"code", "label"},
		Rows:    func(context.Context) ([][]any, error) { return rows, nil },
		Match: func(_ context.Context, key []any) ([][]any, error) {
			var out [][]any
			for _, r := range rows {
				k, ok := key[0].(string)
				if c, ok2 := r[0].(string); ok && ok2 && strings.EqualFold(c, k) {
					out = append(out, r)
				}
			}
			return out, nil
		},
	}
}

// "Lookup Transformation": in full cache, exact (case-sensitive) matches
// and NULL keys that never match; rows without a match go to the no match
// output, the error output (ErrorCode 0xC020901E), the match output with
// NULL lookup columns, or fail the component, per NoMatchBehavior and the
// error row disposition.
func TestLookup(t *testing.T) {
	tests := []struct {
		name        string
		cache       transform.CacheType
		behavior    transform.NoMatchBehavior
		disposition dataflow.Disposition
		match       [][]any // ID, Label
		noMatch     []any   // IDs
		errors      [][]any // ID, ErrorCode
		wantErr     string
	}{
		{name: "full cache, no match output", behavior: transform.SendToNoMatchOutput,
			match: [][]any{{int64(1), "Alpha"}, {int64(3), "Bravo"}, {int64(6), "Charlie"}}, noMatch: []any{int64(2), int64(4), int64(5)}},
		{name: "full cache, redirect to the error output", disposition: dataflow.DispositionRedirectRow,
			match:  [][]any{{int64(1), "Alpha"}, {int64(3), "Bravo"}, {int64(6), "Charlie"}},
			errors: [][]any{{int64(2), int64(transform.CodeLookupNoMatch)}, {int64(4), int64(transform.CodeLookupNoMatch)}, {int64(5), int64(transform.CodeLookupNoMatch)}}},
		{name: "full cache, ignore", disposition: dataflow.DispositionIgnoreFailure,
			match: [][]any{{int64(1), "Alpha"}, {int64(2), nil}, {int64(3), "Bravo"}, {int64(4), nil}, {int64(5), nil}, {int64(6), "Charlie"}}},
		{name: "full cache, fail", disposition: dataflow.DispositionFailComponent, wantErr: "error code 0xC020901E occurred on row 1"},
		{name: "no cache: the reference's comparison", cache: transform.NoCache, behavior: transform.SendToNoMatchOutput,
			match: [][]any{{int64(1), "Alpha"}, {int64(2), "Alpha"}, {int64(3), "Bravo"}, {int64(6), "Charlie"}}, noMatch: []any{int64(4), int64(5)}},
		{name: "partial cache", cache: transform.PartialCache, behavior: transform.SendToNoMatchOutput,
			match: [][]any{{int64(1), "Alpha"}, {int64(2), "Alpha"}, {int64(3), "Bravo"}, {int64(6), "Charlie"}}, noMatch: []any{int64(4), int64(5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &transform.Lookup{Label: "Lookup", CacheType: tt.cache, NoMatchBehavior: tt.behavior, ErrorRowDisposition: tt.disposition,
				Keys: []transform.LookupKey{{Lineage: 2, JoinToReferenceColumn: "code"}}, Columns: []transform.LookupColumn{labelOf},
				Reference: memory(refRows)}
			got, err := run(t, l, []input{lookupIn}, 0, 1, 2)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, transform.ErrNoMatch) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var match, errs [][]any
			var noMatch []any
			for _, r := range got[0] {
				match = append(match, []any{r[0], r[2]})
			}
			for _, r := range got[1] {
				noMatch = append(noMatch, r[0])
			}
			for _, r := range got[2] {
				errs = append(errs, []any{r[0], r[3]})
			}
			if !reflect.DeepEqual(match, tt.match) || !reflect.DeepEqual(noMatch, tt.noMatch) || !reflect.DeepEqual(errs, tt.errors) {
				t.Errorf("match %v, no match %v, errors %v\nwant %v, %v, %v", match, noMatch, errs, tt.match, tt.noMatch, tt.errors)
			}
		})
	}
}

func TestLookupConfig(t *testing.T) {
	ref := memory(refRows)
	tests := []struct {
		name    string
		l       transform.Lookup
		wantErr string
	}{
		{name: "no join column", l: transform.Lookup{Reference: ref}, wantErr: "no join column"},
		{name: "unknown reference column", l: transform.Lookup{Reference: ref, Keys: []transform.LookupKey{{Lineage: 2, JoinToReferenceColumn: "Code"}}},
			wantErr: `the reference has no column "Code"`},
		{name: "partial cache without a query", l: transform.Lookup{CacheType: transform.PartialCache, Reference: transform.Reference{Columns: ref.Columns},
			Keys: []transform.LookupKey{{Lineage: 2, JoinToReferenceColumn: "code"}}}, wantErr: "SqlCommandParam"},
		{name: "reference value of the wrong type", l: transform.Lookup{Reference: memory([][]any{{"a", 1.5}}),
			Keys:    []transform.LookupKey{{Lineage: 2, JoinToReferenceColumn: "code"}},
			Columns: []transform.LookupColumn{{Column: col("N", 21, dataflow.KindInt32), CopyFromReferenceColumn: "label"}}}, wantErr: `copying reference column "label"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.l.Label = "Lookup"
			_, err := run(t, &tt.l, []input{lookupIn}, 0)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), `"Lookup"`) {
				t.Fatalf("err = %v, want %q from Lookup", err, tt.wantErr)
			}
		})
	}
}

// Partial cache asks the reference once per key it keeps; with
// NoMatchCachePercentage, once per key without a match too; no cache asks
// for every row.
func TestLookupCache(t *testing.T) {
	// Labels of 200 kB: five fit in a cache of one megabyte.
	big := strings.Repeat("x", 200<<10)
	in := input{cols: []dataflow.Column{col("ID", 1, dataflow.KindInt32), col("Code", 2, dataflow.KindInt32)}}
	for i := range 3000 {
		in.rows = append(in.rows, []any{i, i % 20})
	}
	tests := []struct {
		name    string
		cache   transform.CacheType
		misses  int
		mb      int
		queries int
		atLeast bool // evictions make the count depend on which key goes
	}{
		{name: "no cache", cache: transform.NoCache, queries: 3000},
		{name: "partial cache", cache: transform.PartialCache, queries: 10 + 1500},
		{name: "partial cache with misses", cache: transform.PartialCache, misses: 20, queries: 20},
		// Five labels fit: the ten keys with a match are asked for again.
		{name: "partial cache of 1 MB", cache: transform.PartialCache, misses: 1, mb: 1, queries: 20, atLeast: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := transform.Reference{Columns: []string{"code", "label"}, Match: func(_ context.Context, key []any) ([][]any, error) {
				if k := key[0].(int64); k < 10 {
					return [][]any{{k, big}}, nil
				}
				return nil, nil
			}}
			l := &transform.Lookup{Label: "Lookup", CacheType: tt.cache, NoMatchBehavior: transform.SendToNoMatchOutput,
				NoMatchCachePercentage: tt.misses, MaxMemoryUsage64: tt.mb, Reference: ref,
				Keys: []transform.LookupKey{{Lineage: 2, JoinToReferenceColumn: "code"}}, Columns: []transform.LookupColumn{labelOf}}
			got, err := run(t, l, []input{in}, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(got[0]) != 1500 || len(got[1]) != 1500 {
				t.Errorf("%d matched, %d not, want 1500 each", len(got[0]), len(got[1]))
			}
			if l.Queries() != tt.queries && !(tt.atLeast && l.Queries() > tt.queries) {
				t.Errorf("%d queries, want %d", l.Queries(), tt.queries)
			}
		})
	}
}

// A Lookup on a SQLite table: the full cache compares exactly, so "A" does
// not match the case-insensitive column's "a", as in SSIS; no cache asks
// the database, whose collation matches it.
func TestLookupSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE ref (code TEXT COLLATE NOCASE, label TEXT);
		INSERT INTO ref VALUES ('a', 'Alpha'), ('b', 'Bravo'), ('c', 'Charlie')`); err != nil {
		t.Fatal(err)
	}
	query := func(ctx context.Context, q string, args ...any) ([][]any, error) {
		rs, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rs.Close()
		var out [][]any
		for rs.Next() {
			var code, label any
			if err := rs.Scan(&code, &label); err != nil {
				return nil, err
			}
			out = append(out, []any{code, label})
		}
		return out, rs.Err()
	}
	ref := transform.Reference{
		Columns: []string{"code", "label"},
		Rows:    func(ctx context.Context) ([][]any, error) { return query(ctx, "SELECT code, label FROM ref") },
		Match: func(ctx context.Context, key []any) ([][]any, error) {
			return query(ctx, "SELECT code, label FROM ref WHERE code = ?", key...)
		},
	}
	for _, tt := range []struct {
		name  string
		cache transform.CacheType
		want  []any
	}{
		{"full cache", transform.FullCache, []any{"Alpha", "Bravo", "Charlie"}},
		{"no cache", transform.NoCache, []any{"Alpha", "Alpha", "Bravo", "Charlie"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := &transform.Lookup{Label: "Lookup", CacheType: tt.cache, NoMatchBehavior: transform.SendToNoMatchOutput, Reference: ref,
				Keys: []transform.LookupKey{{Lineage: 2, JoinToReferenceColumn: "code"}}, Columns: []transform.LookupColumn{labelOf}}
			got, err := run(t, l, []input{lookupIn}, 0)
			if err != nil {
				t.Fatal(err)
			}
			var labels []any
			for _, r := range got[0] {
				labels = append(labels, r[2])
			}
			if !reflect.DeepEqual(labels, tt.want) {
				t.Errorf("labels = %v, want %v", labels, tt.want)
			}
		})
	}
}

// A full-cache Lookup of 40,000 rows through the engine, into a slow
// destination: it is synchronous, so the source waits for it.
func TestLookupPipeline(t *testing.T) {
	const n = 40_000
	ref := make([][]any, 100)
	for i := range ref {
		ref[i] = []any{int64(i), fmt.Sprint("L", i)}
	}
	p := dataflow.New(dataflow.Options{DefaultBufferMaxRows: 1000})
	g := &simple.Generator{Label: "G", Columns: []dataflow.Column{col("K", 1, dataflow.KindInt64)}, N: n,
		Fill: func(i int, b *dataflow.Buffer, r int) { b.SetInt64(0, r, int64(i%200)) }}
	l := &transform.Lookup{Label: "Lookup", NoMatchBehavior: transform.SendToNoMatchOutput,
		Reference: transform.Reference{Columns: []string{"code", "label"}, Rows: func(context.Context) ([][]any, error) { return ref, nil }},
		Keys:      []transform.LookupKey{{Lineage: 1, JoinToReferenceColumn: "code"}}, Columns: []transform.LookupColumn{labelOf}}
	match, miss := &simple.Collector{Label: "Match", Lineage: []int{1, 21}}, &simple.RowCount{Label: "Misses", Variable: "User::N", Vars: &vars{got: map[string]any{}}}
	ln := p.Add(l)
	p.Connect(p.Add(g), 0, ln, 0)
	p.Connect(ln, 0, p.Add(match), 0)
	mn := p.Add(miss)
	p.Connect(ln, 1, mn, 0)
	p.Connect(mn, 0, p.Add(&simple.Collector{Label: "Sink", Lineage: []int{1}}), 0)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows := match.Rows()
	if len(rows) != n/2 {
		t.Fatalf("%d matches, want %d", len(rows), n/2)
	}
	for _, r := range rows {
		if want := fmt.Sprint("L", r[0]); r[1] != want {
			t.Fatalf("row %v, want label %s", r, want)
		}
	}
}
