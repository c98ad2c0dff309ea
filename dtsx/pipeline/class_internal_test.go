package pipeline

import (
	"strings"
	"testing"
)

// TestClassKeysUnique: no class ID, ProgID or name is given to two
// classes of the table (the later one would win silently).
func TestClassKeysUnique(t *testing.T) {
	seen := map[string]string{}
	for _, c := range classes {
		keys := append([]string{c.Name, strings.TrimPrefix(c.Name, "Microsoft."), c.progID}, c.ids...)
		for _, k := range keys {
			if k == "" {
				continue
			}
			k = strings.ToUpper(k)
			if other, dup := seen[k]; dup && other != c.Name {
				t.Errorf("%s is a key of both %s and %s", k, other, c.Name)
			}
			seen[k] = c.Name
		}
	}
}
