package html

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/assess"
	"github.com/dtsx-run/dtsx/internal/graph"
)

// Drawings are the pictures of one package.
type Drawings struct {
	ControlFlow *graph.Graph
	DataFlows   []*graph.Graph
}

// DrawingsOf returns the pictures of a loaded package.
func DrawingsOf(p *dtsx.Package) *Drawings {
	return &Drawings{ControlFlow: graph.ControlFlow(p), DataFlows: graph.DataFlows(p)}
}

// Loader loads the packages of an assessment again to draw them, an
// .ispac once for all its packages. It is safe for concurrent use.
type Loader struct {
	// Options are the load options (the package password).
	Options dtsx.Options

	mu    sync.Mutex
	ispac map[string]*dtsx.Project
}

// Drawings returns the pictures of the assessed package p, or an error
// when it does not load. A package of an .ispac is named as the
// assessment names it: "Demo.ispac/Main.dtsx".
func (l *Loader) Drawings(p assess.Package) (*Drawings, error) {
	if i := strings.Index(strings.ToLower(p.File), ".ispac/"); i >= 0 {
		file, name := p.File[:i+len(".ispac")], p.File[i+len(".ispac/"):]
		pr, err := l.project(file)
		if err != nil {
			return nil, err
		}
		for _, pkg := range pr.Packages {
			if strings.EqualFold(filepath.Base(pkg.File), name) {
				return DrawingsOf(pkg), nil
			}
		}
		return nil, fmt.Errorf("html: %s has no package %s", file, name)
	}
	pkg, err := l.Options.LoadPackageFile(p.File)
	if err != nil {
		return nil, err
	}
	return DrawingsOf(pkg), nil
}

func (l *Loader) project(file string) (*dtsx.Project, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if pr, ok := l.ispac[file]; ok {
		return pr, nil
	}
	pr, err := l.Options.LoadProject(file)
	if err != nil {
		return nil, err
	}
	if l.ispac == nil {
		l.ispac = map[string]*dtsx.Project{}
	}
	l.ispac[file] = pr
	return pr, nil
}
