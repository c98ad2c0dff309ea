package main

import (
	"regexp"
	"runtime/debug"
	"testing"
)

// TestVersionOf: the version line from the build information, with or
// without VCS settings (-buildvcs=false, go run, go test give none).
func TestVersionOf(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, tt := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info", nil, false, "dtsx (devel) (commit unknown)"},
		{"devel, no VCS", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "dtsx (devel) (commit unknown)"},
		{"empty version", &debug.BuildInfo{}, true, "dtsx (devel) (commit unknown)"},
		{"released", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"},
			Settings: vcs("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-12-01T10:00:00Z", "vcs.modified", "false")}, true,
			"dtsx v1.2.0 (commit 0123456789ab, 2026-12-01T10:00:00Z)"},
		{"modified tree", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs.revision", "abc", "vcs.modified", "true")}, true, "dtsx (devel) (commit abc, modified)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionOf(tt.bi, tt.ok); got != tt.want {
				t.Errorf("versionOf = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestVersion: dtsx --version and dtsx version print the same line.
func TestVersion(t *testing.T) {
	line := regexp.MustCompile(`^dtsx \S+ \(commit [^)]+\)\n$`)
	var first string
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 || !line.MatchString(out) {
			t.Errorf("%v: exit %d, %q %s", args, code, out, errOut)
		}
		if first == "" {
			first = out
		} else if out != first {
			t.Errorf("dtsx version %q, dtsx --version %q", out, first)
		}
	}
}
