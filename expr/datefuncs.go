package expr

import (
	"math"
	"strings"
	"time"
)

type datePart int

const (
	partYear datePart = iota + 1
	partQuarter
	partMonth
	partDayOfYear
	partDay
	partWeek
	partWeekday
	partHour
	partMinute
	partSecond
	partMillisecond
)

// dateParts maps the datepart names and abbreviations of DATEADD, DATEDIFF
// and DATEPART, which are case-insensitive.
var datePartNames = map[string]datePart{
	"year": partYear, "yy": partYear, "yyyy": partYear,
	"quarter": partQuarter, "qq": partQuarter, "q": partQuarter,
	"month": partMonth, "mm": partMonth, "m": partMonth,
	"dayofyear": partDayOfYear, "dy": partDayOfYear, "y": partDayOfYear,
	"day": partDay, "dd": partDay, "d": partDay,
	"week": partWeek, "wk": partWeek, "ww": partWeek,
	"weekday": partWeekday, "dw": partWeekday, "w": partWeekday,
	"hour": partHour, "hh": partHour,
	"minute": partMinute, "mi": partMinute, "n": partMinute,
	"second": partSecond, "ss": partSecond, "s": partSecond,
	"millisecond": partMillisecond, "ms": partMillisecond,
}

func parsePart(fn, s string) (datePart, error) {
	p, ok := datePartNames[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return 0, argErr("%q is not a datepart of %s (use year, quarter, month, dayofyear, day, week, weekday, hour, minute, second or millisecond)", s, fn)
	}
	return p, nil
}

func buildNow(utc bool) func(int, []cexpr) (cexpr, error) {
	return func(off int, args []cexpr) (cexpr, error) {
		return cexpr{t: TypeDBTimestamp, f: func(c *ctx) (Value, error) {
			t := c.clock()
			if utc {
				t = t.UTC()
			}
			return Timestamp(t), nil
		}}, nil
	}
}

// dateWall returns the wall clock a date function works on: the local time
// of an offset value, the value itself otherwise.
func dateWall(v Value) time.Time {
	w, _, _ := wall(v)
	return w
}

// DATEADD adds a whole number of dateparts; months that are too short clamp
// the day, as T-SQL does (DATEADD("mm",1,2020-01-31) is 2020-02-29). The
// result is a DT_DBTIMESTAMP.
func buildDateAdd(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "DATEADD", args, "str", "int", "date"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeDBTimestamp, f: strict(off, "DATEADD", TypeDBTimestamp, args, func(_ *ctx, v []Value) (Value, error) {
		part, err := parsePart("DATEADD", v[0].s)
		if err != nil {
			return Value{}, err
		}
		n, err := intArg(v[1])
		if err != nil {
			return Value{}, err
		}
		w := dateWall(v[2])
		var r time.Time
		switch part {
		case partYear, partQuarter, partMonth:
			months := n * map[datePart]int64{partYear: 12, partQuarter: 3, partMonth: 1}[part]
			if months > 12*10000 || months < -12*10000 {
				return Value{}, dateOverflow()
			}
			r = addMonths(w, int(months))
		case partDayOfYear, partDay, partWeekday, partWeek:
			days := n
			if part == partWeek {
				days *= 7
			}
			if days > 10000*366 || days < -10000*366 {
				return Value{}, dateOverflow()
			}
			r = w.AddDate(0, 0, int(days))
		default:
			unit := map[datePart]time.Duration{partHour: time.Hour, partMinute: time.Minute,
				partSecond: time.Second, partMillisecond: time.Millisecond}[part]
			perDay := int64(24 * time.Hour / unit)
			days := n / perDay
			if days > 10000*366 || days < -10000*366 {
				return Value{}, dateOverflow()
			}
			r = w.AddDate(0, 0, int(days)).Add(time.Duration(n%perDay) * unit)
		}
		if r.Year() < 1 || r.Year() > 9999 {
			return Value{}, dateOverflow()
		}
		return Value{t: TypeDBTimestamp, tm: truncFrac(r, 3)}, nil
	})}, nil
}

func dateOverflow() error {
	return failf(ErrOverflow, "the result of DATEADD is out of the range of dates (years 1 to 9999)")
}

func addMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	total := y*12 + int(m) - 1 + months
	ny, nm := total/12, time.Month(total%12+1)
	if total < 0 {
		ny, nm = -1, 1 // out of range; the caller rejects it
	}
	if dd := daysIn(ny, nm); d > dd {
		d = dd
	}
	return time.Date(ny, nm, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// DATEDIFF counts the datepart boundaries crossed between two dates, as
// T-SQL does: DATEDIFF("yy", 2003-12-31, 2004-01-01) is 1. A week boundary
// is a Sunday. Offsets are compared in UTC.
func buildDateDiff(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "DATEDIFF", args, "str", "date", "date"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeI4, f: strict(off, "DATEDIFF", TypeI4, args, func(_ *ctx, v []Value) (Value, error) {
		part, err := parsePart("DATEDIFF", v[0].s)
		if err != nil {
			return Value{}, err
		}
		a, b := diffTime(v[1]), diffTime(v[2])
		var d int64
		switch part {
		case partYear:
			d = int64(b.Year() - a.Year())
		case partQuarter:
			d = int64(b.Year()*4+(int(b.Month())-1)/3) - int64(a.Year()*4+(int(a.Month())-1)/3)
		case partMonth:
			d = int64(b.Year()*12+int(b.Month())) - int64(a.Year()*12+int(a.Month()))
		case partDayOfYear, partDay, partWeekday:
			d = dayNumber(b) - dayNumber(a)
		case partWeek:
			d = floorDiv(dayNumber(b)+4, 7) - floorDiv(dayNumber(a)+4, 7) // day 0 (1970-01-01) is a Thursday
		case partHour:
			d = floorDiv(b.Unix(), 3600) - floorDiv(a.Unix(), 3600)
		case partMinute:
			d = floorDiv(b.Unix(), 60) - floorDiv(a.Unix(), 60)
		case partSecond:
			d = b.Unix() - a.Unix()
		case partMillisecond:
			d = floorDiv(b.UnixNano(), 1e6) - floorDiv(a.UnixNano(), 1e6)
			if b.Sub(a) > 1<<40*time.Millisecond || a.Sub(b) > 1<<40*time.Millisecond {
				d = math.MaxInt64
			}
		}
		if d > math.MaxInt32 || d < math.MinInt32 {
			return Value{}, failf(ErrOverflow, "the result of DATEDIFF does not fit DT_I4; use a larger datepart")
		}
		return I4(int32(d)), nil
	})}, nil
}

func diffTime(v Value) time.Time {
	if v.t == TypeDBTimestampOffset {
		return v.tm.UTC()
	}
	return v.tm
}

// dayNumber returns the days from 1970-01-01 to the date of t.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// partOf returns a datepart of a date. Weekdays count from Sunday = 1 and
// week 1 is the week holding January 1, weeks starting on Sunday: the
// defaults of SQL Server (us_english, DATEFIRST 7).
func partOf(p datePart, t time.Time) int {
	switch p {
	case partYear:
		return t.Year()
	case partQuarter:
		return (int(t.Month())-1)/3 + 1
	case partMonth:
		return int(t.Month())
	case partDayOfYear:
		return t.YearDay()
	case partDay:
		return t.Day()
	case partWeek:
		jan1 := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return (t.YearDay()-1+int(jan1.Weekday()))/7 + 1
	case partWeekday:
		return int(t.Weekday()) + 1
	case partHour:
		return t.Hour()
	case partMinute:
		return t.Minute()
	case partSecond:
		return t.Second()
	}
	return t.Nanosecond() / 1e6
}

func buildDatePart(off int, args []cexpr) (cexpr, error) {
	if err := checkArgs(off, "DATEPART", args, "str", "date"); err != nil {
		return cexpr{}, err
	}
	return cexpr{t: TypeI4, f: strict(off, "DATEPART", TypeI4, args, func(_ *ctx, v []Value) (Value, error) {
		part, err := parsePart("DATEPART", v[0].s)
		if err != nil {
			return Value{}, err
		}
		return I4(int32(partOf(part, dateWall(v[1])))), nil
	})}, nil
}

func buildDayMonthYear(name string, part datePart) func(int, []cexpr) (cexpr, error) {
	return func(off int, args []cexpr) (cexpr, error) {
		if err := checkArgs(off, name, args, "date"); err != nil {
			return cexpr{}, err
		}
		return cexpr{t: TypeI4, f: strict(off, name, TypeI4, args, func(_ *ctx, v []Value) (Value, error) {
			return I4(int32(partOf(part, dateWall(v[0])))), nil
		})}, nil
	}
}
