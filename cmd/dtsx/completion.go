package main

import (
	"github.com/spf13/cobra"
)

// newCompletionCmd is dtsx completion SHELL: cobra's completion script of
// bash, zsh or fish, which completes commands, flags and files.
func newCompletionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "print the shell completion script of bash, zsh or fish",
		Long: `Prints the completion script of a shell. For example:

  source <(dtsx completion bash)                      # bash, this shell
  dtsx completion zsh > "${fpath[1]}/_dtsx"           # zsh
  dtsx completion fish > ~/.config/fish/completions/dtsx.fish`,
		ValidArgs: []string{"bash", "zsh", "fish"},
		Args:      cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			root, w := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(w, true)
			case "zsh":
				return root.GenZshCompletion(w)
			default:
				return root.GenFishCompletion(w, true)
			}
		},
	}
}
