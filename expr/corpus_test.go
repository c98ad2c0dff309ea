package expr

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

type corpusPackage struct {
	name    string
	pkg     *dtsx.Package
	project *dtsx.Project
}

// corpusPackages loads every .dtsx of the corpus, and the packages inside
// every .ispac with the project they come with.
func corpusPackages(t *testing.T) []corpusPackage {
	dir := testcorpus.Dir(t)
	var out []corpusPackage
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch strings.ToLower(filepath.Ext(path)) {
		case ".dtsx":
			pkg, err := dtsx.LoadPackageFile(path)
			if err != nil {
				var de *dtsx.Error
				if errors.As(err, &de) && de.Code == dtsx.CodeEncryptedPackage {
					return nil // EncryptAllWithPassword: nothing to read
				}
				t.Errorf("%s: %v", rel, err)
				return nil
			}
			pr, _ := dtsx.ProjectBeside(path)
			out = append(out, corpusPackage{rel, pkg, pr})
		case ".ispac":
			pr, err := dtsx.LoadProject(path)
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				return nil
			}
			for _, pkg := range pr.Packages {
				out = append(out, corpusPackage{rel + "!" + filepath.Base(pkg.File), pkg, pr})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpusParses parses every expression of the corpus: variables,
// property expressions and precedence constraints.
func TestCorpusParses(t *testing.T) {
	n := 0
	check := func(where, src string) {
		n++
		if _, err := Parse(src); err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}
	for _, cp := range corpusPackages(t) {
		for _, c := range cp.pkg.Connections {
			for _, x := range c.Expressions {
				check(cp.name+": "+c.Name+"."+x.Name, x.Expression)
			}
		}
		cp.pkg.Walk(func(exe *dtsx.Executable) bool {
			for _, v := range exe.Variables {
				if v.EvaluateAsExpression {
					check(cp.name+": "+v.QualifiedName(), v.Expression)
				}
			}
			for _, x := range exe.Expressions {
				check(cp.name+": "+exe.RefID+"."+x.Name, x.Expression)
			}
			for _, c := range exe.Constraints {
				if c.Expression != "" {
					check(cp.name+": "+c.RefID, c.Expression)
				}
			}
			return true
		})
	}
	if n == 0 {
		t.Fatal("the corpus holds no expressions")
	}
	t.Logf("%d expressions parse", n)
}
