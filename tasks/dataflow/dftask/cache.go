package dftask

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dtsx-run/dtsx/connections/cache"
	"github.com/dtsx-run/dtsx/dtsx/pipeline"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/transform"
)

// cacheManager returns the Cache connection manager of a component's first
// connection (when validating too: its columns are checked then), or nil
// when there are no connections to resolve it in. A manager of another
// type, or one whose definition does not validate (a .caw file cache), is
// an error.
func cacheManager(b *Build, c *pipeline.Component) (*cache.Manager, error) {
	cm, err := b.Definition(c, 0)
	if err != nil || cm == nil {
		return nil, err
	}
	m, ok := cm.(*cache.Manager)
	if !ok {
		return nil, fmt.Errorf("connection manager %q is of type %s, not a Cache connection manager (CACHE)", cm.Definition().Name, cm.Definition().CreationName)
	}
	for _, d := range m.Validate() {
		return nil, fmt.Errorf("%s: %s", d.Message, d.Hint)
	}
	return m, nil
}

// columnNames lists a cache's columns for messages.
func columnNames(m *cache.Manager) string {
	var names []string
	for _, c := range m.Columns {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

// newCacheTransform maps the Cache Transform ("Cache Transform",
// "Transformation Custom Properties": each input column fills the cache
// column its CacheColumnName names, or the column of its own name). Every
// cache column is filled by one input column of its data type, as the
// designer requires.
func newCacheTransform(b *Build, c *pipeline.Component) (dataflow.Component, error) {
	if len(c.Inputs) != 1 {
		return nil, fmt.Errorf("it has %d inputs, want 1", len(c.Inputs))
	}
	if _, _, err := b.Inputs(c.Inputs[0]); err != nil {
		return nil, err
	}
	m, err := cacheManager(b, c)
	if err != nil {
		return nil, err
	}
	ct := &transform.Cache{Label: c.Name, Writer: c.RefID}
	if m == nil {
		return ct, nil
	}
	ct.Cache, ct.Width = m, len(m.Columns)
	filled := make([]string, len(m.Columns))
	for _, ic := range c.Inputs[0].Columns {
		name := ic.Name
		if p := findProp(ic.Properties, "CacheColumnName"); p != nil && strings.TrimSpace(p.Value) != "" {
			name = strings.TrimSpace(p.Value)
		}
		j := m.Column(name)
		if j < 0 {
			return nil, fmt.Errorf("input column %q (%s) fills the cache column %q, which cache %q does not have (its columns: %s): correct the mapping on the Mappings page",
				ic.Name, ic.RefID, name, m.Def.Name, columnNames(m))
		}
		if filled[j] != "" {
			return nil, fmt.Errorf("input columns %q and %q both fill the cache column %q: map one input column to each cache column", filled[j], ic.Name, m.Columns[j].Name)
		}
		if t, ok := pipeline.TypeOfNumber(m.Columns[j].DataType); ok && t != ic.Upstream.Type {
			return nil, fmt.Errorf("input column %q (%s) is %s, and the cache column %q it fills is %s: the data types must match", ic.Name, ic.RefID, ic.Upstream.Type, m.Columns[j].Name, t)
		}
		filled[j] = ic.Name
		ct.Columns = append(ct.Columns, transform.CacheColumn{Lineage: b.Lineage(ic.LineageID), Cache: j})
	}
	for j, f := range filled {
		if f == "" {
			return nil, fmt.Errorf("the cache column %q of cache %q is filled by no input column: map every cache column on the Mappings page", m.Columns[j].Name, m.Def.Name)
		}
	}
	for _, name := range m.Index() {
		ct.Index = append(ct.Index, m.Column(name))
	}
	return ct, nil
}

// cacheReference is the reference of a Lookup on a Cache connection
// manager ("Implement a Lookup Transformation in Full Cache Mode Using the
// Cache Connection Manager"): the rows of the cache, as the Cache
// Transform of an earlier Data Flow of the run wrote them, given in the
// order of the columns the Lookup names. The Lookup joins on the cache's
// index columns, all of them.
func cacheReference(b *Build, c *pipeline.Component, names, joins []string) (transform.Reference, error) {
	ref := transform.Reference{Columns: names}
	m, err := cacheManager(b, c)
	if err != nil || m == nil {
		return ref, err
	}
	idx := make([]int, len(names))
	for i, n := range names {
		if idx[i] = m.Column(n); idx[i] < 0 {
			return ref, fmt.Errorf("it reads the column %q, which cache %q does not have (its columns: %s): correct the Columns page", n, m.Def.Name, columnNames(m))
		}
	}
	index := m.Index()
	for _, j := range joins {
		if !slices.ContainsFunc(index, func(n string) bool { return strings.EqualFold(n, j) }) {
			return ref, fmt.Errorf("it joins the cache column %q, which is not an index column of cache %q (its index: %s): join on the index columns", j, m.Def.Name, strings.Join(index, ", "))
		}
	}
	for _, n := range index {
		if !slices.ContainsFunc(joins, func(j string) bool { return strings.EqualFold(n, j) }) {
			return ref, fmt.Errorf("it does not join the index column %q of cache %q: join every index column of the cache (%s)", n, m.Def.Name, strings.Join(index, ", "))
		}
	}
	ref.Rows = func(context.Context) ([][]any, error) {
		rows, err := m.Rows()
		if err != nil {
			return nil, err
		}
		out := make([][]any, len(rows))
		for i, r := range rows {
			row := make([]any, len(idx))
			for k, j := range idx {
				row[k] = r[j]
			}
			out[i] = row
		}
		return out, nil
	}
	return ref, nil
}
