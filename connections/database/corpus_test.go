package database_test

// Every OLEDB, ADO.NET and ODBC connection manager of the real packages in
// ../shared/corpus classifies and validates without a panic; the SQL
// Server ones map to SQL Server, and the known unsupported ones (Oracle,
// Jet, an ODBC DSN) are reported as such.

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

func corpusManagers(t *testing.T) map[string][]*dtsx.ConnectionManager {
	t.Helper()
	root := testcorpus.Dir(t)
	f, err := os.Open(filepath.Join(root, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]*dtsx.ConnectionManager{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		rel, _, _ := strings.Cut(sc.Text(), "\t")
		if first {
			continue
		}
		var opts dtsx.Options
		if strings.Contains(rel, "security_test_pass_is_banana") {
			opts.Password = "banana"
		}
		path := filepath.Join(root, rel)
		switch {
		case strings.HasSuffix(rel, ".ispac"):
			pr, err := opts.LoadProject(path)
			if err != nil {
				t.Errorf("%s does not load: %v", rel, err)
				continue
			}
			out[rel] = append(out[rel], pr.Connections...)
			for _, p := range pr.Packages {
				out[rel] = append(out[rel], p.Connections...)
			}
		case strings.HasSuffix(rel, ".dtsx"):
			p, err := opts.LoadPackageFile(path)
			if err != nil {
				t.Errorf("%s does not load: %v", rel, err)
				continue
			}
			out[rel] = p.Connections
		}
	}
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".conmgr") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		cm, _, err := dtsx.LoadConnectionManager(path, data)
		if err != nil {
			t.Errorf("%s does not load: %v", path, err)
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		out[rel] = append(out[rel], cm)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCorpusConnectionManagers(t *testing.T) {
	counts := map[database.Family]int{}
	unsupported := map[string]bool{}
	total := 0
	for file, cms := range corpusManagers(t) {
		for _, cm := range cms {
			if k, _ := database.ParseKind(cm.CreationName); k == database.KindUnknown {
				continue
			}
			total++
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s: %s: panic: %v", file, cm.Name, r)
					}
				}()
				m, err := database.New(cm)
				if err != nil {
					t.Errorf("%s: %s: %v", file, cm.Name, err)
					return
				}
				ds := m.Validate()
				c := m.Config()
				counts[c.Provider.Family]++
				if c.Provider.Family == database.FamilyUnsupported {
					unsupported[c.Provider.String()] = true
					found := false
					for _, d := range ds {
						found = found || (d.Code == database.CodeUnsupported && d.Severity == dtsx.SeverityError && d.Hint != "")
					}
					if !found && !m.Definition().DelayValidation && len(m.Definition().Expressions) == 0 {
						t.Errorf("%s: %s (%s): no unsupported-provider error: %v", file, cm.Name, c.Provider, ds)
					}
				}
				if strings.Contains(cm.ConnectionString, "SQLNCLI") && c.Provider.Family != database.FamilySQLServer {
					t.Errorf("%s: %s: SQLNCLI classified as %v", file, cm.Name, c.Provider.Family)
				}
			}()
		}
	}
	t.Logf("%d database connection managers: %v; unsupported: %v", total, counts, unsupported)
	if total < 40 || counts[database.FamilySQLServer] < 30 {
		t.Errorf("only %d managers, %d SQL Server: the corpus walk lost some", total, counts[database.FamilySQLServer])
	}
	for _, want := range []string{"OLEDB MSDAORA.1", "ADO.NET:System.Data.OracleClient.OracleConnection", "ODBC"} {
		if !unsupported[want] {
			t.Errorf("%s is not among the unsupported providers %v", want, unsupported)
		}
	}
}
