package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
)

//go:embed page.html
var pageSource string

var page = template.Must(template.New("page").Parse(pageSource))

// Write renders the page of d to w.
func Write(w io.Writer, d Data) error {
	if d.Report == nil {
		return fmt.Errorf("report: no report to render")
	}
	return page.Execute(w, newView(d))
}

// WriteFile renders the page of d to the file at path.
func WriteFile(path string, d Data) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	bw := bufio.NewWriter(f)
	err = Write(bw, d)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("report: writing %s: %w", path, err)
	}
	return nil
}
