package dtsx_test

// Tests against the hand-written broken inputs in testdata/bad: every file
// there is small, written for one class of problem, and listed in badCases
// with the diagnostic it must give. Files under testdata/bad/validate/<case>/
// go through the same path as `dtsx validate` (runtime.Open, runtime.Build
// with the built-in registries, Validate); each case has its own folder so
// that the .conmgr and .params discovery beside a package does not mix them.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections"
	connbuiltin "github.com/dtsx-run/dtsx/connections/builtin"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/runtime"
	"github.com/dtsx-run/dtsx/tasks/builtin"
)

// badDir holds the hand-written broken inputs.
const badDir = "testdata/bad"

// badLoader says which entry point a bad file goes through.
type badLoader int

const (
	viaPackage  badLoader = iota // dtsx.LoadPackage
	viaConmgr                    // dtsx.LoadConnectionManager
	viaParams                    // dtsx.LoadParameters
	viaConfig                    // dtsx.LoadConfigFile
	viaValidate                  // runtime.Open + runtime.Build + Validate, as `dtsx validate`
)

func (l badLoader) String() string {
	return [...]string{"LoadPackage", "LoadConnectionManager", "LoadParameters", "LoadConfigFile", "validate"}[l]
}

// badCase is one expected diagnostic of one bad file.
type badCase struct {
	file string // relative to badDir, slash-separated
	via  badLoader
	// loadErr is true when the loader must fail with a *dtsx.Error whose
	// Diagnostic is the expected one; false when the file loads and the
	// diagnostic is among the loaded file's (or the validation's).
	loadErr bool
	code    string
	sev     dtsx.Severity
	// text lists substrings that Message or Hint must each contain.
	text []string
	// path is the expected element path; "" when no element is involved
	// (then the diagnostic must have none).
	path string
	// diagFile is the file the diagnostic must name, relative to badDir,
	// when it is not the file itself (a .params or .conmgr found beside a
	// package).
	diagFile string
	// lines is the inclusive range of lines the diagnostic's Line must fall
	// in: the lines of the element's start tag, or the line of an XML error.
	// {0, 0} leaves Line unchecked.
	lines [2]int
	// bug describes a known loader divergence that makes the checks named
	// in bugChecks ("code", "line", "text") fail today. Those failures are
	// logged and the case skipped, never deleted; the other checks still
	// run. When the checks pass again the test says so.
	bug       string
	bugChecks []string
}

