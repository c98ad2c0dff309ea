package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/graph"
	"github.com/dtsx-run/dtsx/internal/runner"
)

// graphOptions are the options of dtsx graph.
type graphOptions struct {
	// format is svg, dot or mermaid; empty: told by the output file's
	// extension, else svg.
	format string
	// out is the output file, or "-" (or empty) for standard output.
	out string
	// pkg picks a package of an .ispac.
	pkg string
	// dataFlow draws the component graph of the named Data Flow task
	// instead of the control flow.
	dataFlow string
	password string
}

// newGraphCmd is dtsx graph: a package's control flow, or one data flow's
// components, as SVG, DOT or Mermaid.
func newGraphCmd() *cobra.Command {
	var o graphOptions
	cmd := &cobra.Command{
		Use:   "graph [flags] FILE",
		Short: "draw a package's control flow (containers, event handlers, precedence constraints) or a data flow's components as SVG, DOT or Mermaid",
		Long: `Draws the control flow of a package: tasks, containers as boxes around their
children, event handlers apart, precedence constraints coloured by their value
(Success green, Failure red, Completion blue) with their expressions, dashed
when combined by OR. --data-flow draws a Data Flow task's components and
paths instead, error outputs in red. The SVG is self-contained.`,
		Args: argCount(1, 1, "package"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(args[0], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.format, "format", "", "output `FORMAT`: svg, dot or mermaid (default: the -o file's extension, else svg)")
	fs.StringVarP(&o.out, "output", "o", "-", "output `FILE`, - for standard output")
	fs.StringVar(&o.pkg, "package", "", "the package `NAME` to draw of an .ispac (its file name, with or without .dtsx, or its name)")
	fs.StringVar(&o.dataFlow, "data-flow", "", "draw the components of the Data Flow task `NAME` (or refId) instead of the control flow")
	passwordFlag(fs, &o.password)
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		names := make([]string, 0, len(graph.Formats))
		for _, f := range graph.Formats {
			names = append(names, string(f))
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// run draws the package of file as o says. A wrong choice (format,
// package of an .ispac, data flow) is a plain error, a wrong command line;
// a package that does not load ends with the load's exit code.
func (o graphOptions) run(file string, stdout, stderr io.Writer) error {
	f, err := o.outputFormat()
	if err != nil {
		return err
	}
	p, err := o.load(file)
	if err != nil {
		var pe *pickError
		if errors.As(err, &pe) {
			return err
		}
		fmt.Fprintln(stderr, err)
		return exit(runner.LoadExitCode(err))
	}
	g := graph.ControlFlow(p)
	if o.dataFlow != "" {
		if g = pickDataFlow(p, o.dataFlow); g == nil {
			return fmt.Errorf("%s has no Data Flow task named %q (dtsx inspect %s lists its tasks)", file, o.dataFlow, file)
		}
	}
	var b bytes.Buffer
	if err := graph.Write(&b, g, f); err != nil {
		fmt.Fprintln(stderr, "dtsx graph:", err)
		return exit(runner.ExitFailure)
	}
	if o.out == "" || o.out == "-" {
		_, _ = stdout.Write(b.Bytes())
		return nil
	}
	if err := os.WriteFile(o.out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "dtsx graph: write %s: %v\n", o.out, err)
		return exit(runner.ExitFailure)
	}
	return nil
}

// outputFormat is the --format given, or the one the output file's
// extension names, or SVG.
func (o graphOptions) outputFormat() (graph.Format, error) {
	if o.format != "" {
		f, err := graph.ParseFormat(o.format)
		if err != nil {
			return "", fmt.Errorf("--format %q: use svg, dot or mermaid", o.format)
		}
		return f, nil
	}
	if ext := strings.TrimPrefix(filepath.Ext(o.out), "."); ext != "" && o.out != "-" {
		if f, err := graph.ParseFormat(ext); err == nil {
			return f, nil
		}
	}
	return graph.SVG, nil
}

// pickError is a package choice an .ispac does not allow.
type pickError struct{ msg string }

func (e *pickError) Error() string { return e.msg }

// load loads a .dtsx, or the package of an .ispac --package names (or its
// only package).
func (o graphOptions) load(file string) (*dtsx.Package, error) {
	opts := dtsx.Options{Password: passwordOrEnv(o.password)}
	if !strings.EqualFold(filepath.Ext(file), ".ispac") {
		if o.pkg != "" {
			return nil, &pickError{fmt.Sprintf("--package picks a package of an .ispac; %s is a package", file)}
		}
		return opts.LoadPackageFile(file)
	}
	pr, err := opts.LoadProject(file)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range pr.Packages {
		base := filepath.Base(p.File)
		if o.pkg != "" && (strings.EqualFold(p.Name, o.pkg) || strings.EqualFold(base, o.pkg) ||
			strings.EqualFold(strings.TrimSuffix(base, filepath.Ext(base)), o.pkg)) {
			return p, nil
		}
		names = append(names, base)
	}
	if o.pkg == "" && len(pr.Packages) == 1 {
		return pr.Packages[0], nil
	}
	if o.pkg == "" {
		return nil, &pickError{fmt.Sprintf("%s holds %d packages: pick one with --package NAME (%s)", file, len(names), strings.Join(names, ", "))}
	}
	return nil, &pickError{fmt.Sprintf("%s has no package %q; it holds %s", file, o.pkg, strings.Join(names, ", "))}
}

// pickDataFlow is the component graph of the Data Flow task named (or
// whose refId is) name, or nil.
func pickDataFlow(p *dtsx.Package, name string) *graph.Graph {
	for _, g := range graph.DataFlows(p) {
		if strings.EqualFold(g.Name, name) || strings.EqualFold(g.Root.RefID, name) {
			return g
		}
	}
	return nil
}
