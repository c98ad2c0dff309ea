package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// timeout bounds every step against the browser, so that a stuck Chromium
// fails the test instead of hanging it.
const timeout = 60 * time.Second

// Page is a local HTML file loaded in headless Chromium with the network cut
// off. Its methods fail the test on a protocol error.
type Page struct {
	t   testing.TB
	ctx context.Context

	mu      sync.Mutex
	console []string // console errors and uncaught exceptions
	blocked []string // URLs of the requests the fetch domain failed
	failed  []string // URLs and errors of the loads that failed
}

// Open starts Chromium (see [Require]), loads the HTML file path with the
// network cut off and a 1280×800 viewport, and waits for its load event. The
// browser ends with the test.
func Open(t testing.TB, path string) *Page {
	t.Helper()
	bin := Require(t)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatalf("browser: %s: %v", path, err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("browser: %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(Width, Height),
		// Belt and braces beside the fetch domain: no name resolves and
		// the proxy is a closed port.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("proxy-server", "127.0.0.1:9"),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("hide-scrollbars", true),
	)
	if needsNoSandbox() {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	p := &Page{t: t, ctx: ctx}

	// Start the browser, then listen before anything loads. The first
	// step runs on the page's own context: the browser lives as long as
	// the context of its first step.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browser: start %s: %v", bin, err)
	}
	p.listen()
	p.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}})
		return err
	}), "enable the network, log and fetch domains")
	p.do(chromedp.EmulateViewport(Width, Height), "set the viewport")
	p.do(chromedp.Navigate("file://"+filepath.ToSlash(abs)), "load "+path)
	return p
}

// step returns the page's context bounded by the step timeout.
func (p *Page) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, timeout)
}

// do runs actions and fails the test with what on an error.
func (p *Page) do(a chromedp.Action[chromedp.Void], what string) {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	if err := chromedp.Do(ctx, a); err != nil {
		p.t.Fatalf("browser: %s: %v", what, err)
	}
}

// listen records console errors and failed loads, and answers every paused
// request: file: and data: go on, anything else fails as blocked by the
// client.
func (p *Page) listen() {
	paused := make(chan *fetch.EventRequestPaused, 256)
	err := chromedp.Listen(p.ctx, func(ev any) {
		switch e := ev.(type) {
		case *fetch.EventRequestPaused:
			select {
			case paused <- e:
			default:
				go func() { paused <- e }()
			}
		case *network.EventLoadingFailed:
			p.mu.Lock()
			p.failed = append(p.failed, fmt.Sprintf("%s (%s)", e.RequestID, e.ErrorText))
			p.mu.Unlock()
		}
	})
	if err != nil {
		p.t.Fatalf("browser: listen: %v", err)
	}
	go func() {
		for {
			select {
			case <-p.ctx.Done():
				return
			case e := <-paused:
				p.answer(e)
			}
		}
	}()
	messages := chromedp.Console(p.ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				p.mu.Lock()
				p.console = append(p.console, m.String())
				p.mu.Unlock()
			}
		}
	}()
}

// answer lets a request for a local file or inline data go on and fails any
// other.
func (p *Page) answer(e *fetch.EventRequestPaused) {
	url := e.Request.URL + e.Request.URLFragment
	if local(url) {
		_, _ = chromedp.Call(p.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
		return
	}
	p.mu.Lock()
	p.blocked = append(p.blocked, url)
	p.mu.Unlock()
	_, _ = chromedp.Call(p.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
}

// local reports whether url names a local file or inline data.
func local(url string) bool {
	u := strings.ToLower(url)
	return strings.HasPrefix(u, "file:") || strings.HasPrefix(u, "data:")
}

// eval evaluates a JavaScript expression in the page and decodes its JSON
// value into v.
func (p *Page) eval(expr string, v any) {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string]("JSON.stringify("+expr+")"))
	if err != nil {
		p.t.Fatalf("browser: evaluate %s: %v", expr, err)
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		p.t.Fatalf("browser: evaluate %s: %v", expr, err)
	}
}

