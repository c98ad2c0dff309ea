package dbflow

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestParseSelectTarget: the OLE DB Destination's SQL command access mode
// writes to the table its SELECT reads ("OLE DB Destination": SQL
// command); the simple forms are read, the others refused with the form
// that works.
func TestParseSelectTarget(t *testing.T) {
	for _, tc := range []struct {
		name, cmd string
		want      selectTarget
		err       string
	}{
		{"star", "SELECT * FROM [dbo].[Orders]", selectTarget{Table: "[dbo].[Orders]", All: true, Columns: map[string]string{}}, ""},
		{"columns and where", "select customer, [Amount] as Total, o.region Area from orders where 1 = 0;",
			selectTarget{Table: "orders", Columns: map[string]string{"CUSTOMER": "customer", "TOTAL": "Amount", "AREA": "region"}}, ""},
		{"quoted table, order by", `SELECT "Customer" FROM "public"."Orders" ORDER BY 1`,
			selectTarget{Table: `"public"."Orders"`, Columns: map[string]string{"CUSTOMER": "Customer"}}, ""},
		{"multi-line", "SELECT customer,\r\n  amount\r\nFROM orders\r\n", selectTarget{Table: "orders", Columns: map[string]string{"CUSTOMER": "customer", "AMOUNT": "amount"}}, ""},
		{"join", "SELECT a FROM orders JOIN customers ON 1=1", selectTarget{}, `"JOIN customers ON 1=1" after the table`},
		{"comma join", "SELECT a FROM orders, customers", selectTarget{}, "after the table"},
		{"subquery", "SELECT a FROM (SELECT 1 a) x", selectTarget{}, "FROM names no table"},
		{"expression", "SELECT amount * 2 FROM orders", selectTarget{}, `"amount * 2" is not a column`},
		{"distinct", "SELECT DISTINCT a FROM orders", selectTarget{}, "SELECT DISTINCT"},
		{"not a select", "UPDATE orders SET a = 1", selectTarget{}, "is not SELECT … FROM a table"},
		{"empty", "", selectTarget{}, "is not SELECT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseSelectTarget(tc.cmd)
			if tc.err != "" {
				if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "choose the table or view access mode") {
					t.Fatalf("error %v, want ErrConfig with %q and the fix", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
