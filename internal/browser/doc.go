// Package browser gives tests a real headless Chromium (Debian's chromium
// package, installed by scripts/chromium/install.sh) to load the HTML pages
// that dtsx writes and check them through the DOM.
//
// A page is opened from a local file with the network cut off: every request
// that is not file: or data: is failed by the DevTools fetch domain and
// recorded, the host resolver maps every name to nothing and the proxy points
// at a closed loopback port. The viewport is 1280×800. A test reads the text
// of a selector, counts elements, reads attributes, looks at the console
// errors and failed requests, and keeps a full-page PNG screenshot in the
// artefact directory ($DTSX_ARTIFACTS, else artifacts/ at the root of the
// repository).
//
// The tests run when DTSX_REAL_BROWSER=1; then a missing Chromium fails the
// test instead of skipping it. Like internal/realpg it imports nothing of
// this module, so that the tests of any package may use it.
package browser
