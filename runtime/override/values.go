package override

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
)

// formatBool writes a property boolean as the package's format does.
func formatBool(b bool, format int) string {
	if format >= 6 {
		if b {
			return "True"
		}
		return "False"
	}
	if b {
		return "-1"
	}
	return "0"
}

// dateLayouts are the date forms accepted for DateTime values: the en-US
// form SSIS persists, with and without the time, and ISO 8601.
var dateLayouts = []string{
	"1/2/2006 3:04:05 PM", "1/2/2006 3:04 PM", "1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/2006",
	"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02",
}

// convert checks s against a variable or parameter data type and returns
// the text to persist. boolTrue and boolFalse are the persisted booleans.
// The reason is empty when s fits.
func convert(t dtsx.DataType, s, boolTrue, boolFalse string) (string, string) {
	trim := strings.TrimSpace(s)
	intRange := func(bits int, unsigned bool) (string, string) {
		if unsigned {
			n, err := strconv.ParseUint(trim, 10, bits)
			if err != nil {
				return "", numReason(err, "a whole number from 0 to "+strconv.FormatUint(1<<bits-1, 10))
			}
			return strconv.FormatUint(n, 10), ""
		}
		n, err := strconv.ParseInt(trim, 10, bits)
		if err != nil {
			lo, hi := -(int64(1) << (bits - 1)), int64(1)<<(bits-1)-1
			return "", numReason(err, "a whole number from "+strconv.FormatInt(lo, 10)+" to "+strconv.FormatInt(hi, 10))
		}
		return strconv.FormatInt(n, 10), ""
	}
	switch t {
	case dtsx.TypeInt16:
		return intRange(16, false)
	case dtsx.TypeInt32:
		return intRange(32, false)
	case dtsx.TypeInt64:
		return intRange(64, false)
	case dtsx.TypeSByte:
		return intRange(8, false)
	case dtsx.TypeByte:
		return intRange(8, true)
	case dtsx.TypeUInt16:
		return intRange(16, true)
	case dtsx.TypeUInt32:
		return intRange(32, true)
	case dtsx.TypeUInt64:
		return intRange(64, true)
	case dtsx.TypeSingle, dtsx.TypeDouble, dtsx.TypeDecimal, dtsx.TypeCurrency:
		f, err := strconv.ParseFloat(trim, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return "", "expected a number such as 12.5"
		}
		if t == dtsx.TypeSingle && math.Abs(f) > math.MaxFloat32 {
			return "", "out of range for Single"
		}
		return trim, ""
	case dtsx.TypeBoolean:
		b, ok := dtsx.ParseBool(trim)
		if !ok {
			return "", "expected True, False, 1, 0 or -1"
		}
		if b {
			return boolTrue, ""
		}
		return boolFalse, ""
	case dtsx.TypeDateTime:
		for _, l := range dateLayouts {
			if d, err := time.Parse(l, trim); err == nil {
				if d.Hour() == 0 && d.Minute() == 0 && d.Second() == 0 && !strings.ContainsAny(trim, ":") {
					return d.Format("1/2/2006"), ""
				}
				return d.Format("1/2/2006 3:04:05 PM"), ""
			}
		}
		return "", "expected a date such as 1/31/2026 2:30:00 PM or 2026-01-31T14:30:00"
	case dtsx.TypeChar:
		if utf8.RuneCountInString(s) != 1 {
			return "", "expected exactly one character"
		}
		return s, ""
	case dtsx.TypeObject:
		return "", "a variable of type Object holds a .NET object (a recordset, a list) that no text can give"
	}
	return s, "" // String, Empty, DBNull and unknown codes take the text as it is
}

func numReason(err error, want string) string {
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return "out of range: expected " + want
	}
	return "expected " + want
}

// findAttr returns e's attribute named key (any prefix; exact name first,
// then ignoring case), never a namespace declaration.
func findAttr(e *etree.Element, key string) *etree.Attr {
	for pass := 0; pass < 2; pass++ {
		for i := range e.Attr {
			a := &e.Attr[i]
			if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
				continue
			}
			if a.Key == key || (pass == 1 && strings.EqualFold(a.Key, key)) {
				return a
			}
		}
	}
	return nil
}

// findPropElem returns e's <X:Property X:Name="name"> child, exact name
// first, then ignoring case.
func findPropElem(e *etree.Element, name string) *etree.Element {
	for pass := 0; pass < 2; pass++ {
		for _, c := range e.ChildElements() {
			if c.Tag != "Property" {
				continue
			}
			if n := findAttr(c, "Name"); n != nil && (n.Value == name || (pass == 1 && strings.EqualFold(n.Value, name))) {
				return c
			}
		}
	}
	return nil
}

// hasProp reports whether e persists the property, as an attribute or a
// Property child.
func hasProp(e *etree.Element, name string) bool {
	return e != nil && (findAttr(e, name) != nil || findPropElem(e, name) != nil)
}

// getProp returns the persisted value of a property of e.
func getProp(e *etree.Element, name string) (string, bool) {
	if e == nil {
		return "", false
	}
	if a := findAttr(e, name); a != nil {
		return a.Value, true
	}
	if p := findPropElem(e, name); p != nil {
		return p.Text(), true
	}
	return "", false
}

// setProp writes a property of e where it is persisted, or creates it as
// the format does: an attribute with e's prefix in formats 6 and 8 (no
// prefix on an unprefixed element such as SmtpConnectionManager), a
// <DTS:Property DTS:Name="name"> child in formats 2 and 3.
func setProp(e *etree.Element, name, value string, format int) {
	if a := findAttr(e, name); a != nil {
		a.Value = value
		return
	}
	if p := findPropElem(e, name); p != nil {
		p.SetText(value)
		return
	}
	switch {
	case e.Space == "":
		e.CreateAttr(name, value)
	case format >= 6:
		e.CreateAttr(e.Space+":"+name, value)
	default:
		p := e.CreateElement(e.Space + ":Property")
		p.CreateAttr(e.Space+":Name", name)
		p.SetText(value)
	}
}

// propNames lists the properties e persists: its attributes (but the
// namespace declarations) and its Property children.
func propNames(e *etree.Element) []string {
	if e == nil {
		return nil
	}
	var out []string
	for _, a := range e.Attr {
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			continue
		}
		out = append(out, a.Key)
	}
	for _, c := range e.ChildElements() {
		if c.Tag == "Property" {
			if n := findAttr(c, "Name"); n != nil {
				out = append(out, n.Value)
			}
		}
	}
	return out
}
