package fn

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // datetime_utc_to_local needs the zone database on any host

	"github.com/kqlkernel/kqlkernel/table"
)

const tickDay = int64(table.Day)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// bindBin is bin()/floor() with two arguments (floor(x) with one is math).
func bindBin(name string) binder {
	return func(args []Arg) (table.Type, Impl, error) {
		if name == "floor" && len(args) == 1 {
			return bindMath1("floor", math.Floor)(args)
		}
		if err := argc(name, args, 2, 2); err != nil {
			return 0, nil, err
		}
		vt, st := args[0].Type, args[1].Type
		var rt table.Type
		switch {
		case vt == table.TypeDateTime && (st == table.TypeTimeSpan || st == table.TypeDynamic):
			rt = table.TypeDateTime
		case vt == table.TypeTimeSpan:
			rt = table.TypeTimeSpan
		case vt == table.TypeDecimal || st == table.TypeDecimal:
			rt = table.TypeDecimal
		case vt == table.TypeReal || st == table.TypeReal:
			rt = table.TypeReal
		case intClass(vt) && intClass(st):
			rt = table.TypeLong
		case vt == table.TypeDynamic && st.Numeric():
			rt = promote(table.TypeLong, st)
		default:
			return 0, nil, fmt.Errorf("%s(): cannot bin a %s by a %s", name, vt, st)
		}
		if rt == table.TypeDateTime || rt == table.TypeTimeSpan || rt == table.TypeLong {
			return rt, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
				v, s := args[0], args[1]
				if v.Type != table.TypeDateTime && v.Type != table.TypeTimeSpan && !intClass(v.Type) {
					v = convertVec(v, rt)
				}
				if s.Type == table.TypeReal {
					s = convertVec(s, table.TypeLong)
				} else if s.Type != table.TypeTimeSpan && !intClass(s.Type) {
					s = convertVec(s, table.TypeTimeSpan)
				}
				out := newOut(rt, n)
				sv, ss := stride(v), stride(s)
				if s.Const && !nullAt(s, 0) && s.Ints[0] > 0 {
					floorToMultiples(out.Ints[:n], v.Ints, sv, s.Ints[0])
				} else {
					for i := 0; i < n; i++ {
						size := s.Ints[i*ss]
						if size <= 0 {
							out.SetNull(i)
							continue
						}
						out.Ints[i] = floorDiv(v.Ints[i*sv], size) * size
					}
				}
				copyNulls(out, n, v, s)
				return out, nil
			}, nil
		}
		return rt, rowsNull(rt, func(a []any) any {
			if rt == table.TypeDecimal {
				x, ok1 := toDecV(normDyn(a[0]))
				s, ok2 := toDecV(normDyn(a[1]))
				if !ok1 || !ok2 || s.Sign() <= 0 {
					return nil
				}
				return x.Div(s).Floor().Mul(s)
			}
			x, ok1 := toRealV(normDyn(a[0]))
			s, ok2 := toRealV(normDyn(a[1]))
			if !ok1 || !ok2 || s <= 0 {
				return nil
			}
			return math.Floor(x/s) * s
		}), nil
	}
}

func bindBinAt(args []Arg) (table.Type, Impl, error) {
	if err := argc("bin_at", args, 3, 3); err != nil {
		return 0, nil, err
	}
	rt := args[0].Type
	if intClass(rt) {
		rt = table.TypeLong
	}
	if rt == table.TypeDynamic {
		rt = table.TypeReal
	}
	return rt, rowsNull(rt, func(a []any) any {
		switch rt {
		case table.TypeDateTime, table.TypeTimeSpan, table.TypeLong:
			x, _ := toLongV(a[0])
			s, ok := toLongV(a[1])
			f, _ := toLongV(a[2])
			if !ok || s <= 0 {
				return nil
			}
			r := f + floorDiv(x-f, s)*s
			switch rt {
			case table.TypeDateTime:
				return table.DateTime(r)
			case table.TypeTimeSpan:
				return table.TimeSpan(r)
			}
			return r
		}
		x, _ := toRealV(a[0])
		s, ok := toRealV(a[1])
		f, _ := toRealV(a[2])
		if !ok || s <= 0 {
			return nil
		}
		return f + math.Floor((x-f)/s)*s
	}), nil
}

