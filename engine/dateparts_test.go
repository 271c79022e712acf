package engine

import (
	"context"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

// TestDatePartTypes pins the result type of every date-part function to long: the ground
// truth (conformance cases datetime-part-function-00 and getyear-function-00, from the
// real engine) types datetime_part and getyear Int64, although Kusto.Language's binder
// says int; the other parts follow them so that one query never mixes the two.
func TestDatePartTypes(t *testing.T) {
	const dt = "datetime(2017-10-30 01:02:03.7654321)"
	cases := []struct {
		call string
		want any
		typ  table.Type
	}{
		{"getyear(" + dt + ")", int64(2017), table.TypeLong},
		{"getmonth(" + dt + ")", int64(10), table.TypeLong},
		{"monthofyear(" + dt + ")", int64(10), table.TypeLong},
		{"dayofmonth(" + dt + ")", int64(30), table.TypeLong},
		{"dayofyear(" + dt + ")", int64(303), table.TypeLong},
		{"hourofday(" + dt + ")", int64(1), table.TypeLong},
		{"weekofyear(" + dt + ")", int64(44), table.TypeLong},
		{"week_of_year(" + dt + ")", int64(44), table.TypeLong},
		{"datetime_part('year', " + dt + ")", int64(2017), table.TypeLong},
		{"datetime_part('quarter', " + dt + ")", int64(4), table.TypeLong},
		{"datetime_part('hour', " + dt + ")", int64(1), table.TypeLong},
		{"datetime_part('nanosecond', " + dt + ")", int64(765432100), table.TypeLong},
		{"datepart('minute', " + dt + ")", int64(2), table.TypeLong},
		{"dayofweek(" + dt + ")", table.TimeSpan(1 * table.Day), table.TypeTimeSpan},
		// Per row (not folded) as well.
		{"hourofday(todatetime(tostring(" + dt + ")))", int64(1), table.TypeLong},
	}
	for _, c := range cases {
		res, err := Run(context.Background(), emptyDB{}, "print r = "+c.call, Options{})
		if err != nil {
			t.Errorf("%s: %v", c.call, err)
			continue
		}
		col := res.Tables[0].Columns[0]
		if col.Type != c.typ {
			t.Errorf("%s: type %s, want %s", c.call, col.Type, c.typ)
		}
		if got := col.Data.At(0); got != c.want {
			t.Errorf("%s = %v (%T), want %v", c.call, got, got, c.want)
		}
	}
}
