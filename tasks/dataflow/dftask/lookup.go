package dftask

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
	"github.com/dtsx-run/dtsx/tasks/executesql"
)

// lookup is the Lookup transformation with its outputs as persisted
// (Lookup Match Output, Lookup No Match Output, Lookup Error Output, in
// that order, as transform.Lookup routes them).
type lookup struct {
	*transform.Lookup
	outs []dataflow.Output
}

func (l *lookup) Outputs() []dataflow.Output { return l.outs }

// newLookup maps the Lookup transformation's custom properties
// ("Transformation Custom Properties",
// integration-services/data-flow/transformations/transformation-custom-properties,
// Lookup: SqlCommand, SqlCommandParam, CacheType, NoMatchBehavior,
// NoMatchCachePercentage, MaxMemoryUsage64; on the input columns
// JoinToReferenceColumn, on the match output's columns
// CopyFromReferenceColumn). Its reference rows come from its OLE DB
// connection manager (ConnectionType 0) or from the rows a Cache Transform
// wrote into its Cache connection manager earlier in the run
// (ConnectionType 1, see cacheReference).
func newLookup(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	if len(c.Inputs) != 1 {
		return nil, fmt.Errorf("it has %d inputs, want 1", len(c.Inputs))
	}
	connType, err := intProperty(c, "ConnectionType", 0)
	if err != nil {
		return nil, err
	}
	if connType != 0 && connType != 1 {
		return nil, fmt.Errorf("its ConnectionType is %d: use 0 (OLE DB connection manager) or 1 (Cache connection manager)", connType)
	}
	if len(c.Outputs) != 3 || c.Outputs[0].IsErrorOut || c.Outputs[1].IsErrorOut || !c.Outputs[2].IsErrorOut {
		return nil, fmt.Errorf("its outputs are not Lookup Match Output, Lookup No Match Output and Lookup Error Output: save the package again in the designer")
	}
	outs, err := b.Outputs(c, false)
	if err != nil {
		return nil, err
	}
	l := &transform.Lookup{Label: c.Name, ErrorRowDisposition: c.Outputs[0].ErrorRowDisposition}
	n, err := intProperty(c, "CacheType", 0)
	if err != nil {
		return nil, err
	}
	l.CacheType = transform.CacheType(n)
	if n, err = intProperty(c, "NoMatchBehavior", 0); err != nil {
		return nil, err
	}
	l.NoMatchBehavior = transform.NoMatchBehavior(n)
	if l.MaxMemoryUsage64, err = intProperty(c, "MaxMemoryUsage64", 0); err != nil {
		return nil, err
	}
	if l.NoMatchCachePercentage, err = intProperty(c, "NoMatchCachePercentage", 0); err != nil {
		return nil, err
	}
	var names, joins []string
	add := func(name string) {
		for _, n := range names {
			if strings.EqualFold(n, name) {
				return
			}
		}
		names = append(names, name)
	}
	for _, ic := range c.Inputs[0].Columns {
		if p := findProp(ic.Properties, "JoinToReferenceColumn"); p != nil && strings.TrimSpace(p.Value) != "" {
			l.Keys = append(l.Keys, transform.LookupKey{Lineage: b.Lineage(ic.LineageID), JoinToReferenceColumn: p.Value})
			add(p.Value)
			joins = append(joins, p.Value)
		}
		if p := findProp(ic.Properties, "CopyFromReferenceColumn"); p != nil && strings.TrimSpace(p.Value) != "" {
			return nil, fmt.Errorf("input column %q (%s) is replaced by the reference column %q, which is not supported: add it as a new column instead", ic.Name, ic.RefID, p.Value)
		}
	}
	if len(l.Keys) == 0 {
		return nil, fmt.Errorf("no input column joins a reference column: set the join on the Columns page")
	}
	for i, oc := range c.Outputs[0].Columns {
		p := findProp(oc.Properties, "CopyFromReferenceColumn")
		if p == nil || strings.TrimSpace(p.Value) == "" {
			return nil, fmt.Errorf("output column %q (%s) has no CopyFromReferenceColumn: choose its reference column on the Columns page", oc.Name, oc.RefID)
		}
		l.Columns = append(l.Columns, transform.LookupColumn{Column: outs[0].Columns[i], CopyFromReferenceColumn: p.Value})
		add(p.Value)
	}
	if connType == 1 {
		if l.CacheType != transform.FullCache {
			return nil, fmt.Errorf("its reference is a Cache connection manager, and its CacheType is %d: a Lookup reads a cache in full cache mode only (CacheType 0)", l.CacheType)
		}
		if l.Reference, err = cacheReference(b, c, names, joins); err != nil {
			return nil, err
		}
		return &lookup{Lookup: l, outs: outs}, nil
	}
	if _, err := b.Connection(c, 0); err != nil {
		return nil, err
	}
	ref := &reference{b: b, c: c, columns: names, query: stringProperty(c, "SqlCommand"), param: stringProperty(c, "SqlCommandParam")}
	if strings.TrimSpace(ref.query) == "" {
		return nil, fmt.Errorf("SqlCommand is empty: choose the reference table or write its query on the Connection page")
	}
	l.Reference = transform.Reference{Columns: names, Rows: ref.rows}
	if l.CacheType != transform.FullCache {
		if strings.TrimSpace(ref.param) == "" {
			return nil, fmt.Errorf("CacheType %d needs SqlCommandParam, the query with a ? for each join column: set it on the Advanced page", l.CacheType)
		}
		l.Reference.Match = ref.match
	}
	b.OnClose(closer(ref.close))
	return &lookup{Lookup: l, outs: outs}, nil
}

