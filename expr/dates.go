package expr

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// oleEpoch is day 0 of DT_DATE (an OLE automation date) and the date part
// that time-only values carry.
var oleEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

var fileTimeEpoch = time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)

// oleDate returns t as an OLE automation date: days since 1899-12-30, the
// fraction being the time of day. Before the epoch the time part still
// counts forward, so -1.25 is 1899-12-29 06:00.
func oleDate(t time.Time) float64 {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	days := math.Round(day.Sub(oleEpoch).Hours() / 24)
	if days < -1e6 { // Sub saturates far from the epoch
		days = float64((day.Unix() - oleEpoch.Unix()) / 86400)
	}
	frac := float64(t.Sub(day)) / float64(24*time.Hour)
	if days < 0 {
		return days - frac
	}
	return days + frac
}

// fromOLEDate is the inverse of oleDate, to the millisecond.
func fromOLEDate(f float64) (time.Time, error) {
	if math.IsNaN(f) || f < -657434 || f >= 2958466 { // years 100 to 9999
		return time.Time{}, failf(ErrOverflow, "%v is out of the range of DT_DATE", f)
	}
	days := math.Trunc(f)
	frac := math.Abs(f - days)
	ms := math.Round(frac * 86400000)
	return oleEpoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond), nil
}

func fileTimeTicks(t time.Time) int64 {
	return (t.Unix()-fileTimeEpoch.Unix())*1e7 + int64(t.Nanosecond()/100)
}

func fromFileTime(ticks int64) time.Time {
	return time.Unix(fileTimeEpoch.Unix()+ticks/1e7, ticks%1e7*100).UTC()
}

// truncFrac keeps digits fractional second digits of t.
func truncFrac(t time.Time, digits int) time.Time {
	if digits >= 9 {
		return t
	}
	unit := time.Duration(math.Pow10(9 - digits))
	ns := time.Duration(t.Nanosecond())
	return t.Add(-(ns % unit))
}

// wall returns the wall clock of a date value and its offset in seconds
// (zero for types without an offset).
func wall(v Value) (time.Time, int, bool) {
	if v.t == TypeDBTimestampOffset {
		_, off := v.tm.Zone()
		return naive(v.tm), off, true
	}
	return v.tm, 0, false
}

// toDateType casts to any date or time type.
func toDateType(v Value, s TypeSpec) (Value, error) {
	var w time.Time
	off, hasOff, hasDate := 0, false, true
	switch {
	case v.t.IsString():
		p, err := parseDateText(strings.Trim(v.s, " "))
		if err != nil {
			return Value{}, err
		}
		if p.hasOff && s.Type != TypeDBTimestampOffset {
			return Value{}, failf(ErrConversion, "%q has a time zone offset, which %s cannot hold", v.s, s.Type)
		}
		if !p.hasDate && !s.Type.isTimeOnly() && s.Type != TypeDate {
			return Value{}, failf(ErrConversion, "%q has no date", v.s)
		}
		w, off, hasOff, hasDate = p.t, p.off, p.hasOff, p.hasDate
	case v.t.IsDate():
		w, off, hasOff = wall(v)
		hasDate = !v.t.isTimeOnly()
		if !hasDate && s.Type == TypeDBDate {
			return Value{}, failf(ErrCast, "cannot cast %s to DT_DBDATE", v.t)
		}
	case v.t == TypeI8 || v.t == TypeUI8:
		if s.Type != TypeFileTime {
			return Value{}, failf(ErrCast, "cannot cast %s to %s", v.t, s.Type)
		}
		n, err := v.Int()
		if err != nil || n < 0 {
			return Value{}, failf(ErrOverflow, "%s is not a valid DT_FILETIME", v.String())
		}
		ft := fromFileTime(n)
		if ft.Year() > 9999 {
			return Value{}, failf(ErrOverflow, "%s is out of the range of DT_FILETIME", v.String())
		}
		return Value{t: TypeFileTime, tm: ft}, nil
	default:
		f, err := toFloat(v)
		if err != nil {
			return Value{}, err
		}
		if w, err = fromOLEDate(f); err != nil {
			return Value{}, err
		}
	}
	if !hasDate {
		w = time.Date(oleEpoch.Year(), oleEpoch.Month(), oleEpoch.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC)
	}
	if w.Year() < 1 || w.Year() > 9999 {
		return Value{}, failf(ErrOverflow, "%s is out of the range of %s", v.String(), s.Type)
	}
	out := Value{t: s.Type}
	switch s.Type {
	case TypeDate:
		out.tm = w
	case TypeDBDate:
		out.tm = time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC)
	case TypeDBTime, TypeDBTime2:
		digits := 0
		if s.Type == TypeDBTime2 {
			digits = s.Scale
			out.scale = uint8(s.Scale)
		}
		w = truncFrac(w, digits)
		out.tm = time.Date(oleEpoch.Year(), oleEpoch.Month(), oleEpoch.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC)
	case TypeDBTimestamp:
		out.tm = truncFrac(w, 3)
	case TypeDBTimestamp2:
		out.tm, out.scale = truncFrac(w, s.Scale), uint8(s.Scale)
	case TypeDBTimestampOffset:
		if !hasOff {
			off = 0
		}
		z := time.UTC
		if off != 0 {
			z = time.FixedZone(offsetText(off), off)
		}
		t := truncFrac(w, s.Scale)
		out.tm = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), z)
		out.scale = uint8(s.Scale)
	case TypeFileTime:
		out.tm = truncFrac(w, 7)
	}
	return out, nil
}

