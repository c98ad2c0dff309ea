package main

import (
	"fmt"

	"github.com/spf13/cobra"

	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/tasks/builtin"
)

// newTypesCmd is dtsx types: the registered connection manager and task
// types.
func newTypesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "types",
		Short: "list the connection manager and task types this runtime knows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := cmd.OutOrStdout()
			fmt.Fprintln(w, "Connection manager types (CreationName):")
			for _, n := range connbuiltin.Connections().Names() {
				fmt.Fprintln(w, "  "+n)
			}
			fmt.Fprintln(w, "\nTask and container types (ExecutableType):")
			for _, n := range builtin.Tasks().Names() {
				fmt.Fprintln(w, "  "+n)
			}
			return nil
		},
	}
}
