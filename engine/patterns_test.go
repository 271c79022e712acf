package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/table"
)

// storm is a small StormEvents-like table (the shape of the basket/autocluster/diffpatterns
// reference examples); the expected patterns below were counted by hand.
const storm = `datatable(State:string, EventType:string, Damage:string, DamageCrops:long, W:long)[
'TX','Hail','NO',0,1, 'TX','Hail','NO',0,1, 'OK','Hail','YES',5,1, 'TX','Wind','NO',0,1,
'KS','Wind','NO',1,10, 'TX','Hail','NO',0,1, 'OK','Flood','YES',0,1, 'KS','Hail','NO',0,1]`

// rowStrings renders each row as values joined by '|' (null as "null").
func rowStrings(t *table.Table) []string {
	out := []string{}
	for r := 0; r < t.Rows(); r++ {
		var parts []string
		for _, c := range t.Columns {
			v := c.Data.At(r)
			if v == nil {
				parts = append(parts, "null")
				continue
			}
			if f, ok := v.(float64); ok {
				parts = append(parts, fmt.Sprintf("%.2f", f))
				continue
			}
			parts = append(parts, fmt.Sprint(v))
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

func TestPatternPlugins(t *testing.T) {
	cases := []struct {
		name, query string
		cols        string // column names joined by ','
		rows        []string
	}{
		{
			// Closed patterns only: TX alone (4 rows) says no more than TX,NO,0 (the same 4).
			name:  "basket",
			query: storm + "| project-away W | evaluate basket(0.3)",
			cols:  "SegmentId,Count,Percent,State,EventType,Damage,DamageCrops",
			rows: []string{
				"0|6|75.00|||NO|null", "1|6|75.00||||0", "2|5|62.50||Hail||null",
				"3|5|62.50|||NO|0", "4|4|50.00|TX||NO|0", "5|4|50.00||Hail|NO|0",
				"6|3|37.50|TX|Hail|NO|0",
			},
		},
		{
			name:  "basket max dimensions and custom wildcards",
			query: storm + "| project-away W | evaluate basket(0.6, '~', 1, '*', long(-1))",
			cols:  "SegmentId,Count,Percent,State,EventType,Damage,DamageCrops",
			rows:  []string{"0|6|75.00|*|*|NO|-1", "1|6|75.00|*|*|*|0", "2|5|62.50|*|Hail|*|-1"},
		},
		{
			// KS,Wind,NO,1 weighs 10 of the 17.
			name:  "basket weight column",
			query: storm + "| evaluate basket(0.5, W)",
			cols:  "SegmentId,Count,Percent,State,EventType,Damage,DamageCrops,W",
			rows:  []string{"0|15|88.24|||NO|null|null", "1|11|64.71|KS||NO|null|null", "2|11|64.71||Wind|NO|null|null", "3|10|58.82|KS|Wind|NO|1|null"},
		},
		{
			name:  "diffpatterns",
			query: storm + "| project-away W | evaluate diffpatterns(Damage, 'NO', 'YES', '~', 0.5)",
			cols:  "SegmentId,CountA,CountB,PercentA,PercentB,PercentDiffAB,State,EventType,Damage,DamageCrops",
			rows: []string{
				"0|0|2|0.00|100.00|100.00|OK|||null", "1|4|0|66.67|0.00|66.67|TX|||0",
				"2|4|0|66.67|0.00|66.67||Hail||0", "3|3|0|50.00|0.00|50.00|TX|Hail||0",
				"4|0|1|0.00|50.00|50.00|OK|Hail||5", "5|0|1|0.00|50.00|50.00|OK|Flood||0",
			},
		},
		{
			// Greedy by coverage^0.5 * (fixed columns / 4)^0.5, each new pattern mostly on rows
			// not yet covered.
			name:  "autocluster",
			query: storm + "| project-away W | evaluate autocluster()",
			cols:  "SegmentId,Count,Percent,State,EventType,Damage,DamageCrops",
			rows:  []string{"0|4|50.00|TX||NO|0", "1|2|25.00|OK||YES|null", "2|2|25.00|KS||NO|null"},
		},
		{
			name:  "empty input",
			query: storm + "| where State == 'none' | evaluate basket()",
			cols:  "SegmentId,Count,Percent,State,EventType,Damage,DamageCrops,W",
			rows:  []string{},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Run(context.Background(), emptyDB{}, c.query, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := res.Tables[0]
			var names []string
			for _, col := range got.Columns {
				names = append(names, col.Name)
			}
			if strings.Join(names, ",") != c.cols {
				t.Errorf("columns %s, want %s", strings.Join(names, ","), c.cols)
			}
			rows := rowStrings(got)
			if len(rows) < len(c.rows) || (len(c.rows) == 0 && len(rows) != 0) {
				t.Fatalf("rows:\n%s\nwant at least:\n%s", strings.Join(rows, "\n"), strings.Join(c.rows, "\n"))
			}
			for i, want := range c.rows {
				if rows[i] != want {
					t.Errorf("row %d: %s, want %s", i, rows[i], want)
				}
			}
		})
	}
}

func TestPatternPluginErrors(t *testing.T) {
	cases := []struct{ query, msg string }{
		{storm + "| evaluate basket(2)", "Threshold must be in (0, 1]"},
		{storm + "| evaluate basket(0.1, Nope)", "unknown column"},
		{storm + "| evaluate autocluster(1.5)", "SizeWeight must be between 0 and 1"},
		{storm + "| evaluate diffpatterns(Damage, 'NO')", "diffpatterns(SplitColumn"},
		{storm + "| evaluate diffpatterns('Nope', 'NO', 'YES')", "no column 'Nope'"},
	}
	for _, c := range cases {
		_, err := Run(context.Background(), emptyDB{}, c.query, Options{})
		var qe *Error
		if !errors.As(err, &qe) || !strings.Contains(qe.Msg, c.msg) {
			t.Errorf("%s: got %v, want an error containing %q", c.query, err, c.msg)
		}
	}
}

// TestPatternLimit checks that a search with too many patterns fails instead of growing
// (with the bound lowered to 500; the same search finds 2,000+ patterns).
func TestPatternLimit(t *testing.T) {
	q := "range x from 1 to 2000 step 1 | extend a = x % 7, b = x % 11, c = x % 13, d = x % 17 | evaluate basket(0.0001, '~', 6)"
	res, err := Run(context.Background(), emptyDB{}, q+" | count", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Tables[0].Columns[0].Data.At(0).(int64); n < 2000 {
		t.Fatalf("the search finds %d patterns; the test needs more than 2000", n)
	}
	_, err = Run(context.Background(), emptyDB{}, q, Options{maxPatterns: 500})
	var qe *Error
	if !errors.As(err, &qe) || !strings.Contains(qe.Msg, "frequent patterns") {
		t.Fatalf("got %v, want the pattern-limit error", err)
	}
}
