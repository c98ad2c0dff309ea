// Command pgload is the engine side of bench/dataflow-pg.sh: gen writes the
// orders file, and run loads it into a PostgreSQL table through the data
// flow engine: a source reading the file with the flat-file reader, into a
// fast-load (COPY) destination, the job `psql \copy` does beside it.
//
//	pgload gen N FILE
//	pgload run FILE TABLE    (the server from $DTSX_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE)
package main

import (
	"context"
	"fmt"
	"html"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/flatfile"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/benchgen/orders"
	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/dbflow"
)

func main() {
	orders.Main("pgload", "pgload run FILE TABLE", load)
}

// columns are the orders file's columns as the source's output.
var columns = []dataflow.Column{
	{Name: "order_id", LineageID: 1, Kind: dataflow.KindInt32},
	{Name: "customer", LineageID: 2, Kind: dataflow.KindString, Length: 50},
	{Name: "order_date", LineageID: 3, Kind: dataflow.KindTime},
	{Name: "amount", LineageID: 4, Kind: dataflow.KindDecimal, Precision: 12, Scale: 2},
	{Name: "shipped", LineageID: 5, Kind: dataflow.KindBool},
}

// fileSource reads the orders file with the flat-file reader and converts
// its cells to the columns' types.
type fileSource struct {
	path string
}

func (s *fileSource) Name() string { return "Orders File" }

func (s *fileSource) Outputs() []dataflow.Output {
	return []dataflow.Output{{Name: "Flat File Source Output", Columns: columns}}
}

func (s *fileSource) Produce(ctx context.Context, out *dataflow.Emitter) error {
	b := out.NewBuffer(0)
	err := orders.Read(ctx, s.path, func(row *flatfile.Row) error {
		i := b.AddRow()
		c := row.Cells
		id, err := strconv.ParseInt(string(c[0].Value), 10, 32)
		if err != nil {
			return fmt.Errorf("line %d: order_id: %w", row.Line, err)
		}
		b.SetInt64(0, i, id)
		b.SetString(1, i, string(c[1].Value))
		d, err := date(c[2].Value)
		if err != nil {
			return fmt.Errorf("line %d: order_date: %w", row.Line, err)
		}
		b.SetTime(2, i, d)
		a, err := cents(c[3].Value)
		if err != nil {
			return fmt.Errorf("line %d: amount: %w", row.Line, err)
		}
		b.SetDecimal(3, i, dataflow.NewDecimal(a, 2))
		b.SetBool(4, i, string(c[4].Value) == "True")
		if b.Full() {
			if err := out.Send(ctx, 0, b); err != nil {
				return err
			}
			b = out.NewBuffer(0)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return out.Send(ctx, 0, b)
}

// date reads an ISO date (2019-03-04) without time.Parse's generality.
func date(v []byte) (time.Time, error) {
	num := func(b []byte) int {
		n := 0
		for _, ch := range b {
			if ch < '0' || ch > '9' {
				return -1
			}
			n = n*10 + int(ch-'0')
		}
		return n
	}
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return time.Time{}, fmt.Errorf("%q is not a date", v)
	}
	y, m, d := num(v[:4]), num(v[5:7]), num(v[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, fmt.Errorf("%q is not a date", v)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, fmt.Errorf("%q is not a date", v)
	}
	return t, nil
}

// cents reads an amount with two places ("123.45") as hundredths.
func cents(v []byte) (int64, error) {
	var n int64
	places := -1
	for _, ch := range v {
		switch {
		case ch == '.' && places < 0:
			places = 0
		case ch >= '0' && ch <= '9':
			n = n*10 + int64(ch-'0')
			if places >= 0 {
				places++
			}
		default:
			return 0, fmt.Errorf("%q is not an amount", v)
		}
	}
	for places = max(places, 0); places < 2; places++ {
		n *= 10
	}
	if places > 2 {
		return 0, fmt.Errorf("%q has more than two places", v)
	}
	return n, nil
}

func load(ctx context.Context, file, table string) (int64, error) {
	e := func(k string) string { return os.Getenv("DTSX_PG_" + k) }
	if e("HOST") == "" {
		return 0, fmt.Errorf("DTSX_PG_HOST is not set (start scripts/postgres/start.sh and source its env)")
	}
	cs := fmt.Sprintf("Host=%s;Port=%s;Database=%s;Username=%s;Password=%s;SSL Mode=Disable;",
		e("HOST"), e("PORT"), e("DATABASE"), e("USER"), e("PASSWORD"))
	x := fmt.Sprintf(`<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:ObjectName="Bench DB" DTS:DTSID="{0B0B0B0B-0000-0000-0000-000000000001}" DTS:CreationName="ADO.NET:Npgsql.NpgsqlConnection, Npgsql"><DTS:ObjectData><DTS:ConnectionManager DTS:ConnectionString="%s"/></DTS:ObjectData></DTS:ConnectionManager>`,
		html.EscapeString(cs))
	def, _, err := dtsx.LoadConnectionManager("Bench DB.conmgr", []byte(x))
	if err != nil {
		return 0, err
	}
	m, err := database.New(def)
	if err != nil {
		return 0, err
	}
	defer m.Close()
	loopback := func(host string) error {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("%s is not a loopback address", host)
		}
		return nil
	}
	var maps []dbflow.Mapping
	for _, c := range columns {
		maps = append(maps, dbflow.Mapping{LineageID: c.LineageID, Column: c.Name})
	}
	d := &dbflow.Destination{Label: "Orders Table", Connection: m, ConnectOptions: database.Options{Allow: loopback},
		AccessMode: dbflow.AccessOpenRowsetFastLoad, OpenRowset: table, Columns: maps, FastLoadOptions: "TABLOCK"}
	p := dataflow.New(dataflow.Options{})
	p.Connect(p.Add(&fileSource{path: file}), 0, p.Add(d), 0)
	_, err = p.Run(ctx)
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return d.Written(), err
}
