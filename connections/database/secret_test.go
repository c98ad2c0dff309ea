package database_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/connections/database"
)

// TestPasswordNeverShown feeds passwords in odd shapes and checks that no
// diagnostic, error, String, GoString or %v/%+v/%#v of the settings or the
// manager contains them.
func TestPasswordNeverShown(t *testing.T) {
	const pw = "Zq7-secret"
	shapes := []struct{ name, cs string }{
		{"plain", "Password=" + pw + ";"},
		{"pwd", "PWD=" + pw + ";"},
		{"lower pwd", "pwd=" + pw + ";"},
		{"upper", "PASSWORD=" + pw + ";"},
		{"double quoted with ;", `Password="` + pw + `;x";`},
		{"single quoted with quote", `Password='` + pw + `"x';`},
		{"doubled quotes", `Password="` + pw + `""x";`},
		{"braces", "Password={" + pw + "};"},
		{"spaces", "Password =  " + pw + " ;"},
		{"twice", "Password=" + pw + ";PWD=" + pw + "2;"},
		{"unterminated", `Password="` + pw},
		{"bad syntax after", "Password=" + pw + ";=x;"},
	}
	kinds := []struct{ creation, prefix string }{
		{oledb, "Data Source=127.0.0.1,1;Provider=MSOLEDBSQL;User ID=u;Frob=1;"},
		{sqlCli, "Data Source=127.0.0.1,1;User ID=u;Port=x;"},
		{odbc, "Driver={ODBC Driver 18 for SQL Server};Server=127.0.0.1,1;UID=u;"},
		{npgsql, "Host=127.0.0.1;Port=1;Username=u;SSL Mode=Sometimes;"},
		{odbc, "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=1;UID=u;"},
		{sqliteN, "Data Source=/nonexistent/x.db;"},
		{oledb, "Provider=MSDAORA.1;Data Source=o;"},
	}
	refuse := database.Options{Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("refused")
	}}
	for _, k := range kinds {
		for _, s := range shapes {
			t.Run(k.creation+"/"+s.name, func(t *testing.T) {
				cs := k.prefix + s.cs
				m := newManager(t, k.creation, cs, "")
				var out []string
				for _, d := range m.Validate() {
					out = append(out, d.Message, d.Hint, fmt.Sprint(d))
				}
				c := m.Config()
				out = append(out, c.String(), c.GoString(), fmt.Sprintf("%v %+v %#v %s", c, c, c, c),
					fmt.Sprintf("%v %+v %#v", *c, *c, *c), m.String(), fmt.Sprint(m))
				for _, p := range append(c.Errors, c.Warnings...) {
					out = append(out, p.Msg, p.Hint)
				}
				if _, err := m.Acquire(context.Background(), refuse); err != nil {
					out = append(out, err.Error(), fmt.Sprintf("%+v", err))
				} else {
					t.Error("Acquire succeeded")
				}
				for _, set := range []struct{ prop, value string }{
					{"Password", pw}, {"Password", `"` + pw + `;`}, {"ServerName", "other;x"}, {"UserName", "v"},
					{"InitialCatalog", "{d}"}, {"ConnectionString", cs}, {"ConnectionString", `Password="` + pw},
				} {
					if err := m.SetProperty(set.prop, set.value); err != nil {
						out = append(out, err.Error())
					}
					out = append(out, m.Config().String())
					for _, d := range m.Validate() {
						out = append(out, d.Message)
					}
				}
				for _, o := range out {
					if strings.Contains(o, pw) {
						t.Errorf("output shows the password: %s", o)
					}
				}
			})
		}
	}
}

// TestDriverErrorScrubbed checks that a driver error echoing the password
// is scrubbed, and still matches what it wraps.
func TestDriverErrorScrubbed(t *testing.T) {
	const pw = "Zq7-secret"
	echo := errors.New("refused: " + pw)
	for _, tc := range []struct{ creation, cs string }{
		{sqlCli, "Data Source=127.0.0.1,1;User ID=u;Password=" + pw + ";"},
		{npgsql, "Host=127.0.0.1;Port=1;Username=u;Password=" + pw + ";SSL Mode=Disable;"},
	} {
		t.Run(tc.creation, func(t *testing.T) {
			m := newManager(t, tc.creation, tc.cs, "")
			_, err := m.Acquire(context.Background(), database.Options{Dial: func(context.Context, string, string) (net.Conn, error) {
				return nil, echo
			}})
			if err == nil || strings.Contains(err.Error(), pw) || !strings.Contains(err.Error(), "refused: ********") {
				t.Errorf("err = %v", err)
			}
			if !errors.Is(err, echo) || !errors.Is(err, database.ErrConnect) {
				t.Errorf("err does not wrap the driver's error and ErrConnect: %v", err)
			}
		})
	}
}