// offsetText renders an offset in seconds as +hh:mm.
func offsetText(off int) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return sign + pad2(off/3600) + ":" + pad2(off%3600/60)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func fracText(ns, digits int) string {
	if digits <= 0 {
		return ""
	}
	s := strconv.Itoa(1e9 + ns)[1:]
	return "." + s[:digits]
}

// formatDate renders a date value as a cast to a string does:
//
//	DT_DATE              M/d/yyyy h:mm:ss AM (en-US, as a VARIANT date; the
//	                     time is left out at midnight, the date on 1899-12-30)
//	DT_DBDATE            yyyy-mm-dd
//	DT_DBTIME            hh:mm:ss
//	DT_DBTIME2           hh:mm:ss[.fffffff] (scale digits)
//	DT_DBTIMESTAMP       yyyy-mm-dd hh:mm:ss[.fffffffff] (nine digits, only
//	                     when the fraction is not zero)
//	DT_DBTIMESTAMP2      yyyy-mm-dd hh:mm:ss[.fffffff] (scale digits)
//	DT_DBTIMESTAMPOFFSET yyyy-mm-dd hh:mm:ss[.fffffff] +hh:mm
//	DT_FILETIME          yyyy-mm-dd hh:mm:ss:fff
func formatDate(v Value) string {
	t := v.tm
	date := func() string {
		return strconv.Itoa(t.Year() + 10000)[1:] + "-" + pad2(int(t.Month())) + "-" + pad2(t.Day())
	}
	clock := func() string { return pad2(t.Hour()) + ":" + pad2(t.Minute()) + ":" + pad2(t.Second()) }
	switch v.t {
	case TypeDate:
		return formatVariantDate(t)
	case TypeDBDate:
		return date()
	case TypeDBTime:
		return clock()
	case TypeDBTime2:
		return clock() + fracText(t.Nanosecond(), int(v.scale))
	case TypeDBTimestamp:
		s := date() + " " + clock()
		if t.Nanosecond() != 0 {
			s += fracText(t.Nanosecond(), 9)
		}
		return s
	case TypeDBTimestamp2:
		return date() + " " + clock() + fracText(t.Nanosecond(), int(v.scale))
	case TypeDBTimestampOffset:
		_, off := t.Zone()
		return date() + " " + clock() + fracText(t.Nanosecond(), int(v.scale)) + " " + offsetText(off)
	case TypeFileTime:
		return date() + " " + clock() + ":" + strconv.Itoa(1000 + t.Nanosecond()/1e6)[1:]
	}
	return t.String()
}

// formatVariantDate renders a DT_DATE the way a VARIANT date converts to a
// string under en-US: "4/2/2020 4:37:17 PM", "6/15/2013", "12:00:00 AM".
func formatVariantDate(t time.Time) string {
	y, m, d := t.Date()
	h, ampm := t.Hour(), "AM"
	if h >= 12 {
		ampm = "PM"
	}
	if h %= 12; h == 0 {
		h = 12
	}
	clock := strconv.Itoa(h) + ":" + pad2(t.Minute()) + ":" + pad2(t.Second()) + " " + ampm
	date := strconv.Itoa(int(m)) + "/" + strconv.Itoa(d) + "/" + strconv.Itoa(y)
	switch {
	case y == 1899 && m == 12 && d == 30:
		return clock
	case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0:
		return date
	}
	return date + " " + clock
}

// dateParts is a parsed date/time string.
type dateParts struct {
	t       time.Time // wall clock, UTC location
	off     int
	hasDate bool
	hasTime bool
	hasOff  bool
}

