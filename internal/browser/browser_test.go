package browser_test

import (
	"bytes"
	"image/png"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/internal/browser"
)

// TestPage loads the harness's own page: the DOM queries, the blocked
// external image, the deliberate console error and a screenshot 1280 pixels
// wide.
func TestPage(t *testing.T) {
	t.Setenv("DTSX_ARTIFACTS", t.TempDir())
	p := browser.Open(t, "testdata/page.html")

	if got := p.Text("#title"); got != "Harness page" {
		t.Errorf("Text(#title) = %q, want %q", got, "Harness page")
	}
	if got := p.Count("li.item"); got != 3 {
		t.Errorf("Count(li.item) = %d, want 3", got)
	}
	if got := p.Count(".absent"); got != 0 {
		t.Errorf("Count(.absent) = %d, want 0", got)
	}
	for _, tc := range []struct {
		sel, name, want string
		has             bool
	}{
		{"li.item[data-status=failed]", "data-status", "failed", true},
		{"#list", "data-ready", "yes", true},
		{"li.item:last-child", "data-status", "", false},
	} {
		got, has := p.Attr(tc.sel, tc.name)
		if got != tc.want || has != tc.has {
			t.Errorf("Attr(%s, %s) = %q, %v; want %q, %v", tc.sel, tc.name, got, has, tc.want, tc.has)
		}
	}

	if b := p.BlockedRequests(); !slices.Contains(b, "http://example.com/tracker.png") {
		t.Errorf("BlockedRequests() = %q, want the remote image", b)
	}
	if f := p.FailedRequests(); len(f) == 0 {
		t.Error("FailedRequests() is empty, want the blocked image")
	}
	if c := p.ConsoleErrors(); !slices.ContainsFunc(c, func(s string) bool { return strings.Contains(s, "deliberate error") }) {
		t.Errorf("ConsoleErrors() = %q, want the deliberate error", c)
	}

	path := p.Screenshot("harness.png")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	if cfg.Width != browser.Width {
		t.Errorf("screenshot width = %d, want %d", cfg.Width, browser.Width)
	}
	if cfg.Height < browser.Height {
		t.Errorf("screenshot height = %d, want at least %d", cfg.Height, browser.Height)
	}

	data, err = os.ReadFile(p.ViewportScreenshot("harness-viewport.png"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err = png.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != browser.Width || cfg.Height != browser.Height {
		t.Errorf("viewport screenshot: %dx%d, %v; want %dx%d", cfg.Width, cfg.Height, err, browser.Width, browser.Height)
	}
}