// reference runs a Lookup's SqlCommand and SqlCommandParam on its
// connection: one session, acquired at the first query and released when
// the flow ends.
type reference struct {
	b       *Build
	c       *pipeline.Component
	columns []string
	query   string
	param   string

	mu   sync.Mutex
	sess *database.Session
	idx  []int
}

func (r *reference) session(ctx context.Context) (*database.Session, error) {
	if r.sess != nil {
		return r.sess, nil
	}
	m, err := dbManager(r.b, r.c)
	if err != nil {
		return nil, err
	}
	s, err := m.Acquire(ctx, m.Run)
	if err != nil {
		return nil, err
	}
	r.sess = s
	return s, nil
}

func (r *reference) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sess == nil {
		return nil
	}
	err := r.sess.Release()
	r.sess = nil
	return err
}

// rows runs SqlCommand and returns its rows in the order of the columns.
func (r *reference) rows(ctx context.Context) ([][]any, error) {
	return r.run(ctx, "SqlCommand", r.query, nil)
}

// match runs SqlCommandParam with the key's values for its markers.
func (r *reference) match(ctx context.Context, key []any) ([][]any, error) {
	return r.run(ctx, "SqlCommandParam", r.param, key)
}

func (r *reference) run(ctx context.Context, prop, query string, key []any) ([][]any, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, err := r.session(ctx)
	if err != nil {
		return nil, err
	}
	text, markers := executesql.Rewrite(query, s.Config.Provider.Family, false, nil)
	if len(markers) != len(key) {
		return nil, fmt.Errorf("%s has %d parameter markers and the Lookup joins %d columns: write one ? for each join column", prop, len(markers), len(key))
	}
	args := make([]any, len(markers))
	for i, m := range markers {
		if m.Ordinal >= len(key) {
			return nil, fmt.Errorf("%s: parameter marker %d has no join column", prop, m.Ordinal+1)
		}
		args[i] = key[m.Ordinal]
	}
	rows, err := s.Conn.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", prop, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	idx := make([]int, len(r.columns))
	for i, want := range r.columns {
		idx[i] = slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, want) })
		if idx[i] < 0 {
			return nil, fmt.Errorf("%s returns no column %q (it returns %s): correct the query or the column mappings", prop, want, strings.Join(names, ", "))
		}
	}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out [][]any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("%s: %w", prop, err)
		}
		row := make([]any, len(idx))
		for i, j := range idx {
			if b, ok := vals[j].([]byte); ok {
				vals[j] = append([]byte(nil), b...)
			}
			row[i] = vals[j]
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", prop, err)
	}
	return out, nil
}

var _ dataflow.Transform = (*lookup)(nil)
