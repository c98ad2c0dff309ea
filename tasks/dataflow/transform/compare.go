package transform

import (
	"bytes"
	"cmp"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/dtsx-run/dtsx/tasks/dataflow"
)

// Comparison is a column's string comparison flags, as persisted in
// NewComparisonFlags (Sort), AggregationComparisonFlags (Aggregate) and
// ComparisonFlags (Lookup, Merge, Merge Join) ("Comparing String Data").
type Comparison uint32

// The comparison flags.
const (
	IgnoreCase             Comparison = 0x1
	IgnoreNonSpacingChars  Comparison = 0x2
	IgnoreSymbols          Comparison = 0x4
	SortPunctuationSymbols Comparison = 0x1000
	IgnoreKanaType         Comparison = 0x10000
	IgnoreCharacterWidth   Comparison = 0x20000
)

// DefaultLocale is the locale strings are compared in when a component
// names none.
const DefaultLocale = "en-US"

// collator returns a collator for the locale and flags. IgnoreKanaType and
// SortPunctuationSymbols have no equivalent in collate and are ignored.
func collator(locale string, f Comparison) (*collate.Collator, error) {
	if locale == "" {
		locale = DefaultLocale
	}
	tag, err := language.Parse(locale)
	if err != nil {
		return nil, fmt.Errorf("%w: locale %q: %v", dataflow.ErrInvalid, locale, err)
	}
	var opts []collate.Option
	if f&IgnoreCase != 0 {
		opts = append(opts, collate.IgnoreCase)
	}
	if f&IgnoreNonSpacingChars != 0 {
		opts = append(opts, collate.IgnoreDiacritics)
	}
	if f&IgnoreCharacterWidth != 0 {
		opts = append(opts, collate.IgnoreWidth)
	}
	if f&IgnoreSymbols != 0 {
		tag, _ = tag.SetTypeForKey("ka", "shifted")
	}
	return collate.New(tag, opts...), nil
}

// class groups kinds by the storage their values use.
type class uint8

const (
	classNone class = iota
	classInt
	classUint
	classFloat
	classBool
	classString
	classBytes
	classDecimal
	classTime
)

func classOf(k dataflow.Kind) class {
	switch k {
	case dataflow.KindInt8, dataflow.KindInt16, dataflow.KindInt32, dataflow.KindInt64,
		dataflow.KindUint8, dataflow.KindUint16, dataflow.KindUint32:
		return classInt
	case dataflow.KindUint64:
		return classUint
	case dataflow.KindFloat32, dataflow.KindFloat64:
		return classFloat
	case dataflow.KindBool:
		return classBool
	case dataflow.KindString, dataflow.KindWString:
		return classString
	case dataflow.KindBytes, dataflow.KindGUID:
		return classBytes
	case dataflow.KindDecimal:
		return classDecimal
	case dataflow.KindTime:
		return classTime
	}
	return classNone
}

// sameClass reports whether a column of kind a can feed one of kind b by a
// plain copy of its cells.
func sameClass(a, b dataflow.Kind) bool {
	ca, cb := classOf(a), classOf(b)
	if ca == classUint {
		ca = classInt
	}
	if cb == classUint {
		cb = classInt
	}
	return ca == cb
}

// key is one column of a comparison: its position in the buffer, its
// class, its direction and, for strings, its collator.
type key struct {
	col  int
	cls  class
	desc bool
	coll *collate.Collator
}

func newKey(l *dataflow.Layout, lineage int, desc bool, locale string, f Comparison) (key, error) {
	i, err := l.Index(lineage)
	if err != nil {
		return key{}, err
	}
	k := key{col: i, cls: classOf(l.Columns[i].Kind), desc: desc}
	if k.cls == classString {
		if k.coll, err = collator(locale, f); err != nil {
			return key{}, err
		}
	}
	return k, nil
}

// compareCell compares cell (ar, ka.col) of a with cell (br, kb.col) of b.
// NULL sorts before every value, as SSIS's Sort puts NULLs first; the
// direction of ka applies.
func compareCell(ka key, a *dataflow.Buffer, ar int, kb key, b *dataflow.Buffer, br int) int {
	c := compareAsc(ka, a, ar, kb, b, br)
	if ka.desc {
		return -c
	}
	return c
}

