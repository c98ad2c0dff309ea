package runtime

import (
	"path/filepath"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Open loads what a command line names: a .dtsx with its project (the one
// given, else the .conmgr and .params files beside it), or every package of
// an .ispac with the .ispac as its project. It is the one load path of
// validate, inspect and run; opts carries the package password.
func Open(path, projectPath string, opts dtsx.Options) ([]*dtsx.Package, *dtsx.Project, error) {
	if strings.EqualFold(filepath.Ext(path), ".ispac") {
		pr, err := opts.LoadProject(path)
		if err != nil {
			return nil, nil, err
		}
		return pr.Packages, pr, nil
	}
	p, err := opts.LoadPackageFile(path)
	if err != nil {
		return nil, nil, err
	}
	var pr *dtsx.Project
	if projectPath != "" {
		pr, err = opts.LoadProject(projectPath)
	} else {
		pr, err = opts.ProjectBeside(path)
	}
	if err != nil {
		return nil, nil, err
	}
	return []*dtsx.Package{p}, pr, nil
}