// parseDateText reads the date and time strings SSIS accepts in casts, in
// the en-US locale:
//
//	yyyy-mm-dd[( |T)time]      ISO, as the data types page documents
//	m/d/yyyy[ time]            en-US, as the doc examples "8/6/2003" use
//	yyyy/m/d[ time]
//	time                       h:mm[:ss[.fffffffff]][ AM|PM]
//	followed, for DT_DBTIMESTAMPOFFSET, by an offset [+|-]h:mm ("-3:30",
//	"+ 5:35") or Z.
func parseDateText(s string) (dateParts, error) {
	var p dateParts
	sc := &dtScanner{s: s}
	y, mo, d, h, mi, sec, ns := 1899, 12, 30, 0, 0, 0, 0
	bad := func() (dateParts, error) {
		return dateParts{}, failf(ErrConversion, "%q is not a valid date or time", s)
	}
	if a, na := sc.num(); na > 0 {
		switch {
		case sc.peek() == '-' && na == 4:
			sc.i++
			b, nb := sc.num()
			if nb == 0 || !sc.eat('-') {
				return bad()
			}
			c, nc := sc.num()
			if nc == 0 {
				return bad()
			}
			y, mo, d, p.hasDate = a, b, c, true
		case sc.peek() == '/':
			sc.i++
			b, nb := sc.num()
			if nb == 0 || !sc.eat('/') {
				return bad()
			}
			c, nc := sc.num()
			if nc == 0 {
				return bad()
			}
			if na == 4 {
				y, mo, d = a, b, c
			} else {
				mo, d, y = a, b, c
				if nc <= 2 {
					y += 1900
					if c < 50 {
						y += 100
					}
				}
			}
			p.hasDate = true
		case sc.peek() == ':':
			sc.i = 0
		default:
			return bad()
		}
	} else {
		return bad()
	}
	if p.hasDate {
		if sc.peek() == 'T' || sc.peek() == 't' {
			sc.i++
		} else {
			sc.spaces()
		}
	}
	if !sc.done() && sc.isDigit() {
		var nh, nm int
		h, nh = sc.num()
		if nh == 0 || nh > 2 || !sc.eat(':') {
			return bad()
		}
		mi, nm = sc.num()
		if nm != 2 {
			return bad()
		}
		if sc.eat(':') {
			var ns2 int
			if sec, ns2 = sc.num(); ns2 != 2 {
				return bad()
			}
			if sc.eat('.') {
				start := sc.i
				_, nf := sc.num()
				if nf == 0 || nf > 9 {
					return bad()
				}
				f := sc.s[start:sc.i] + strings.Repeat("0", 9-nf)
				ns, _ = strconv.Atoi(f)
			}
		}
		p.hasTime = true
		save := sc.i
		sc.spaces()
		if rest := strings.ToUpper(sc.s[sc.i:]); strings.HasPrefix(rest, "AM") || strings.HasPrefix(rest, "PM") {
			if h < 1 || h > 12 {
				return bad()
			}
			if h == 12 {
				h = 0
			}
			if rest[0] == 'P' {
				h += 12
			}
			sc.i += 2
		} else {
			sc.i = save
		}
	}
	sc.spaces()
	if !sc.done() {
		if !p.hasTime && !p.hasDate {
			return bad()
		}
		switch c := sc.peek(); c {
		case 'Z', 'z':
			sc.i++
			p.hasOff = true
		case '+', '-':
			sc.i++
			sc.spaces()
			oh, nh := sc.num()
			if nh == 0 || nh > 2 || !sc.eat(':') {
				return bad()
			}
			om, nm := sc.num()
			if nm != 2 || oh > 14 || om > 59 {
				return bad()
			}
			p.off = oh*3600 + om*60
			if c == '-' {
				p.off = -p.off
			}
			p.hasOff = true
		default:
			return bad()
		}
		sc.spaces()
		if !sc.done() {
			return bad()
		}
	}
	if !p.hasDate && !p.hasTime {
		return bad()
	}
	if y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, time.Month(mo)) ||
		h > 23 || mi > 59 || sec > 59 {
		return bad()
	}
	p.t = time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC)
	return p, nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

type dtScanner struct {
	s string
	i int
}

func (sc *dtScanner) done() bool { return sc.i >= len(sc.s) }

func (sc *dtScanner) peek() byte {
	if sc.done() {
		return 0
	}
	return sc.s[sc.i]
}

func (sc *dtScanner) isDigit() bool { c := sc.peek(); return c >= '0' && c <= '9' }

func (sc *dtScanner) eat(c byte) bool {
	if sc.peek() == c {
		sc.i++
		return true
	}
	return false
}

func (sc *dtScanner) spaces() {
	for sc.peek() == ' ' {
		sc.i++
	}
}

// num reads up to 9 digits and returns their value and count.
func (sc *dtScanner) num() (int, int) {
	n, k := 0, 0
	for sc.isDigit() && k < 9 {
		n = n*10 + int(sc.s[sc.i]-'0')
		sc.i++
		k++
	}
	if sc.isDigit() {
		return 0, 0
	}
	return n, k
}