var badCases = []badCase{
	// Files that cannot be loaded at all.
	{file: "empty.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeEmptyFile, sev: dtsx.SeverityError,
		text: []string{"empty"}},
	{file: "malformed.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeMalformedXML, sev: dtsx.SeverityError,
		text: []string{"not well-formed XML", "entity"}, lines: [2]int{7, 7}},
	{file: "malformed-mismatched-tag.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeMalformedXML, sev: dtsx.SeverityError,
		text: []string{"not well-formed XML", "Variable"}, lines: [2]int{9, 9}},
	{file: "truncated.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeTruncatedXML, sev: dtsx.SeverityError,
		text: []string{"truncated"}, lines: [2]int{4, 4}},
	{file: "truncated-between-elements.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeTruncatedXML, sev: dtsx.SeverityError,
		text: []string{"truncated"}, lines: [2]int{10, 11}},
	{file: "root-conmgr.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeWrongRoot, sev: dtsx.SeverityError,
		text: []string{"<DTS:ConnectionManager>", ".conmgr"}, lines: [2]int{2, 2}},
	{file: "root-html.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeWrongRoot, sev: dtsx.SeverityError,
		text: []string{"<html>", "not an SSIS package"}, lines: [2]int{1, 1}},
	{file: "wrong-namespace.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeWrongNamespace, sev: dtsx.SeverityError,
		text: []string{"http://www.microsoft.com/SqlServer/Dts", "no http://"}, lines: [2]int{2, 2}},
	{file: "encrypted.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeEncryptedPackage, sev: dtsx.SeverityError,
		text: []string{"encrypted", "password"}},
	{file: "unknown-format.dtsx", via: viaPackage, loadErr: true, code: dtsx.CodeUnknownFormat, sev: dtsx.SeverityError,
		text: []string{"Contoso.Package"}, path: "Package"},
	{file: "broken.conmgr", via: viaConmgr, loadErr: true, code: dtsx.CodeMalformedXML, sev: dtsx.SeverityError,
		text: []string{"&D;"}, lines: [2]int{8, 8}},
	{file: "wrong-root.dtsConfig", via: viaConfig, loadErr: true, code: dtsx.CodeWrongRoot, sev: dtsx.SeverityError,
		text: []string{"<Configurations>", "<DTSConfiguration>"}, lines: [2]int{2, 2}},

	// Files that load, with diagnostics.
	{file: "format-version-5.dtsx", via: viaPackage, code: dtsx.CodeUnknownFormat, sev: dtsx.SeverityWarning,
		text: []string{"PackageFormatVersion 5"}, path: "Package"},
	{file: "no-format-version.dtsx", via: viaPackage, code: dtsx.CodeMissingProperty, sev: dtsx.SeverityWarning,
		text: []string{"PackageFormatVersion is missing", "SSIS.Package.3"}, path: "Package"},
	{file: "dup-dtsid-f8.dtsx", via: viaPackage, code: dtsx.CodeDuplicateID, sev: dtsx.SeverityError,
		text: []string{"Copied Task", `Package\First Task`}, path: `Package\Copied Task`, lines: [2]int{19, 24}},
	{file: "dup-dtsid-f3.dtsx", via: viaPackage, code: dtsx.CodeDuplicateID, sev: dtsx.SeverityError,
		text: []string{"Load Stage Copy", `Package\Load Stage`}, path: `Package\Load Stage Copy`, lines: [2]int{11, 15}},
	{file: "dup-cm-name.dtsx", via: viaPackage, code: dtsx.CodeDuplicateName, sev: dtsx.SeverityError,
		text: []string{"MAIL SERVER"}, path: "Package.ConnectionManagers[MAIL SERVER]", lines: [2]int{21, 25}},
	{file: "dangling-f8.dtsx", via: viaPackage, code: dtsx.CodeDanglingConstraint, sev: dtsx.SeverityError,
		text: []string{`Load (deleted)`, "To end"}, path: "Package.PrecedenceConstraints[Constraint]", lines: [2]int{19, 26}},
	{file: "dangling-f3.dtsx", via: viaPackage, code: dtsx.CodeDanglingConstraint, sev: dtsx.SeverityError,
		text: []string{"{B0000014-0000-4000-8000-0000000000E9}", "To end"}, path: "Package.PrecedenceConstraints[Constraint]",
		lines: [2]int{9, 20}},
	{file: "bad-protection-level.dtsx", via: viaPackage, code: dtsx.CodeBadValue, sev: dtsx.SeverityError,
		text: []string{"ProtectionLevel", `"9"`}, path: "Package", lines: [2]int{2, 8}},
	{file: "bad-format-version-text.dtsx", via: viaPackage, code: dtsx.CodeBadValue, sev: dtsx.SeverityWarning,
		text: []string{"PackageFormatVersion", `"abc"`, "not a number"}, path: "Package", lines: [2]int{8, 9}},
	{file: "dup-exe-name.dtsx", via: viaPackage, code: dtsx.CodeDuplicateName, sev: dtsx.SeverityError,
		text: []string{`"Load"`, "rename"}, path: `Package\Load`, lines: [2]int{17, 22}},
	{file: "bad-disabled.dtsx", via: viaPackage, code: dtsx.CodeBadValue, sev: dtsx.SeverityError,
		text: []string{"Disabled", `"Maybe"`}, path: `Package\Archive Files`, lines: [2]int{11, 17}},
	{file: "bad-boolean-f3.dtsx", via: viaPackage, code: dtsx.CodeBadValue, sev: dtsx.SeverityError,
		text: []string{"EvaluateAsExpression", `"Yes"`}, path: "Package.Variables[User::Counter]", lines: [2]int{4, 13}},
	{file: "bad-constraint.dtsx", via: viaPackage, code: dtsx.CodeBadValue, sev: dtsx.SeverityError,
		text: []string{`Value is "7"`, "Completion"}, path: "Package.PrecedenceConstraints[Bad Value]", lines: [2]int{25, 32}},
	{file: "bad-constraint.dtsx", via: viaPackage, code: dtsx.CodeBadValue, sev: dtsx.SeverityError,
		text: []string{`EvalOp is "Expression"`, "ExpressionOrConstraint"}, path: "Package.PrecedenceConstraints[Bad EvalOp]",
		lines: [2]int{33, 40}},
	{file: "cm-no-creationname.dtsx", via: viaPackage, code: dtsx.CodeMissingProperty, sev: dtsx.SeverityError,
		text: []string{"Input File", "no CreationName"}, path: "Package.ConnectionManagers[Input File]", lines: [2]int{11, 14}},
	{file: "bad-datatype.params", via: viaParams, code: dtsx.CodeBadValue, sev: dtsx.SeverityError,
		text: []string{`"Int32"`, "TypeCode"}, path: "Project.Parameters[BatchSize]", lines: [2]int{3, 4}},
	{file: "bad-datatype.params", via: viaParams, code: dtsx.CodeBadValue, sev: dtsx.SeverityError,
		text: []string{`"17"`, "TypeCode"}, path: "Project.Parameters[Label]", lines: [2]int{18, 19}},

	// Full validation, as `dtsx validate` does it.
	{file: "validate/dangling-smtp/Package.dtsx", via: viaValidate, code: connections.CodeDanglingRef, sev: dtsx.SeverityError,
		text: []string{"Notify Operators", "{B0000020-DEAD-4000-8000-0000000000DD}"}, path: `Package\Notify Operators`,
		lines: [2]int{24, 30}},
	{file: "validate/wrong-cm-type/Package.dtsx", via: viaValidate, code: "sendmail-wrong-connection-type", sev: dtsx.SeverityError,
		text: []string{"Mail Report", "Report File", `"FILE"`}, path: `Package\Mail Report`, lines: [2]int{24, 30}},
	{file: "validate/kingsway/Package.dtsx", via: viaValidate, code: connections.CodeUnknownType, sev: dtsx.SeverityError,
		text: []string{"SMTP (KingswaySoft)"}, path: "Package.ConnectionManagers[SMTP Connection Manager]", lines: [2]int{12, 16}},
	{file: "validate/kingsway/Package.dtsx", via: viaValidate, code: "sendmail-wrong-connection-type", sev: dtsx.SeverityError,
		text: []string{"Send Alert", "SMTP (KingswaySoft)"}, path: `Package\Send Alert`, lines: [2]int{24, 30}},
	{file: "validate/unknown-exe/Package.dtsx", via: viaValidate, code: "unknown-executable-type", sev: dtsx.SeverityError,
		text: []string{"Zip Archive", "Contoso.ZipTask"}, path: `Package\Zip Archive`, lines: [2]int{12, 17}},
	{file: "validate/no-recipient/Package.dtsx", via: viaValidate, code: "sendmail-no-recipient", sev: dtsx.SeverityError,
		text: []string{"Mail Nobody", "recipient"}, path: `Package\Mail Nobody`, lines: [2]int{24, 30}},
	{file: "validate/project-params/Package.dtsx", via: viaValidate, code: dtsx.CodeBadValue, sev: dtsx.SeverityError,
		text: []string{`"System.Int32"`, "TypeCode"}, path: "Project.Parameters[RetryCount]",
		diagFile: "validate/project-params/Project.params", lines: [2]int{3, 4}},
	{file: "validate/broken-conmgr/Package.dtsx", via: viaValidate, code: dtsx.CodeMalformedXML, sev: dtsx.SeverityError,
		text: []string{"not well-formed XML"}, diagFile: "validate/broken-conmgr/Mail.conmgr", lines: [2]int{9, 9}},
}

