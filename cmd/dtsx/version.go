package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// newVersionCmd is dtsx version, which prints what dtsx --version does.
func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the module version and the commit dtsx was built from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), version())
			return nil
		},
	}
}

// version is dtsx's version line, from the build information.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	return versionOf(bi, ok)
}

// versionOf reads the module version and the VCS commit of a build:
// "dtsx v1.2.0 (commit 0123abcd, 2026-12-01T10:00:00Z, modified)". A build
// without them (go run, go test, -buildvcs=false) says "(devel)" and
// "commit unknown".
func versionOf(bi *debug.BuildInfo, ok bool) string {
	v, commit, when, modified := "(devel)", "", "", false
	if ok && bi != nil {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if commit == "" {
		return "dtsx " + v + " (commit unknown)"
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	detail := "commit " + commit
	if when != "" {
		detail += ", " + when
	}
	if modified {
		detail += ", modified"
	}
	return "dtsx " + v + " (" + detail + ")"
}