func compareAsc(ka key, a *dataflow.Buffer, ar int, kb key, b *dataflow.Buffer, br int) int {
	an, bn := a.IsNull(ka.col, ar), b.IsNull(kb.col, br)
	switch {
	case an && bn:
		return 0
	case an:
		return -1
	case bn:
		return 1
	}
	switch ka.cls {
	case classInt:
		if kb.cls == classUint && b.Int64(kb.col, br) < 0 {
			return -1
		}
		return cmp.Compare(a.Int64(ka.col, ar), b.Int64(kb.col, br))
	case classUint:
		if kb.cls == classInt && b.Int64(kb.col, br) < 0 {
			return 1
		}
		return cmp.Compare(uint64(a.Int64(ka.col, ar)), uint64(b.Int64(kb.col, br)))
	case classFloat:
		return cmp.Compare(a.Float64(ka.col, ar), b.Float64(kb.col, br))
	case classBool:
		x, y := a.Bool(ka.col, ar), b.Bool(kb.col, br)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case classString:
		x, y := a.String(ka.col, ar), b.String(kb.col, br)
		if ka.coll == nil {
			return strings.Compare(x, y)
		}
		return ka.coll.CompareString(x, y)
	case classBytes:
		return bytes.Compare(a.Bytes(ka.col, ar), b.Bytes(kb.col, br))
	case classDecimal:
		return compareDecimal(a.Decimal(ka.col, ar), b.Decimal(kb.col, br))
	case classTime:
		return a.Time(ka.col, ar).Compare(b.Time(kb.col, br))
	}
	return 0
}

func compareDecimal(x, y dataflow.Decimal) int {
	if x.Scale == y.Scale {
		return x.Big().Cmp(y.Big())
	}
	return decimalRat(x).Cmp(decimalRat(y))
}

func decimalRat(d dataflow.Decimal) *big.Rat {
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)), nil)
	return new(big.Rat).SetFrac(d.Big(), den)
}

// compareRows compares two rows by keys (ka for a, kb for b, in order).
func compareRows(ka []key, a *dataflow.Buffer, ar int, kb []key, b *dataflow.Buffer, br int) int {
	for i := range ka {
		if c := compareCell(ka[i], a, ar, kb[i], b, br); c != 0 {
			return c
		}
	}
	return 0
}

// appendKey appends an encoding of the cell to dst such that two cells
// compare equal (under the key's collator) exactly when their encodings are
// equal; NULL has an encoding of its own.
func appendKey(dst []byte, k key, b *dataflow.Buffer, r int, cb *collate.Buffer) []byte {
	if b.IsNull(k.col, r) {
		return append(dst, 0)
	}
	switch k.cls {
	case classInt, classUint:
		return fmt.Appendf(append(dst, 1), "%d;", b.Int64(k.col, r))
	case classFloat:
		return fmt.Appendf(append(dst, 2), "%v;", b.Float64(k.col, r))
	case classBool:
		if b.Bool(k.col, r) {
			return append(dst, 3, 1)
		}
		return append(dst, 3, 0)
	case classString:
		s := b.String(k.col, r)
		if k.coll != nil {
			cb.Reset()
			kb := k.coll.KeyFromString(cb, s)
			return append(fmt.Appendf(append(dst, 4), "%d:", len(kb)), kb...)
		}
		return append(fmt.Appendf(append(dst, 4), "%d:", len(s)), s...)
	case classBytes:
		v := b.Bytes(k.col, r)
		return append(fmt.Appendf(append(dst, 5), "%d:", len(v)), v...)
	case classDecimal:
		return fmt.Appendf(append(dst, 6), "%s;", decimalRat(b.Decimal(k.col, r)).RatString())
	case classTime:
		return fmt.Appendf(append(dst, 7), "%d;", b.Time(k.col, r).UnixNano())
	}
	return dst
}

// columnMap resolves, for each output column, the lineage ID of the input
// column that feeds it (0 for none) to a position in the input's buffers.
func columnMap(in *dataflow.Input, out []dataflow.Column, lineage []int) ([]int, error) {
	m := make([]int, len(out))
	for j, oc := range out {
		m[j] = -1
		if j >= len(lineage) || lineage[j] == 0 {
			continue
		}
		i, err := in.Layout().Index(lineage[j])
		if err != nil {
			return nil, fmt.Errorf("input %q, output column %q: %w", in.Name(), oc.Name, err)
		}
		if ic := in.Layout().Columns[i]; !sameClass(ic.Kind, oc.Kind) {
			return nil, fmt.Errorf("%w: input %q: column %q (%s) cannot feed output column %q (%s)",
				dataflow.ErrInvalid, in.Name(), ic.Name, ic.Kind, oc.Name, oc.Kind)
		}
		m[j] = i
	}
	return m, nil
}