// badGoodFiles are the files of testdata/bad that must give no error: the
// counterparts of bad cases.
var badGoodFiles = []string{
	"validate/smtp-guid-case/Package.dtsx",
}

// badSupportFiles are read only as members of a case's folder.
var badSupportFiles = []string{
	"validate/broken-conmgr/Mail.conmgr",
	"validate/project-params/Project.params",
}

// badOpen runs a bad file through its loader and returns what it reports:
// the load error, if any, and the diagnostics otherwise.
func badOpen(t *testing.T, rel string, via badLoader) (dtsx.Diagnostics, error) {
	t.Helper()
	path := filepath.Join(badDir, filepath.FromSlash(rel))
	if via == viaValidate {
		pkgs, pr, err := runtime.Open(path, "", dtsx.Options{})
		if err != nil {
			return nil, err
		}
		var out dtsx.Diagnostics
		for _, p := range pkgs {
			rp := runtime.Build(p, runtime.Options{Project: pr, Connections: connbuiltin.Connections(), Tasks: builtin.Tasks()})
			out = append(out, rp.Validate(context.Background())...)
		}
		return out, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch via {
	case viaPackage:
		p, err := dtsx.LoadPackage(path, data)
		if err != nil {
			if p != nil {
				t.Errorf("%s: LoadPackage returned both a package and an error", rel)
			}
			return nil, err
		}
		return p.Diagnostics, nil
	case viaConmgr:
		cm, ds, err := dtsx.LoadConnectionManager(path, data)
		if err == nil && cm == nil {
			t.Errorf("%s: LoadConnectionManager returned neither a manager nor an error", rel)
		}
		return ds, err
	case viaParams:
		_, ds, err := dtsx.LoadParameters(path, data)
		return ds, err
	case viaConfig:
		cf, err := dtsx.LoadConfigFile(path, data)
		if err == nil && cf == nil {
			t.Errorf("%s: LoadConfigFile returned neither a file nor an error", rel)
		}
		return nil, err
	}
	panic("unreachable")
}

func TestBadInputs(t *testing.T) {
	for _, c := range badCases {
		name := c.file + "/" + c.code
		if c.path != "" {
			name += "/" + c.path
		}
		t.Run(name, func(t *testing.T) { checkBadCase(t, c) })
	}
}

func checkBadCase(t *testing.T, c badCase) {
	ds, err := badOpen(t, c.file, c.via)
	var d dtsx.Diagnostic
	if c.loadErr {
		var le *dtsx.Error
		if !errors.As(err, &le) {
			t.Fatalf("%s: %v returned error %v (%T), want a *dtsx.Error %s", c.file, c.via, err, err, c.code)
		}
		if !errors.Is(err, dtsx.ErrNotLoaded) {
			t.Errorf("%s: errors.Is(err, dtsx.ErrNotLoaded) is false", c.file)
		}
		d = le.Diagnostic
	} else {
		if err != nil {
			t.Fatalf("%s: %v failed: %v; want it to load with a %s diagnostic", c.file, c.via, err, c.code)
		}
		found := false
		for _, x := range ds {
			if x.Code == c.code && x.Path == c.path {
				d, found = x, true
				break
			}
		}
		if !found {
			t.Fatalf("%s: no %s diagnostic at path %q; got:\n%s", c.file, c.code, c.path, badList(ds))
		}
	}

	// Each check that fails adds a message under its name.
	failed := map[string][]string{}
	fail := func(check, format string, args ...any) {
		failed[check] = append(failed[check], fmt.Sprintf(format, args...))
	}
	if d.Code != c.code {
		fail("code", "code %q, want %q", d.Code, c.code)
	}
	if d.Severity != c.sev {
		fail("severity", "severity %v, want %v", d.Severity, c.sev)
	}
	for _, s := range c.text {
		if !strings.Contains(d.Message, s) && !strings.Contains(d.Hint, s) {
			fail("text", "neither message %q nor hint %q contains %q", d.Message, d.Hint, s)
		}
	}
	wantFile := filepath.Join(badDir, filepath.FromSlash(c.file))
	if c.diagFile != "" {
		wantFile = filepath.Join(badDir, filepath.FromSlash(c.diagFile))
	}
	if d.File != wantFile {
		fail("file", "File %q, want %q", d.File, wantFile)
	}
	if d.Path != c.path {
		fail("path", "Path %q, want %q", d.Path, c.path)
	}
	if c.lines != [2]int{} && (d.Line < c.lines[0] || d.Line > c.lines[1]) {
		if c.lines[0] == c.lines[1] {
			fail("line", "Line %d, want %d", d.Line, c.lines[0])
		} else {
			fail("line", "Line %d, want %d to %d", d.Line, c.lines[0], c.lines[1])
		}
	}
	if d.Message == "" || d.Hint == "" {
		fail("text", "message %q and hint %q must both be set", d.Message, d.Hint)
	}

	known := map[string]bool{}
	for _, k := range c.bugChecks {
		known[k] = true
	}
	var skipped []string
	checks := make([]string, 0, len(failed))
	for k := range failed {
		checks = append(checks, k)
	}
	sort.Strings(checks)
	for _, k := range checks {
		for _, msg := range failed[k] {
			if known[k] {
				skipped = append(skipped, msg)
			} else {
				t.Errorf("%s: %s (diagnostic: %s)", c.file, msg, d)
			}
		}
	}
	if c.bug != "" && len(skipped) == 0 && !t.Failed() {
		t.Logf("%s: the known divergence no longer shows (%s); remove its note from badCases", c.file, c.bug)
	}
	if len(skipped) > 0 {
		t.Skipf("known divergence: %s\n\t%s", c.bug, strings.Join(skipped, "\n\t"))
	}
}

func badList(ds dtsx.Diagnostics) string {
	if len(ds) == 0 {
		return "\t(none)"
	}
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("\t" + d.String() + "\n")
	}
	return b.String()
}

