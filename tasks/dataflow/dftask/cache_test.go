package dftask_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/beevik/etree"
)

var cacheFiles = map[string]string{
	"products.csv": "ID,Name\r\n1,Pen\r\n2,Ink\r\n1,Cup\r\n",
	"orders.csv":   "Customer,ProductID\r\nAda,2\r\nBob,1\r\nCyd,9\r\n",
}

// TestCacheLookup runs a package of two Data Flows: the first writes the
// products into a Cache connection manager through a Cache Transform
// ("Cache Transform": only unique rows, the first Pen of ID 1), the second
// looks each order's product up in that cache (Lookup with ConnectionType
// 1, in full cache: "Implement a Lookup Transformation in Full Cache Mode
// Using the Cache Connection Manager"); the order without a product goes
// to the no match output, which nothing reads.
func TestCacheLookup(t *testing.T) {
	rep, infos, dir := runPackage(t, "cache.dtsx", cacheFiles, nil)
	wantSuccess(t, rep)
	want := "Customer,Product\r\nAda,Ink\r\nBob,Pen\r\n"
	if got := read(t, filepath.Join(dir, "out.csv")); got != want {
		t.Errorf("out.csv = %q, want %q", got, want)
	}
	if !slices.Contains(infos, `"Write" wrote 2 rows.`) {
		t.Errorf("information %q does not report the 2 rows written", infos)
	}
}

// TestCacheErrors: a file cache (its .caw format is proprietary), a cache
// read before any Cache Transform wrote it, a cache column no input
// column fills, mismatched data types, a Lookup that does not join on the
// cache's index or not in full cache: each fails with the component or
// manager and what to change.
func TestCacheErrors(t *testing.T) {
	cacheCM := func(r *etree.Element) *etree.Element {
		return r.FindElement(`//DTS:CacheConnectionManager`)
	}
	tests := []struct {
		name string
		edit func(r *etree.Element)
		want []string
	}{
		{"file cache", func(r *etree.Element) {
			cacheCM(r).CreateAttr("DTS:UseFile", "True")
			cacheCM(r).CreateAttr("DTS:FileName", `C:\cache\products.caw`)
		}, []string{`cache connection manager "Products cache"`, `C:\cache\products.caw`, ".caw format is proprietary", "clear Use file cache"}},
		{"read before written", func(r *etree.Element) {
			r.FindElement(`//DTS:PrecedenceConstraint`).CreateAttr("DTS:From", `Package\Look up`)
			r.FindElement(`//DTS:PrecedenceConstraint`).CreateAttr("DTS:To", `Package\Fill cache`)
		}, []string{`component "Find product" failed`, `cache "Products cache" is empty: run the Data Flow whose Cache Transform fills it before the one that reads it`}},
		{"unfilled cache column", func(r *etree.Element) {
			in := component(r, "Cache").FindElement(`.//inputColumn[@cachedName='Name']`)
			in.Parent().RemoveChild(in)
		}, []string{`component "Cache"`, `the cache column "Name" of cache "Products cache" is filled by no input column`}},
		{"unknown cache column", func(r *etree.Element) {
			component(r, "Cache").FindElement(`.//inputColumn[@cachedName='Name']//property`).SetText("Title")
		}, []string{`input column "Name"`, `fills the cache column "Title", which cache "Products cache" does not have (its columns: ID, Name)`}},
		{"types differ", func(r *etree.Element) {
			r.FindElement(`//DTS:CacheColumn[@DTS:ObjectName='ID']`).CreateAttr("DTS:DataType", "130")
		}, []string{`input column "ID"`, "is DT_I4, and the cache column \"ID\" it fills is DT_WSTR: the data types must match"}},
		{"join not on the index", func(r *etree.Element) {
			component(r, "Find product").FindElement(`.//property[@name='JoinToReferenceColumn']`).SetText("Name")
		}, []string{`component "Find product"`, `joins the cache column "Name", which is not an index column of cache "Products cache" (its index: ID)`}},
		{"partial cache", func(r *etree.Element) { setProp(r, "Find product", "CacheType", "1") },
			[]string{`component "Find product"`, "a Lookup reads a cache in full cache mode only (CacheType 0)"}},
		{"not a cache manager", func(r *etree.Element) {
			component(r, "Cache").FindElement(`.//connection`).CreateAttr("connectionManagerRefId", "Package.ConnectionManagers[Out CSV]")
		}, []string{`component "Cache"`, `connection manager "Out CSV" is of type FLATFILE, not a Cache connection manager (CACHE)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _, _ := runPackage(t, "cache.dtsx", cacheFiles, tt.edit)
			wantErrors(t, rep, tt.want)
		})
	}
}