// quote returns s as a JavaScript string literal.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Count returns how many elements match the CSS selector sel.
func (p *Page) Count(sel string) int {
	p.t.Helper()
	var n int
	p.eval("document.querySelectorAll("+quote(sel)+").length", &n)
	return n
}

// Text returns the text content of the first element that matches sel,
// with runs of white space made one space and trimmed. It fails the test
// when nothing matches.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	var r struct {
		Found bool
		Text  string
	}
	p.eval("(e => e ? {Found: true, Text: e.textContent} : {Found: false})(document.querySelector("+quote(sel)+"))", &r)
	if !r.Found {
		p.t.Fatalf("browser: no element matches %s", sel)
	}
	return strings.Join(strings.Fields(r.Text), " ")
}

// Attr returns the attribute name of the first element that matches sel, and
// whether it exists. It fails the test when nothing matches.
func (p *Page) Attr(sel, name string) (string, bool) {
	p.t.Helper()
	var r struct {
		Found, Has bool
		Value      string
	}
	p.eval("(e => e ? {Found: true, Has: e.hasAttribute("+quote(name)+"), Value: e.getAttribute("+quote(name)+") || ''} : {Found: false})(document.querySelector("+quote(sel)+"))", &r)
	if !r.Found {
		p.t.Fatalf("browser: no element matches %s", sel)
	}
	return r.Value, r.Has
}

// ScrollWidth returns the width in CSS pixels of the whole page, which is
// more than the viewport's 1280 when the page scrolls sideways.
func (p *Page) ScrollWidth() int {
	p.t.Helper()
	var n int
	p.eval("document.documentElement.scrollWidth", &n)
	return n
}

// ConsoleErrors returns the console errors and uncaught exceptions so far.
func (p *Page) ConsoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// BlockedRequests returns the URLs of the requests for anything but a local
// file or inline data, which the page was refused.
func (p *Page) BlockedRequests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.blocked...)
}

// FailedRequests returns the loads that failed, blocked ones included, as
// "request id (error)".
func (p *Page) FailedRequests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.failed...)
}

// Offline fails the test when the page wrote a console error, asked for
// anything on the network or failed to load a resource: the check every
// page that dtsx writes must pass.
func (p *Page) Offline() {
	p.t.Helper()
	if c := p.ConsoleErrors(); len(c) > 0 {
		p.t.Errorf("browser: console errors: %q", c)
	}
	if b := p.BlockedRequests(); len(b) > 0 {
		p.t.Errorf("browser: the page asked for the network: %q", b)
	}
	if f := p.FailedRequests(); len(f) > 0 {
		p.t.Errorf("browser: failed loads: %q", f)
	}
}

// MaxHeight is the tallest screenshot: Chromium cannot capture a taller
// surface, so a longer page is cut at its first MaxHeight pixels.
const MaxHeight = 16000

// Screenshot saves a PNG of the whole page (its first [MaxHeight] pixels),
// [Width] pixels wide, as name in the artefact directory (see
// [ArtifactDir]) and returns its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	var h float64
	p.eval("Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)", &h)
	h = min(max(h, Height), MaxHeight)
	ctx, cancel := p.step()
	defer cancel()
	r, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: &yes,
		FromSurface:           &yes,
		Clip:                  &page.Viewport{Width: Width, Height: h, Scale: 1},
	})
	if err != nil {
		p.t.Fatalf("browser: screenshot %s: %v", name, err)
	}
	return p.save(name, r.Data)
}

// save writes a screenshot to the artefact directory.
func (p *Page) save(name string, data []byte) string {
	p.t.Helper()
	path := filepath.Join(ArtifactDir(p.t), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		p.t.Fatalf("browser: screenshot: %v", err)
	}
	p.t.Logf("screenshot %s", path)
	return path
}

// yes is true, for the protocol's optional Booleans.
var yes = true

// ViewportScreenshot saves a PNG of what the 1280×800 viewport shows, the
// top of the page as a reader first sees it, as name in the artefact
// directory and returns its path.
func (p *Page) ViewportScreenshot(name string) string {
	p.t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("browser: screenshot %s: %v", name, err)
	}
	return p.save(name, buf)
}