// TestBadKingswayIsNotSMTP checks that a third-party manager whose
// CreationName merely starts with SMTP is never read as an SMTP manager.
func TestBadKingswayIsNotSMTP(t *testing.T) {
	ds, err := badOpen(t, "validate/kingsway/Package.dtsx", viaValidate)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if strings.HasPrefix(d.Code, "smtp-") {
			t.Errorf("SMTP (KingswaySoft) was parsed as an SMTP connection string: %s", d)
		}
	}
}

// TestBadSendMailGUIDCase is the good counterpart of dangling-smtp: the
// task's SMTPServer is the upper-case form of the manager's lower-case
// DTSID, and it must resolve.
func TestBadSendMailGUIDCase(t *testing.T) {
	const rel = "validate/smtp-guid-case/Package.dtsx"
	path := filepath.Join(badDir, filepath.FromSlash(rel))
	pkgs, pr, err := runtime.Open(path, "", dtsx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 {
		t.Fatalf("runtime.Open returned %d packages, want 1", len(pkgs))
	}
	rp := runtime.Build(pkgs[0], runtime.Options{Project: pr, Connections: connbuiltin.Connections(), Tasks: builtin.Tasks()})
	m, err := rp.Connection("{B0000021-ABCD-4EF0-9ABC-DEF0000000C1}")
	if err != nil {
		t.Fatalf("upper-case reference to a lower-case DTSID: %v", err)
	}
	if got := m.Definition().Name; got != "Mail Server" {
		t.Errorf("reference resolves to %q, want Mail Server", got)
	}
	for _, d := range rp.Validate(context.Background()) {
		switch {
		case strings.HasPrefix(d.Code, "smtp-"):
			// The SMTP connection-string checks are tested with their package.
		case d.Code == connections.CodeDanglingRef || strings.HasPrefix(d.Code, "sendmail-") || d.Severity == dtsx.SeverityError:
			t.Errorf("%s: unexpected %s", rel, d)
		}
	}
}

// TestBadSetListed keeps badCases complete: every file of testdata/bad is a
// case, a good counterpart or a support file, and every listed file exists.
func TestBadSetListed(t *testing.T) {
	listed := map[string]bool{}
	for _, c := range badCases {
		listed[c.file] = true
	}
	for _, f := range append(append([]string(nil), badGoodFiles...), badSupportFiles...) {
		listed[f] = true
	}
	seen := map[string]bool{}
	for _, rel := range badFiles(t) {
		seen[rel] = true
		if !listed[rel] {
			t.Errorf("%s is in %s but has no expectation in badCases", rel, badDir)
		}
	}
	for f := range listed {
		if !seen[f] {
			t.Errorf("%s is listed but missing from %s", f, badDir)
		}
	}
	if n := len(seen); n < 18 {
		t.Errorf("only %d bad files", n)
	}
}

// badFiles lists the files of testdata/bad, slash-separated, relative to it.
func badFiles(t testing.TB) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(badDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(badDir, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBadNoPanic feeds every bad file to every loader, whatever its
// extension, and every .dtsx to the whole validate path: nothing may panic.
func TestBadNoPanic(t *testing.T) {
	for _, rel := range badFiles(t) {
		path := filepath.Join(badDir, filepath.FromSlash(rel))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		try := func(what string, fn func()) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: %s panicked: %v", rel, what, r)
				}
			}()
			fn()
		}
		try("LoadPackage", func() {
			if p, err := dtsx.LoadPackage(path, data); err == nil {
				p.Walk(func(*dtsx.Executable) bool { return true })
				_, _ = p.WriteTo(new(strings.Builder))
			}
		})
		try("LoadConnectionManager", func() { _, _, _ = dtsx.LoadConnectionManager(path, data) })
		try("LoadParameters", func() { _, _, _ = dtsx.LoadParameters(path, data) })
		try("LoadConfigFile", func() { _, _ = dtsx.LoadConfigFile(path, data) })
		if strings.EqualFold(filepath.Ext(rel), ".dtsx") {
			try("validate", func() {
				pkgs, pr, err := runtime.Open(path, "", dtsx.Options{})
				if err != nil {
					return
				}
				for _, p := range pkgs {
					rp := runtime.Build(p, runtime.Options{Project: pr, Connections: connbuiltin.Connections(), Tasks: builtin.Tasks()})
					for _, d := range rp.Validate(context.Background()) {
						_ = d.String()
					}
				}
			})
		}
	}
}
