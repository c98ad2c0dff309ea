package override_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
	"github.com/dtsx-run/dtsx/runtime/override"
)

// manifestRow is one row of the corpus's MANIFEST.tsv.
type manifestRow struct {
	local, repo, path string
}

func readManifest(t *testing.T, dir string) []manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []manifestRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 3 {
			continue
		}
		rows = append(rows, manifestRow{local: cols[0], repo: cols[1], path: cols[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// baseName returns the last element of a Windows or Unix path.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		return p[i+1:]
	}
	return p
}

type configPair struct {
	config, pkg string // corpus-relative
}

// corpusPairs pairs each .dtsConfig of the corpus with the packages of the
// same repository whose configurations name it (a ConfigFile configuration
// whose file has the .dtsConfig's original name).
func corpusPairs(t *testing.T, dir string) []configPair {
	rows := readManifest(t, dir)
	var pairs []configPair
	for _, c := range rows {
		if !strings.EqualFold(filepath.Ext(c.local), ".dtsConfig") {
			continue
		}
		for _, r := range rows {
			if r.repo != c.repo || !strings.EqualFold(filepath.Ext(r.local), ".dtsx") {
				continue
			}
			p, err := dtsx.LoadPackageFile(filepath.Join(dir, r.local))
			if err != nil {
				continue
			}
			for _, cfg := range p.Configurations {
				if cfg.Type == dtsx.ConfigTypeFile && strings.EqualFold(baseName(cfg.String), baseName(c.path)) {
					pairs = append(pairs, configPair{config: c.local, pkg: r.local})
					break
				}
			}
		}
	}
	return pairs
}

// persisted reads back what a configuration entry set, the way the test
// knows for the kinds of paths the corpus uses.
func persisted(t *testing.T, p *dtsx.Package, path string) (string, bool) {
	pp, err := override.ParsePath(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	switch pp.Kind {
	case override.KindVariable:
		_, name, _ := strings.Cut(pp.Name, "::")
		for _, v := range p.Variables {
			if v.Name == name {
				if strings.EqualFold(pp.Property, "Value") {
					return v.Value, true
				}
				val, ok := v.Property(pp.Property)
				if !ok && strings.EqualFold(pp.Property, "Name") {
					return v.Name, true
				}
				return val, ok
			}
		}
	case override.KindConnection:
		for _, cm := range p.Connections {
			if cm.Name != pp.Name {
				continue
			}
			if strings.EqualFold(pp.Property, "ConnectionString") {
				return cm.ConnectionString, true
			}
			var found string
			var ok bool
			var walk func(e *etree.Element)
			walk = func(e *etree.Element) {
				for _, c := range e.ChildElements() {
					if c.Tag == "Property" && c.SelectAttrValue("DTS:Name", "") == pp.Property {
						found, ok = c.Text(), true
					}
					walk(c)
				}
				if a := e.SelectAttr("DTS:" + pp.Property); a != nil {
					found, ok = a.Value, true
				}
			}
			walk(cm.ObjectData)
			return found, ok
		}
	}
	return "", false
}

// sameValue compares a configured value with its persisted form: booleans
// may be written 0/-1 or False/True.
func sameValue(configured, got string) bool {
	if configured == got {
		return true
	}
	norm := func(s string) string {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "0", "false", "2345":
			return "false"
		case "1", "-1", "true", "6789":
			return "true"
		}
		return s
	}
	return norm(configured) == norm(got)
}

// TestCorpusConfigFiles applies every .dtsConfig of the corpus to the
// packages that name it, checks that each entry is applied (read back from
// the model) or reported, and that the package survives a save and
// re-load.
func TestCorpusConfigFiles(t *testing.T) {
	dir := testcorpus.Dir(t)
	pairs := corpusPairs(t, dir)
	configs := map[string]int{}
	for _, pr := range pairs {
		configs[pr.config]++
	}
	// The corpus has 5 .dtsConfig files, each named by at least one package
	// of its repository (7 pairs).
	if len(pairs) < 7 || len(configs) < 5 {
		t.Fatalf("found %d pairs for %d configuration files, want at least 7 and 5: %v", len(pairs), len(configs), pairs)
	}
	for _, pr := range pairs {
		t.Run(pr.config+"→"+baseName(pr.pkg), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, pr.config))
			if err != nil {
				t.Fatal(err)
			}
			cf, err := dtsx.LoadConfigFile(pr.config, data)
			if err != nil {
				t.Fatal(err)
			}
			p, err := dtsx.LoadPackageFile(filepath.Join(dir, pr.pkg))
			if err != nil {
				t.Fatal(err)
			}
			diags := override.ApplyConfigFile(p, builtinTypes, cf)
			if diags.HasErrors() {
				t.Errorf("errors: %v", diags)
			}
			reported := map[string]bool{}
			for _, d := range diags {
				if d.File != pr.config || d.Path == "" || !strings.HasPrefix(d.Message, "configuration ") {
					t.Errorf("diagnostic not located: %+v", d)
				}
				reported[d.Path] = true
			}
			q := reload(t, p)
			applied := 0
			for _, e := range cf.Entries {
				if reported[e.Path] {
					continue
				}
				got, ok := persisted(t, q, e.Path)
				if !ok {
					t.Errorf("%s: not reported, and not found after a save and re-load", e.Path)
					continue
				}
				if !sameValue(e.Value, got) {
					t.Errorf("%s = %q after a save and re-load, configured %q", e.Path, got, e.Value)
				}
				applied++
			}
			if applied == 0 {
				t.Errorf("no entry of %d applied: %v", len(cf.Entries), diags)
			}
		})
	}
}

// TestCorpusConfigFilesEverywhere applies every .dtsConfig of the corpus to
// every package of the corpus: most paths name nothing there. Nothing may
// panic, and every problem must be a located diagnostic of this package's
// codes.
func TestCorpusConfigFilesEverywhere(t *testing.T) {
	dir := testcorpus.Dir(t)
	cfgFiles, _ := filepath.Glob(filepath.Join(dir, "*", "*.dtsConfig"))
	var cfs []*dtsx.ConfigFile
	for _, f := range cfgFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cf, err := dtsx.LoadConfigFile(filepath.Base(f), data)
		if err != nil {
			t.Fatal(err)
		}
		cfs = append(cfs, cf)
	}
	if len(cfs) < 5 {
		t.Fatalf("%d .dtsConfig files in the corpus, want 5", len(cfs))
	}
	pkgs, _ := filepath.Glob(filepath.Join(dir, "*", "*.dtsx"))
	codes := map[string]bool{override.CodeConfigBadPath: true, override.CodeConfigPathNotFound: true,
		override.CodeConfigBadValue: true, override.CodeConfigUnsupported: true, override.CodeConfigExpressionWins: true}
	notFound := 0
	for _, f := range pkgs {
		p, err := dtsx.LoadPackageFile(f)
		if err != nil {
			continue // encrypted whole, or not loadable: dtsx's own tests cover it
		}
		for _, cf := range cfs {
			for _, d := range override.ApplyConfigFile(p, builtinTypes, cf) {
				if !codes[d.Code] || d.File == "" || d.Path == "" || d.Message == "" {
					t.Errorf("%s + %s: unexpected diagnostic %+v", filepath.Base(f), cf.File, d)
				}
				if d.Code == override.CodeConfigPathNotFound {
					notFound++
				}
			}
		}
	}
	if notFound == 0 {
		t.Error("no configuration path was missing anywhere: the test does not exercise the warnings")
	}
}
