package html

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"strconv"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/assess"
	"github.com/dtsx-run/dtsx/internal/graph"
)

//go:embed page.html.tmpl
var pageText string

//go:embed page.css
var pageCSS string

// Options say what the page shows beyond the Result.
type Options struct {
	// Title is the page's title; empty: "dtsx assessment".
	Title string
	// Drawings returns the pictures of a package, or nil (and an error
	// the card shows) when there are none; nil Drawings draws nothing.
	Drawings func(assess.Package) (*Drawings, error)
}

// card is a package card as the template reads it.
type card struct {
	assess.Package
	ID           string
	VerdictLabel string
	ControlFlow  template.HTML
	DataFlows    []dataFlow
	DrawError    string
}

type dataFlow struct {
	Name string
	SVG  template.HTML
}

// page is what the template reads.
type page struct {
	Title   string
	CSS     template.CSS
	Result  *assess.Result
	Counts  []count
	Cards   []card
	cardIDs map[string]string
}

type count struct {
	Verdict assess.Verdict
	Label   string
	N       int
}

// verdictLabels are the verdicts as the page words them.
var verdictLabels = map[assess.Verdict]string{
	assess.RunsAsIs:           "runs here as is",
	assess.AfterConfiguration: "runs after configuration",
	assess.Blocked:            "blocked",
	assess.NotLoaded:          "does not load",
}

var tmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"plural": plural,
	"colour": func(s string) string { return graph.EdgeColour(graph.EdgeStyle(s)) },
	"cardID": func(string) string { return "" }, // set per page by Write
}).Parse(pageText))

// Write renders res as one self-contained HTML page to w.
func Write(w io.Writer, res *assess.Result, opts Options) error {
	p := &page{Title: opts.Title, CSS: template.CSS(pageCSS), Result: res, cardIDs: map[string]string{}}
	if p.Title == "" {
		p.Title = "dtsx assessment"
	}
	s := res.Summary
	p.Counts = []count{
		{assess.RunsAsIs, verdictLabels[assess.RunsAsIs], s.RunsAsIs},
		{assess.AfterConfiguration, verdictLabels[assess.AfterConfiguration], s.AfterConfiguration},
		{assess.Blocked, verdictLabels[assess.Blocked], s.Blocked},
		{assess.NotLoaded, verdictLabels[assess.NotLoaded], s.NotLoaded},
	}
	for i, pkg := range res.Packages {
		c := card{Package: pkg, ID: "pkg-" + strconv.Itoa(i+1), VerdictLabel: verdictLabels[pkg.Verdict]}
		if c.VerdictLabel == "" {
			c.VerdictLabel = string(pkg.Verdict)
		}
		if _, dup := p.cardIDs[pkg.File]; !dup {
			p.cardIDs[pkg.File] = c.ID
		}
		if opts.Drawings != nil && pkg.Verdict != assess.NotLoaded {
			d, err := opts.Drawings(pkg)
			if err != nil {
				c.DrawError = err.Error()
			} else if d != nil {
				markBlocked(d, pkg.Blockers)
				if c.ControlFlow, err = svg(d.ControlFlow); err != nil {
					return err
				}
				for _, df := range d.DataFlows {
					s, err := svg(df)
					if err != nil {
						return err
					}
					c.DataFlows = append(c.DataFlows, dataFlow{Name: df.Name, SVG: s})
				}
			}
		}
		p.Cards = append(p.Cards, c)
	}
	t, err := tmpl.Clone()
	if err != nil {
		return err
	}
	t.Funcs(template.FuncMap{"cardID": func(file string) string { return p.cardIDs[file] }})
	return t.Execute(w, p)
}

// markBlocked marks in the drawings the tasks and components that block
// the package.
func markBlocked(d *Drawings, bs []assess.Blocker) {
	var refs []string
	for _, b := range bs {
		if b.Kind == assess.BlockerTask || b.Kind == assess.BlockerComponent {
			refs = append(refs, b.Path)
		}
	}
	if len(refs) == 0 {
		return
	}
	for _, g := range append([]*graph.Graph{d.ControlFlow}, d.DataFlows...) {
		if g != nil {
			g.MarkBlocked(refs)
		}
	}
}

// svg renders g for the page. The SVG is the graph package's own output,
// whose every text is escaped, so it is trusted as HTML.
func svg(g *graph.Graph) (template.HTML, error) {
	if g == nil {
		return "", nil
	}
	var b bytes.Buffer
	if err := graph.WriteSVG(&b, g); err != nil {
		return "", fmt.Errorf("html: draw %s: %w", g.Name, err)
	}
	return template.HTML(b.String()), nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// WriteFile writes the page of res to path, drawing each package after
// loading it again with opts (its password): what `dtsx assess --html FILE`
// writes.
func WriteFile(path string, res *assess.Result, opts dtsx.Options) error {
	l := &Loader{Options: opts}
	var b bytes.Buffer
	if err := Write(&b, res, Options{Drawings: l.Drawings}); err != nil {
		return err
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("html: write the assessment page: %w", err)
	}
	return nil
}
