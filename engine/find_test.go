package engine

import (
	"context"
	"strings"
	"testing"
)

// TestFind checks find's output schema (as Kusto.Language gives it: source_, the columns
// every input has, the predicate's other columns, pack_ for the rest) and its rows.
func TestFind(t *testing.T) {
	const lets = `let A = datatable(x:long, a:string, c:string)[1,'q','z', 2,'r','q y', 3,'',''];
let B = datatable(x:long, b:real, c:string)[5, 1.5, 'q', 0, 2.5, 'w'];
let C = datatable(x:string, c:string)['7', 'q'];
`
	cases := []struct {
		name, query, cols string
		rows              []string
	}{
		{"smart", "find in (A, B) where x > 1", "source_,x,c,pack_",
			[]string{"A|2|q y|map[a:r]", "A|3||map[]", "B|5|q|map[b:1.5]"}},
		{"project", "find in (A, B) where x > 1 project a, b", "source_,a,b",
			[]string{"A|r|null", "A||null", "B||1.50"}},
		{"withsource and pack_all", "find withsource=T in (A, B) where c has 'q' project x, pack_all()", "T,x,pack_",
			[]string{"A|2|map[a:r c:q y]", "B|5|map[b:1.5 c:q]"}},
		{"predicate columns some inputs lack are null there", "find in (A, B) where a == 'q' or b > 1", "source_,x,c,a,b",
			[]string{"A|1|z|q|null", "B|5|q||1.50", "B|0|w||2.50"}},
		{"bare term", "find in (A, B) 'q'", "source_,x,c,pack_",
			[]string{"A|1|z|map[a:q]", "A|2|q y|map[a:r]", "B|5|q|map[b:1.5]"}},
		{"a column with two types is dynamic", "find in (A, C) where c has 'q'", "source_,x,c,pack_",
			[]string{"A|2|q y|map[a:r]", "C|7|q|map[]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Run(context.Background(), emptyDB{}, lets+c.query, Options{})
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
			if strings.Join(rows, "\n") != strings.Join(c.rows, "\n") {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(c.rows, "\n"))
			}
		})
	}
}
