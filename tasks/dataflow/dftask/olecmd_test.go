package dftask_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/tasks"
)

// setDisposition sets the errorRowDisposition of the input of the
// component named comp.
func setDisposition(root *etree.Element, comp, value string) {
	component(root, comp).FindElement(`./inputs/input`).CreateAttr("errorRowDisposition", value)
}

// TestOLEDBCommand runs testdata/olecmd.dtsx: the OLE DB Command inserts a
// payment for each order, its ? markers bound to the input columns mapped
// to Param_0 and Param_1 ("OLE DB Command Transformation"), and sends the
// rows on to its output. Cyd's Amount does not convert and is NULL, which
// the NOT NULL column refuses; that row follows the input's disposition
// ("Error Handling in Data"): redirected to the error output with
// ErrorCode DTS_E_OLEDBERROR and ErrorColumn 0, or, ignored, directed to
// the output of the transformation, or it fails the component.
func TestOLEDBCommand(t *testing.T) {
	for _, tc := range []struct {
		name, disposition, paid, rejects, fail string
	}{
		{"redirect row", "RedirectRow",
			"Customer,Amount\r\nAda,120\r\nBob,40\r\nDee,95\r\nEve,300\r\n",
			"Customer,ErrorCode,ErrorColumn\r\nCyd,-1071636471,0\r\n", ""},
		{"ignore failure sends the row on", "IgnoreFailure",
			"Customer,Amount\r\nAda,120\r\nBob,40\r\nCyd,\r\nDee,95\r\nEve,300\r\n",
			"Customer,ErrorCode,ErrorColumn\r\n", ""},
		{"fail component", "FailComponent", "", "", "Pay"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, env, dir := loadDBFile(t, "olecmd.dtsx", "Record payments", "", func(root *etree.Element) {
				setDisposition(root, "Pay", tc.disposition)
			})
			if ds := task.Validate(context.Background(), env); len(ds) != 0 {
				t.Fatalf("validation: %v", ds)
			}
			err := task.(tasks.Executor).Execute(context.Background(), env)
			got := dbRows(t, dir, "SELECT customer, amount FROM payments ORDER BY customer")
			if tc.fail != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fail) || !strings.Contains(err.Error(), "NOT NULL") {
					t.Fatalf("error %v, want %s failing on the NOT NULL constraint", err, tc.fail)
				}
				if want := "Ada,120\nBob,40\n"; got != want {
					t.Errorf("payments before the failure:\n%s\nwant\n%s", got, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := "Ada,120\nBob,40\nDee,95\nEve,300\n"; got != want {
				t.Errorf("payments:\n%s\nwant\n%s", got, want)
			}
			if got := read(t, filepath.Join(dir, "paid.csv")); got != tc.paid {
				t.Errorf("paid.csv = %q, want %q", got, tc.paid)
			}
			if got := read(t, filepath.Join(dir, "rejects.csv")); got != tc.rejects {
				t.Errorf("rejects.csv = %q, want %q", got, tc.rejects)
			}
		})
	}
}

// TestOLEDBCommandBadConfig: a command without a statement, or with more
// markers than mapped parameters, fails naming the component and the fix.
func TestOLEDBCommandBadConfig(t *testing.T) {
	for _, tc := range []struct{ name, command, want string }{
		{"empty command", "", "SqlCommand is empty"},
		{"unmapped marker", "INSERT INTO payments (customer, amount, region) VALUES (?, ?, ?)", "Param_2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, env, _ := loadDBFile(t, "olecmd.dtsx", "Record payments", "", func(root *etree.Element) {
				setProperty(root, "Pay", "SqlCommand", tc.command)
			})
			ds := task.Validate(context.Background(), env)
			err := error(nil)
			if !ds.HasErrors() {
				err = task.(tasks.Executor).Execute(context.Background(), env)
			}
			msg := fmt.Sprint(ds)
			if err != nil {
				msg = err.Error()
			}
			if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "Pay") {
				t.Errorf("validation %v, run %v: want an error naming Pay and %q", ds, err, tc.want)
			}
		})
	}
}
