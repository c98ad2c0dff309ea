package assess

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// target is one thing to open: a .dtsx (with its project, beside it unless
// Options.Project names one) or an .ispac (every package in it).
type target struct {
	file, project string
}

// targets expands the paths a command line names: a folder is every .dtsx
// under it (an .ispac too, when no .dtsx is beside it: the packages of a
// built project whose sources are elsewhere), a .dtproj the .dtsx files
// beside it with the .dtproj as their project, anything else itself.
func targets(paths []string, project string) ([]target, error) {
	var out []target
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			out = append(out, target{file: p, project: project}) // the load reports it
			continue
		}
		switch {
		case st.IsDir():
			ts, err := folder(p, project)
			if err != nil {
				return nil, err
			}
			out = append(out, ts...)
		case strings.EqualFold(filepath.Ext(p), ".dtproj"):
			ms, _ := filepath.Glob(filepath.Join(filepath.Dir(p), "*.dtsx"))
			sort.Strings(ms)
			if len(ms) == 0 {
				return nil, fmt.Errorf("%s: no .dtsx beside the project file (put the packages beside it)", p)
			}
			for _, m := range ms {
				out = append(out, target{file: m, project: p})
			}
		default:
			out = append(out, target{file: p, project: project})
		}
	}
	return out, nil
}

// folder lists the packages of a folder tree, in name order.
func folder(dir, project string) ([]target, error) {
	var dtsx, ispac []string
	hasDtsx := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".dtsx":
			dtsx = append(dtsx, p)
			hasDtsx[filepath.Dir(p)] = true
		case ".ispac":
			ispac = append(ispac, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the folder %s: %w", dir, err)
	}
	var out []target
	for _, p := range dtsx {
		out = append(out, target{file: p, project: project})
	}
	for _, p := range ispac {
		if !hasDtsx[filepath.Dir(p)] {
			out = append(out, target{file: p, project: project})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out, nil
}
