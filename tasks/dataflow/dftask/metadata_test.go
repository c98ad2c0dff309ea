package dftask_test

import (
	"context"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dftask"
)

// acquire is an Opener that acquires a session of the manager as it is.
func acquire(ctx context.Context, m *database.Manager) (*database.Session, func(), error) {
	s, err := m.Acquire(ctx, database.Options{})
	if err != nil {
		return nil, nil, err
	}
	return s, func() { s.Release() }, nil
}

// externalColumn returns the externalMetadataColumn named name of the
// component named comp.
func externalColumn(root *etree.Element, comp, name string) *etree.Element {
	return component(root, comp).FindElement(`.//externalMetadataColumn[@name='` + name + `']`)
}

// TestCheckExternalMetadata: with ValidateExternalMetadata True (the
// default), the external columns of a database source or destination are
// checked against the table, view or SELECT it names, described without
// reading a row ("Integration Services Data Flow Components": external
// metadata); a missing column or a type that does not convert is an error
// naming the component, the column and the fix; with False nothing is
// checked.
func TestCheckExternalMetadata(t *testing.T) {
	for _, tc := range []struct {
		name, flow string
		edit       func(root *etree.Element)
		want       []string // substrings of the diagnostics, in order; none: no diagnostic
		severity   dtsx.Severity
	}{
		{"destination matches", "Load orders", nil, nil, 0},
		{"destination column missing", "Load orders", func(root *etree.Element) {
			externalColumn(root, "Write orders", "amount").CreateAttr("name", "amt")
		}, []string{`component "Write orders": external column "amt" of its input is not a column of table or view [orders] (it has customer, amount, region)`}, dtsx.SeverityError},
		{"destination type does not convert", "Load orders", func(root *etree.Element) {
			externalColumn(root, "Write orders", "amount").CreateAttr("dataType", "dbTimeStamp")
		}, []string{`external column "amount" of its input is DT_DBTIMESTAMP and the column of table or view [orders] is INTEGER, which does not convert`}, dtsx.SeverityError},
		{"not checked when ValidateExternalMetadata is False", "Load orders", func(root *etree.Element) {
			externalColumn(root, "Write orders", "amount").CreateAttr("name", "amt")
			component(root, "Write orders").CreateAttr("validateExternalMetadata", "False")
		}, nil, 0},
		{"missing table", "Load orders", func(root *etree.Element) {
			setProperty(root, "Write orders", "OpenRowset", "[no_such_table]")
		}, []string{`table or view [no_such_table] cannot be described on connection "Orders DB"`}, dtsx.SeverityError},
		{"destination through a SQL command", "Load orders", func(root *etree.Element) {
			setProperty(root, "Write orders", "AccessMode", "2")
			setProperty(root, "Write orders", "SqlCommand", "SELECT customer, region FROM orders")
		}, []string{`external column "amount" of its input is not a column of SqlCommand (it has customer, region)`}, dtsx.SeverityError},
		{"source command with parameters is not described", "Export regions", nil,
			[]string{`component "Read regions": its SqlCommand is not checked against the external columns (dbflow: the command is not described: it has parameter markers)`}, dtsx.SeverityInfo},
		{"source command", "Export regions", func(root *etree.Element) {
			setProperty(root, "Read regions", "SqlCommand", "SELECT Customer, Region AS Area FROM customers")
		}, []string{`external column "Region" of its output is not a column of SqlCommand (it has Customer, Area)`}, dtsx.SeverityError},
		{"a command that is not a SELECT is not run", "Export regions", func(root *etree.Element) {
			setProperty(root, "Read regions", "SqlCommand", "DELETE FROM customers")
		}, []string{"it is not a single SELECT"}, dtsx.SeverityInfo},
		{"a SELECT followed by another statement is not run", "Export regions", func(root *etree.Element) {
			setProperty(root, "Read regions", "SqlCommand", "SELECT Customer, Region FROM customers; DELETE FROM customers")
		}, []string{"it is not a single SELECT"}, dtsx.SeverityInfo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, env, dir := loadDB(t, tc.flow, "", tc.edit)
			ds := task.(*dftask.Task).CheckExternalMetadata(context.Background(), env, acquire)
			if len(ds) != len(tc.want) {
				t.Fatalf("diagnostics %v, want %d", ds, len(tc.want))
			}
			for i, d := range ds {
				if !strings.Contains(d.Message, tc.want[i]) || d.Severity != tc.severity || d.Code != dftask.CodeExternalMetadata ||
					!strings.Contains(d.Path, `\`+tc.flow+`\`) || d.Hint == "" {
					t.Errorf("diagnostic %d: %+v, want %s %q with the component's path and a hint", i, d, tc.severity, tc.want[i])
				}
			}
			if got := dbRows(t, dir, "SELECT count(*) FROM customers"); got != "4\n" {
				t.Errorf("%s customers after the check, want 4: the check changed data", got)
			}
		})
	}
}
