package expr

import (
	"math/big"
	"strings"
	"testing"
)

// BenchmarkEval evaluates the Send Mail subject sample of the docs
// (reference A.10): concatenation, casts, a DT_DATE formatted as a string
// and DATEDIFF against GETDATE.
func BenchmarkEval(b *testing.B) {
	e, err := Parse(sendMailSubject)
	if err != nil {
		b.Fatal(err)
	}
	env := testEnv()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse parses the same expression.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(sendMailSubject); err != nil {
			b.Fatal(err)
		}
	}
}

// derivedColumn is a typical Derived Column expression: string functions,
// a concatenation and a cast of a DT_NUMERIC column.
const derivedColumn = `UPPER(TRIM([Customer])) + " " + (DT_WSTR,10)[Amount]`

// splitCondition is a typical Conditional Split condition: comparisons of
// a numeric, an integer and a string column.
const splitCondition = `[Amount] > 1000 && [Qty] >= 5 && [Orders].[Name] == "Jones"`

func benchProgram(b *testing.B, src string) (*Program, []Value) {
	e, err := Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	p, err := e.Compile(flowColumns(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	return p, flowRow(b)
}

// BenchmarkDerivedColumn evaluates derivedColumn per row and stores the
// result in a (DT_WSTR,60) output column. BenchmarkDerivedColumnGo is its
// baseline: the same work written in Go over the same values.
func BenchmarkDerivedColumn(b *testing.B) {
	p, row := benchProgram(b, derivedColumn)
	out := FlowColumn{Name: "Label", Spec: TypeSpec{Type: TypeWStr, Length: 60}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Assign(row, out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDerivedColumnGo(b *testing.B) {
	row := flowRow(b)
	customer := row[0].s
	amount := row[1]
	b.ReportAllocs()
	var sink string
	for b.Loop() {
		s := strings.ToUpper(strings.Trim(customer, " ")) + " " + formatDec(amount.dec, int(amount.scale))
		if len(s) > 60 {
			b.Fatal(s)
		}
		sink = s
	}
	_ = sink
}

// BenchmarkConditionalSplit evaluates splitCondition per row;
// BenchmarkConditionalSplitGo is its baseline in Go.
func BenchmarkConditionalSplit(b *testing.B) {
	p, row := benchProgram(b, splitCondition)
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := p.Condition(row, "Big"); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkConditionalSplitGo(b *testing.B) {
	row := flowRow(b)
	amount, qty, name := row[1], row[2], row[4]
	limit := new(big.Int).Mul(big.NewInt(1000), pow10(int(amount.scale)))
	b.ReportAllocs()
	for b.Loop() {
		ok := !amount.null && amount.dec.Cmp(limit) > 0 && !qty.null && int32(qty.n) >= 5 && !name.null && name.s == "Jones"
		if !ok {
			b.Fatal(ok)
		}
	}
}

// BenchmarkDerivedColumnTypes evaluates one expression per common column
// type, to show which allocate per row.
func BenchmarkDerivedColumnTypes(b *testing.B) {
	for _, c := range []struct{ name, src string }{
		{"i4", `[Qty] * 3 + 1`},
		{"numeric", `[Amount] * 2`},
		{"numericCompare", `[Amount] > 100 ? [Qty] : -1`},
		{"date", `DATEPART("month", [Order Date])`},
		{"dateAdd", `DATEADD("day", 1, [Order Date])`},
		{"isNull", `ISNULL([Note]) ? "none" : [Note]`},
		{"substring", `SUBSTRING([Customer], 3, 4)`},
	} {
		b.Run(c.name, func(b *testing.B) {
			p, row := benchProgram(b, c.src)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Eval(row); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
