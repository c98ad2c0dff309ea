package dftask_test

import (
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
)

// TestAudit runs Flat File Source → Audit → Flat File Destination ("Audit
// Transformation"): each of the nine audit types (LineageItemSelected 0 to
// 8, "Transformation Custom Properties") is a column whose value is the
// run's System variable, the same in every row.
func TestAudit(t *testing.T) {
	before := time.Now().Add(-time.Second)
	rep, _, dir := runPackage(t, "audit.dtsx", map[string]string{"names.csv": "Name\r\nAda\r\nBob\r\n"}, nil)
	wantSuccess(t, rep)
	lines := strings.Split(strings.TrimSuffix(read(t, filepath.Join(dir, "audited.csv")), "\r\n"), "\r\n")
	if len(lines) != 3 || lines[0] != "Name,Run,PackageID,Package,Version,Started,Machine,User,Task,TaskID" {
		t.Fatalf("audited.csv holds %q", lines)
	}
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	var first []string
	for i, line := range lines[1:] {
		f := strings.Split(line, ",")
		if len(f) != 10 {
			t.Fatalf("row %q has %d fields", line, len(f))
		}
		if want := []string{"Ada", "Bob"}[i]; f[0] != want {
			t.Errorf("Name = %q, want %q", f[0], want)
		}
		if i == 0 {
			first = f
		} else if strings.Join(f[1:], ",") != strings.Join(first[1:], ",") {
			t.Errorf("row 2 audits %q, row 1 %q: want the same values", f[1:], first[1:])
		}
	}
	if !regexp.MustCompile(`^\{[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}$`).MatchString(first[1]) {
		t.Errorf("execution instance GUID %q is not a GUID", first[1])
	}
	for i, want := range map[int]string{2: "{D0000015-0000-4000-8000-000000000700}", 3: "audit",
		4: "{D0000015-0000-4000-8000-0000000007AA}", 6: host, 7: u.Username, 8: "Audit rows", 9: "{D0000015-0000-4000-8000-0000000007A4}"} {
		if first[i] != want {
			t.Errorf("column %d (%s) = %q, want %q", i, strings.Split(lines[0], ",")[i], first[i], want)
		}
	}
	started, err := time.ParseInLocation("2006-01-02 15:04:05", first[5][:min(len(first[5]), 19)], time.Local)
	if err != nil || started.Before(before.Truncate(time.Second)) || started.After(time.Now()) {
		t.Errorf("execution start time %q (%v) is not the time the package started", first[5], err)
	}
}

// TestAuditFailures: an audit value longer than its column fails the
// component by its truncation disposition, or is cut with IgnoreFailure;
// a LineageItemSelected out of range fails with the values to use.
func TestAuditFailures(t *testing.T) {
	rep, _, _ := runPackage(t, "audit.dtsx", map[string]string{"names.csv": "Name\r\nAda\r\n"}, func(r *etree.Element) {
		setColumn(r, "Audit", "Package", "length", "3")
	})
	wantErrors(t, rep, []string{`component "Audit" failed`, "0xC020902A", `"Package"`})

	rep, _, dir := runPackage(t, "audit.dtsx", map[string]string{"names.csv": "Name\r\nAda\r\n"}, func(r *etree.Element) {
		setColumn(r, "Audit", "Package", "length", "3")
		setColumn(r, "Audit", "Package", "truncationRowDisposition", "IgnoreFailure")
	})
	wantSuccess(t, rep)
	if f := strings.Split(strings.Split(read(t, filepath.Join(dir, "audited.csv")), "\r\n")[1], ","); len(f) < 4 || f[3] != "aud" {
		t.Errorf("row %q, want the package name cut to aud", f)
	}

	rep, _, _ = runPackage(t, "audit.dtsx", nil, func(r *etree.Element) {
		component(r, "Audit").FindElement(`.//outputColumn[@name='Task']//property[@name='LineageItemSelected']`).SetText("9")
	})
	wantErrors(t, rep, []string{`component "Audit" (Package\Audit rows\Audit)`, `column "Task"`, `LineageItemSelected "9" is not an audit type: use 0 (Execution instance GUID) to 8 (Task ID)`})
}
