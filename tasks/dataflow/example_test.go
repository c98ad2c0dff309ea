package dataflow_test

import (
	"context"
	"fmt"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
	"github.com/dtsx-run/dtsx/tasks/dataflow/simple"
)

type printer struct{}

func (printer) Information(m dataflow.Message) {
	fmt.Printf("Information: 0x%X at Data Flow Task, %s: %s\n", m.Code, m.Subcomponent, m.Text)
}

// A source, a Multicast and two destinations; the engine reports what each
// destination wrote as SSIS does.
func Example() {
	id := dataflow.Column{Name: "ID", LineageID: 1, Kind: dataflow.KindInt32}
	p := dataflow.New(dataflow.Options{Reporter: printer{}})
	src := p.Add(&simple.Source{Label: "Orders", Columns: []dataflow.Column{id}, Rows: [][]any{{1}, {2}, {nil}}})
	mc := p.Add(&simple.Multicast{Label: "Multicast", N: 2})
	p.Connect(src, 0, mc, 0)
	p.Connect(mc, 0, p.Add(&simple.Collector{Label: "Archive"}), 0)
	p.Connect(mc, 1, p.Add(&simple.Collector{Label: "Report"}), 0)
	if _, err := p.Run(context.Background()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Information: 0x4004300B at Data Flow Task, SSIS.Pipeline: "Archive" wrote 3 rows.
	// Information: 0x4004300B at Data Flow Task, SSIS.Pipeline: "Report" wrote 3 rows.
}