// floorToMultiples sets dst[i] = floor(src[i*stride] / size) * size. Division by a
// runtime constant is slow, so non-negative values (all datetimes) use a precomputed
// reciprocal: q = hi64(x * floor(2^64 / size)) is q or one less, fixed by one compare.
func floorToMultiples(dst, src []int64, stride int, size int64) {
	if stride == 0 {
		x := src[0]
		r := floorDiv(x, size) * size
		for i := range dst {
			dst[i] = r
		}
		return
	}
	src = src[:len(dst)]
	d := uint64(size)
	m := ^uint64(0) / d
	for i, x := range src {
		if x < 0 {
			dst[i] = floorDiv(x, size) * size
			continue
		}
		u := uint64(x)
		q, _ := bits.Mul64(u, m)
		r := u - q*d
		if r >= d {
			q++
		}
		dst[i] = int64(q * d)
	}
}

// ---- calendar helpers ----

func dtTime(d table.DateTime) time.Time { return d.Time() }

func fromTime(t time.Time) (table.DateTime, bool) {
	d := table.FromTime(t)
	if t.Year() < 1 || t.Year() > 9999 {
		return 0, false
	}
	return d, true
}

func startOf(unit string, d table.DateTime, offset int64) (table.DateTime, bool) {
	t := dtTime(d)
	var s time.Time
	switch unit {
	case "day":
		s = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(offset))
	case "week":
		s = time.Date(t.Year(), t.Month(), t.Day()-int(t.Weekday()), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*int(offset))
	case "weekmonday":
		wd := (int(t.Weekday()) + 6) % 7
		s = time.Date(t.Year(), t.Month(), t.Day()-wd, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*int(offset))
	case "month":
		s = time.Date(t.Year(), t.Month()+time.Month(offset), 1, 0, 0, 0, 0, time.UTC)
	case "year":
		s = time.Date(t.Year()+int(offset), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return fromTime(s)
}

func bindStartEnd(unit string, end bool) binder {
	name := "startof" + unit
	if end {
		name = "endof" + unit
	}
	return func(args []Arg) (table.Type, Impl, error) {
		if err := argc(name, args, 1, 2); err != nil {
			return 0, nil, err
		}
		if args[0].Type != table.TypeDateTime && args[0].Type != table.TypeDynamic {
			return 0, nil, typeErr(name, 0, "datetime", args[0].Type)
		}
		return table.TypeDateTime, func(_ *Context, args []*table.Vector, n int) (*table.Vector, error) {
			v := convertVec(args[0], table.TypeDateTime)
			var off *table.Vector
			if len(args) > 1 {
				off = convertVec(args[1], table.TypeLong)
			}
			out := newOut(table.TypeDateTime, n)
			sv := stride(v)
			// Day starts are a fast path: floor to the day in ticks.
			if unit == "day" && off == nil {
				for i := 0; i < n; i++ {
					x := v.Ints[i*sv]
					r := x - x%tickDay
					if end {
						r += tickDay - 1
					}
					out.Ints[i] = r
				}
				copyNulls(out, n, v)
				return out, nil
			}
			for i := 0; i < n; i++ {
				if nullAt(v, i) || (off != nil && nullAt(off, i)) {
					out.SetNull(i)
					continue
				}
				var o int64
				if off != nil {
					o = off.Ints[ix(off, i)]
				}
				if end {
					o++
				}
				r, ok := startOf(unit, table.DateTime(v.Ints[i*sv]), o)
				if !ok {
					out.SetNull(i)
					continue
				}
				if end {
					r--
				}
				out.Ints[i] = int64(r)
			}
			return out, nil
		}, nil
	}
}

// datetime parts

func normPart(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	switch p {
	case "year", "years", "yyyy", "yy":
		return "year"
	case "quarter", "qq", "q":
		return "quarter"
	case "month", "months", "mm", "m":
		return "month"
	case "week", "weeks", "week_of_year", "wk", "ww":
		return "week"
	case "day", "days", "dd", "d", "dayofmonth":
		return "day"
	case "dayofyear", "dy", "y":
		return "dayofyear"
	case "hour", "hours", "hh":
		return "hour"
	case "minute", "minutes", "mi", "n":
		return "minute"
	case "second", "seconds", "ss", "s":
		return "second"
	case "millisecond", "milliseconds", "ms":
		return "millisecond"
	case "microsecond", "microseconds", "mcs":
		return "microsecond"
	case "nanosecond", "nanoseconds", "ns":
		return "nanosecond"
	}
	return p
}

func isoWeek(t time.Time) int {
	_, w := t.ISOWeek()
	return w
}

func datetimePart(part string, d table.DateTime) (int64, bool) {
	t := dtTime(d)
	switch part {
	case "year":
		return int64(t.Year()), true
	case "quarter":
		return int64((int(t.Month())-1)/3 + 1), true
	case "month":
		return int64(t.Month()), true
	case "week":
		return int64(isoWeek(t)), true
	case "day":
		return int64(t.Day()), true
	case "dayofyear":
		return int64(t.YearDay()), true
	case "hour":
		return int64(t.Hour()), true
	case "minute":
		return int64(t.Minute()), true
	case "second":
		return int64(t.Second()), true
	case "millisecond":
		return int64(d) % int64(table.Second) / int64(table.Millisecond), true
	case "microsecond":
		return int64(d) % int64(table.Second) / int64(table.Microsecond), true
	case "nanosecond":
		return int64(d) % int64(table.Second) * 100, true
	}
	return 0, false
}

func addMonthsClamped(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	total := int(m) - 1 + months
	ny := y + floorDivInt(total, 12)
	nm := time.Month(total - floorDivInt(total, 12)*12 + 1)
	last := time.Date(ny, nm+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d > last {
		d = last
	}
	return time.Date(ny, nm, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

func floorDivInt(a, b int) int { return int(floorDiv(int64(a), int64(b))) }

func datetimeAdd(part string, amount int64, d table.DateTime) (table.DateTime, bool) {
	var ticks int64
	switch part {
	case "year":
		return fromTime(addMonthsClamped(dtTime(d), int(amount)*12))
	case "quarter":
		return fromTime(addMonthsClamped(dtTime(d), int(amount)*3))
	case "month":
		return fromTime(addMonthsClamped(dtTime(d), int(amount)))
	case "week":
		ticks = amount * 7 * tickDay
	case "day":
		ticks = amount * tickDay
	case "hour":
		ticks = amount * int64(table.Hour)
	case "minute":
		ticks = amount * int64(table.Minute)
	case "second":
		ticks = amount * int64(table.Second)
	case "millisecond":
		ticks = amount * int64(table.Millisecond)
	case "microsecond":
		ticks = amount * int64(table.Microsecond)
	case "nanosecond":
		ticks = amount / 100
	default:
		return 0, false
	}
	r := d + table.DateTime(ticks)
	if r < table.MinDateTime || r > table.MaxDateTime {
		return 0, false
	}
	return r, true
}

func datetimeDiff(part string, a, b table.DateTime) (int64, bool) {
	ta, tb := dtTime(a), dtTime(b)
	switch part {
	case "year":
		return int64(ta.Year() - tb.Year()), true
	case "quarter":
		return int64((ta.Year()-tb.Year())*4 + (int(ta.Month())-1)/3 - (int(tb.Month())-1)/3), true
	case "month":
		return int64((ta.Year()-tb.Year())*12 + int(ta.Month()) - int(tb.Month())), true
	case "week":
		sa, _ := startOf("week", a, 0)
		sb, _ := startOf("week", b, 0)
		return (int64(sa) - int64(sb)) / (7 * tickDay), true
	case "day":
		return floorDiv(int64(a), tickDay) - floorDiv(int64(b), tickDay), true
	case "hour":
		return floorDiv(int64(a), int64(table.Hour)) - floorDiv(int64(b), int64(table.Hour)), true
	case "minute":
		return floorDiv(int64(a), int64(table.Minute)) - floorDiv(int64(b), int64(table.Minute)), true
	case "second":
		return floorDiv(int64(a), int64(table.Second)) - floorDiv(int64(b), int64(table.Second)), true
	case "millisecond":
		return floorDiv(int64(a), int64(table.Millisecond)) - floorDiv(int64(b), int64(table.Millisecond)), true
	case "microsecond":
		return floorDiv(int64(a), int64(table.Microsecond)) - floorDiv(int64(b), int64(table.Microsecond)), true
	case "nanosecond":
		return (int64(a) - int64(b)) * 100, true
	}
	return 0, false
}

func constPart(name string, a Arg) (string, error) {
	s, ok := constString(a)
	if !ok {
		return "", fmt.Errorf("%s(): the part argument must be a constant string", name)
	}
	p := normPart(s)
	switch p {
	case "year", "quarter", "month", "week", "day", "dayofyear", "hour", "minute", "second", "millisecond", "microsecond", "nanosecond":
		return p, nil
	}
	return "", fmt.Errorf("%s(): unknown part %q", name, s)
}

// ---- format_datetime / format_timespan ----

func formatDateTime(d table.DateTime, f string) string {
	t := dtTime(d)
	frac := int64(d) % int64(table.Second)
	var b strings.Builder
	for i := 0; i < len(f); {
		c := f[i]
		j := i
		for j < len(f) && f[j] == c {
			j++
		}
		k := j - i
		switch c {
		case 'y':
			y := t.Year()
			switch {
			case k == 1:
				b.WriteString(strconv.Itoa(y % 100))
			case k == 2:
				fmt.Fprintf(&b, "%02d", y%100)
			default:
				fmt.Fprintf(&b, "%0*d", k, y)
			}
		case 'M':
			writeNum(&b, int(t.Month()), k)
		case 'd':
			writeNum(&b, t.Day(), k)
		case 'H':
			writeNum(&b, t.Hour(), k)
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			writeNum(&b, h, k)
		case 'm':
			writeNum(&b, t.Minute(), k)
		case 's':
			writeNum(&b, t.Second(), k)
		case 'f', 'F':
			writeFrac(&b, frac, k, c == 'F')
		case 't':
			ampm := "AM"
			if t.Hour() >= 12 {
				ampm = "PM"
			}
			if k == 1 {
				ampm = ampm[:1]
			}
			b.WriteString(ampm)
		default:
			b.WriteString(f[i:j])
		}
		i = j
	}
	return b.String()
}

func writeNum(b *strings.Builder, v, width int) {
	if width <= 1 {
		b.WriteString(strconv.Itoa(v))
		return
	}
	fmt.Fprintf(b, "%0*d", width, v)
}

func writeFrac(b *strings.Builder, frac int64, k int, trim bool) {
	if k > 7 {
		k = 7
	}
	s := pad7(frac)[:k]
	if trim {
		s = strings.TrimRight(s, "0")
	}
	b.WriteString(s)
}

func formatTimeSpan(ts table.TimeSpan, f string) string {
	v := int64(ts)
	neg := v < 0
	if neg {
		v = -v
	}
	days := v / tickDay
	rem := v % tickDay
	h := rem / int64(table.Hour)
	m := rem % int64(table.Hour) / int64(table.Minute)
	s := rem % int64(table.Minute) / int64(table.Second)
	frac := rem % int64(table.Second)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(f); {
		c := f[i]
		j := i
		for j < len(f) && f[j] == c {
			j++
		}
		k := j - i
		switch c {
		case 'd':
			writeNum(&b, int(days), k)
		case 'h', 'H':
			writeNum(&b, int(h), k)
		case 'm':
			writeNum(&b, int(m), k)
		case 's':
			writeNum(&b, int(s), k)
		case 'f', 'F':
			writeFrac(&b, frac, k, c == 'F')
		default:
			b.WriteString(f[i:j])
		}
		i = j
	}
	return b.String()
}

func registerTime(r *registry) {
	r.fn("now", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("now", args, 0, 1); err != nil {
			return 0, nil, err
		}
		return table.TypeDateTime, func(ctx *Context, args []*table.Vector, n int) (*table.Vector, error) {
			out := newOut(table.TypeDateTime, n)
			for i := 0; i < n; i++ {
				v := int64(ctx.Now)
				if len(args) == 1 {
					if nullAt(args[0], i) {
						out.SetNull(i)
						continue
					}
					ts, _ := toTimeSpanV(args[0].At(i))
					v += int64(ts)
				}
				out.Ints[i] = v
			}
			return out, nil
		}, nil
	})
	r.fn("ago", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("ago", args, 1, 1); err != nil {
			return 0, nil, err
		}
		return table.TypeDateTime, func(ctx *Context, args []*table.Vector, n int) (*table.Vector, error) {
			a := convertVec(args[0], table.TypeTimeSpan)
			out := newOut(table.TypeDateTime, n)
			s := stride(a)
			for i := 0; i < n; i++ {
				out.Ints[i] = int64(ctx.Now) - a.Ints[i*s]
			}
			copyNulls(out, n, a)
			return out, nil
		}, nil
	})
	r.fn("bin", bindBin("bin"))
	r.fn("floor", bindBin("floor"))
	r.fn("bin_at", bindBinAt)
	for _, u := range []string{"day", "week", "month", "year"} {
		r.fn("startof"+u, bindStartEnd(u, false))
		r.fn("endof"+u, bindStartEnd(u, true))
	}
	r.fn("startofweekfrommonday", bindStartEnd("weekmonday", false))
	r.fn("endofweekfrommonday", bindStartEnd("weekmonday", true))
	r.fn("endofweeksunday", bindStartEnd("week", true))

	dtInt := func(name string, f func(t time.Time, d table.DateTime) int64) {
		generic := fixedNull(name, 1, 1, table.TypeLong, func(a []any) any {
			d, ok := toDateTimeV(normDyn(a[0]))
			if !ok {
				return nil
			}
			return f(dtTime(d), d)
		})
		r.fn(name, func(args []Arg) (table.Type, Impl, error) {
			if len(args) != 1 || args[0].Type != table.TypeDateTime {
				return generic(args)
			}
			// Typed loop over the ticks: no boxing per row.
			return table.TypeLong, func(_ *Context, vecs []*table.Vector, n int) (*table.Vector, error) {
				v := vecs[0]
				out := newOut(table.TypeLong, n)
				sv := stride(v)
				for i := 0; i < n; i++ {
					if nullAt(v, i) {
						out.SetNull(i)
						continue
					}
					d := table.DateTime(v.Ints[i*sv])
					out.Ints[i] = f(dtTime(d), d)
				}
				return out, nil
			}, nil
		})
	}
	dtInt("dayofmonth", func(t time.Time, _ table.DateTime) int64 { return int64(t.Day()) })
	dtInt("dayofyear", func(t time.Time, _ table.DateTime) int64 { return int64(t.YearDay()) })
	dtInt("hourofday", func(t time.Time, _ table.DateTime) int64 { return int64(t.Hour()) })
	dtInt("getmonth", func(t time.Time, _ table.DateTime) int64 { return int64(t.Month()) })
	dtInt("monthofyear", func(t time.Time, _ table.DateTime) int64 { return int64(t.Month()) })
	dtInt("getyear", func(t time.Time, _ table.DateTime) int64 { return int64(t.Year()) })
	dtInt("weekofyear", func(t time.Time, _ table.DateTime) int64 { return int64(isoWeek(t)) })
	dtInt("week_of_year", func(t time.Time, _ table.DateTime) int64 { return int64(isoWeek(t)) })
	r.fn("dayofweek", fixedNull("dayofweek", 1, 1, table.TypeTimeSpan, func(a []any) any {
		d, ok := toDateTimeV(normDyn(a[0]))
		if !ok {
			return nil
		}
		return table.TimeSpan(int64(dtTime(d).Weekday()) * tickDay)
	}))
	r.fn("datetime_part", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("datetime_part", args, 2, 2); err != nil {
			return 0, nil, err
		}
		p, err := constPart("datetime_part", args[0])
		if err != nil {
			return 0, nil, err
		}
		return table.TypeLong, rowsNull(table.TypeLong, func(a []any) any {
			d, ok := toDateTimeV(normDyn(a[1]))
			if !ok {
				return nil
			}
			v, ok := datetimePart(p, d)
			if !ok {
				return nil
			}
			return v
		}), nil
	})
	r.fn("datetime_add", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("datetime_add", args, 3, 3); err != nil {
			return 0, nil, err
		}
		p, err := constPart("datetime_add", args[0])
		if err != nil {
			return 0, nil, err
		}
		return table.TypeDateTime, rowsNull(table.TypeDateTime, func(a []any) any {
			amt, ok1 := toLongV(normDyn(a[1]))
			d, ok2 := toDateTimeV(normDyn(a[2]))
			if !ok1 || !ok2 {
				return nil
			}
			r, ok := datetimeAdd(p, amt, d)
			if !ok {
				return nil
			}
			return r
		}), nil
	})
	r.fn("datetime_diff", func(args []Arg) (table.Type, Impl, error) {
		if err := argc("datetime_diff", args, 3, 3); err != nil {
			return 0, nil, err
		}
		p, err := constPart("datetime_diff", args[0])
		if err != nil {
			return 0, nil, err
		}
		return table.TypeLong, rowsNull(table.TypeLong, func(a []any) any {
			x, ok1 := toDateTimeV(normDyn(a[1]))
			y, ok2 := toDateTimeV(normDyn(a[2]))
			if !ok1 || !ok2 {
				return nil
			}
			v, ok := datetimeDiff(p, x, y)
			if !ok {
				return nil
			}
			return v
		}), nil
	})
	formatGeneric := fixedNull("format_datetime", 2, 2, table.TypeString, func(a []any) any {
		d, ok := toDateTimeV(normDyn(a[0]))
		if !ok {
			return ""
		}
		return formatDateTime(d, ToStringValue(a[1]))
	})
	r.fn("format_datetime", func(args []Arg) (table.Type, Impl, error) {
		if len(args) != 2 || args[0].Type != table.TypeDateTime {
			return formatGeneric(args)
		}
		f, isConst := constString(args[1])
		if !isConst {
			return formatGeneric(args)
		}
		return table.TypeString, func(_ *Context, vecs []*table.Vector, n int) (*table.Vector, error) {
			v := vecs[0]
			out := newOut(table.TypeString, n)
			sv := stride(v)
			for i := 0; i < n; i++ {
				if !nullAt(v, i) {
					out.Strs[i] = formatDateTime(table.DateTime(v.Ints[i*sv]), f)
				}
			}
			return out, nil
		}, nil
	})
	r.fn("format_timespan", fixedNull("format_timespan", 2, 2, table.TypeString, func(a []any) any {
		d, ok := toTimeSpanV(normDyn(a[0]))
		if !ok {
			return ""
		}
		return formatTimeSpan(d, ToStringValue(a[1]))
	}))
	r.fn("make_datetime", fixedNull("make_datetime", 1, 6, table.TypeDateTime, func(a []any) any {
		p := [6]int64{0, 1, 1} // month and day default to 1
		var sec float64
		for i, x := range a {
			if i == 5 {
				f, ok := toRealV(normDyn(x))
				if !ok {
					return nil
				}
				sec = f
				continue
			}
			if i > 5 {
				break
			}
			v, ok := toLongV(normDyn(x))
			if !ok {
				return nil
			}
			p[i] = v
		}
		if p[1] < 1 || p[1] > 12 || p[2] < 1 || p[2] > 31 || p[3] < 0 || p[3] > 23 || p[4] < 0 || p[4] > 59 || sec < 0 || sec >= 60 || p[0] < 1 || p[0] > 9999 {
			return nil
		}
		t := time.Date(int(p[0]), time.Month(p[1]), int(p[2]), int(p[3]), int(p[4]), 0, 0, time.UTC)
		if t.Day() != int(p[2]) {
			return nil
		}
		d, ok := fromTime(t)
		if !ok {
			return nil
		}
		return d + table.DateTime(math.Round(sec*float64(table.Second)))
	}))
	r.fn("make_timespan", fixedNull("make_timespan", 1, 4, table.TypeTimeSpan, func(a []any) any {
		vals := make([]float64, len(a))
		for i, x := range a {
			f, ok := toRealV(normDyn(x))
			if !ok {
				return nil
			}
			vals[i] = f
		}
		var d, h, m, s float64
		switch len(vals) {
		case 1:
			h = vals[0]
		case 2:
			h, m = vals[0], vals[1]
		case 3:
			h, m, s = vals[0], vals[1], vals[2]
		case 4:
			d, h, m, s = vals[0], vals[1], vals[2], vals[3]
		}
		return table.TimeSpan(math.Round(((d*24+h)*60+m)*60*float64(table.Second) + s*float64(table.Second)))
	}))
	unix := func(name string, unitTicks float64) {
		r.fn(name, fixedNull(name, 1, 1, table.TypeDateTime, func(a []any) any {
			f, ok := toRealV(normDyn(a[0]))
			if !ok || math.IsNaN(f) {
				return nil
			}
			t := float64(621355968000000000) + f*unitTicks
			if t < 0 || t > float64(table.MaxDateTime) {
				return nil
			}
			if iv, isInt := normDyn(a[0]).(int64); isInt && unitTicks >= 1 {
				return table.DateTime(621355968000000000 + iv*int64(unitTicks))
			}
			// Split whole and fractional units so large values keep their precision.
			whole, frac := math.Modf(f)
			if unitTicks >= 1 {
				return table.DateTime(621355968000000000 + int64(whole)*int64(unitTicks) + int64(math.Round(frac*unitTicks)))
			}
			return table.DateTime(math.Round(t))
		}))
	}
	unix("unixtime_seconds_todatetime", float64(table.Second))
	unix("unixtime_milliseconds_todatetime", float64(table.Millisecond))
	unix("unixtime_microseconds_todatetime", float64(table.Microsecond))
	unix("unixtime_nanoseconds_todatetime", 0.01)
	zone := func(name string, toLocal bool) {
		r.fn(name, fixedNull(name, 2, 2, table.TypeDateTime, func(a []any) any {
			d, ok := toDateTimeV(normDyn(a[0]))
			if !ok {
				return nil
			}
			loc, err := time.LoadLocation(ToStringValue(a[1]))
			if err != nil {
				return nil
			}
			t := dtTime(d)
			if toLocal {
				lt := t.In(loc)
				_, off := lt.Zone()
				return d + table.DateTime(int64(off)*int64(table.Second))
			}
			// The wall time t in loc, back to UTC. A wall time in a spring-forward gap takes
			// the offset after the transition, as Kusto does.
			lt := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
			u := lt.UTC()
			if w := lt.In(loc); w.Hour() != t.Hour() || w.Minute() != t.Minute() || w.Day() != t.Day() {
				_, off := lt.Zone()
				u = t.Add(-time.Duration(off) * time.Second)
			}
			r, ok := fromTime(u)
			if !ok {
				return nil
			}
			return r
		}))
	}
	zone("datetime_utc_to_local", true)
	zone("datetime_local_to_utc", false)
}
