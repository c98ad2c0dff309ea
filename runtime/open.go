package runtime

import (
	"path/filepath"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
)

// Open loads what a command line names: a .dtsx with its project (the one
// given, else the .conmgr and .params files beside it), or every package of
// an .ispac with the .ispac as its project. It is the one load path of
// validate, inspect and run.
func Open(path, projectPath string) ([]*dtsx.Package, *dtsx.Project, error) {
	if strings.EqualFold(filepath.Ext(path), ".ispac") {
		pr, err := dtsx.LoadProject(path)
		if err != nil {
			return nil, nil, err
		}
		return pr.Packages, pr, nil
	}
	p, err := dtsx.LoadPackageFile(path)
	if err != nil {
		return nil, nil, err
	}
	var pr *dtsx.Project
	if projectPath != "" {
		pr, err = dtsx.LoadProject(projectPath)
	} else {
		pr, err = dtsx.ProjectBeside(path)
	}
	if err != nil {
		return nil, nil, err
	}
	return []*dtsx.Package{p}, pr, nil
}
