package assess

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// verdictWords are the verdicts as the table (and `dtsx validate`) says them.
var verdictWords = map[Verdict]string{
	RunsAsIs:           "runs as is",
	AfterConfiguration: "runs after configuration",
	Blocked:            "blocked",
	NotLoaded:          "not loaded",
}

// Words returns the verdict as people read it ("runs after configuration").
func (v Verdict) Words() string { return verdictWords[v] }

// WriteTable writes the terminal summary of r: one line per package (its
// verdict and why), then the project view (blockers across packages,
// servers, the configuration needed) and the counts.
func WriteTable(w io.Writer, r *Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERDICT\tPACKAGE\tWHY")
	for _, p := range r.Packages {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Verdict.Words(), p.File, why(p))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Project.Blockers) > 0 {
		fmt.Fprintln(w, "\nBlockers across packages:")
		for _, g := range r.Project.Blockers {
			fmt.Fprintf(w, "  %s: %s (%d in all)\n", g.Type, count(len(g.Packages), "package"), g.Count)
		}
	}
	if len(r.Project.Servers) > 0 {
		fmt.Fprintln(w, "\nServers used:")
		for _, s := range r.Project.Servers {
			fence := ""
			if !s.Allowed {
				fence = ", refused by the egress fence"
			}
			fmt.Fprintf(w, "  %s (%s%s): %s\n", s.Host, s.Kind, fence, count(len(s.Packages), "package"))
		}
	}
	if len(r.Project.Needs) > 0 {
		fmt.Fprintln(w, "\nConfiguration the project needs:")
		for _, n := range r.Project.Needs {
			fmt.Fprintf(w, "  %s %s (%s): %s\n", n.Kind, n.Subject, count(len(n.Packages), "package"), n.Detail)
		}
	}
	s := r.Summary
	_, err := fmt.Fprintf(w, "\n%s: %d run as is, %d after configuration, %d blocked, %d not loaded\n",
		count(s.Packages, "package"), s.RunsAsIs, s.AfterConfiguration, s.Blocked, s.NotLoaded)
	return err
}

// why is the short reason of a package's verdict.
func why(p Package) string {
	switch p.Verdict {
	case NotLoaded:
		return firstLine(p.LoadError)
	case Blocked:
		var parts []string
		for _, b := range p.Blockers {
			if b.Kind == BlockerError {
				parts = append(parts, b.Type+" at "+b.Path)
			} else {
				parts = append(parts, fmt.Sprintf("%s %q", b.Type, b.Name))
			}
		}
		return limit(parts)
	}
	var parts []string
	seen := map[string]bool{}
	for _, n := range p.Needs {
		if part := n.Kind + " " + n.Subject; !seen[part] {
			seen[part] = true
			parts = append(parts, part)
		}
	}
	return limit(parts)
}

// limit joins the first three parts and counts the rest.
func limit(parts []string) string {
	if len(parts) > 3 {
		return strings.Join(parts[:3], "; ") + fmt.Sprintf("; and %d more", len(parts)-3)
	}
	return strings.Join(parts, "; ")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func count(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
