package main

import (
	"strings"
	"testing"
)

// TestCompletion: each shell's script is cobra's, for dtsx.
func TestCompletion(t *testing.T) {
	for _, tt := range []struct{ shell, want string }{
		{"bash", "__start_dtsx"},
		{"zsh", "#compdef dtsx"},
		{"fish", "complete -c dtsx"},
	} {
		t.Run(tt.shell, func(t *testing.T) {
			code, out, errOut := runCLI(t, "completion", tt.shell)
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, no %q in the script (%d bytes)\n%s", code, tt.want, len(out), errOut)
			}
		})
	}
	// The script asks dtsx for its completions: the hidden __complete
	// command answers with the commands.
	code, out, _ := runCLI(t, "__complete", "")
	for _, c := range []string{"run", "validate", "inspect", "completion"} {
		if code != 0 || !strings.Contains(out, c+"\t") {
			t.Errorf("__complete: exit %d, no %s:\n%s", code, c, out)
		}
	}
}
