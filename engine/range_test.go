package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRangeValues(t *testing.T) {
	cases := []struct {
		query string
		rows  []string
	}{
		{"range x from 1 to 5 step 2", []string{"1", "3", "5"}},
		{"range x from 5 to 1 step -2", []string{"5", "3", "1"}},
		{"range x from 1 to 0 step 1", []string{}},
		{"range x from 1.5 to 3 step 1", []string{"1.50", "2.50"}},
		{"range x from 0.0 to 1.0 step 0.25", []string{"0.00", "0.25", "0.50", "0.75", "1.00"}},
		{"range x from 1 to 1e12 step 1 | take 3", []string{"1", "2", "3"}},
		{"range x from 999999999990 to 1e12 step 1 | where x > 999999999998", []string{"999999999999", "1000000000000"}},
		// The span between the bounds does not fit an int64.
		{"range x from -9000000000000000000 to 9000000000000000000 step 9000000000000000000", []string{"-9000000000000000000", "0", "9000000000000000000"}},
		{"range x from 1 to 200000 step 1 | summarize count(), sum(x), min(x), max(x)", []string{"200000|20000100000|1|200000"}},
		{"range x from 1 to 100000 step 7 | count", []string{"14286"}},
		{"range d from datetime(2020-01-01) to datetime(2020-01-02) step 12h | count", []string{"3"}},
	}
	for _, c := range cases {
		res, err := Run(context.Background(), emptyDB{}, c.query, Options{})
		if err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		got := rowStrings(res.Tables[0])
		if strings.Join(got, ",") != strings.Join(c.rows, ",") {
			t.Errorf("%s: %v, want %v", c.query, got, c.rows)
		}
	}
}

// TestRangeStreams runs ranges far larger than memory: they only finish, or fail with the
// result-size error, if range yields batches instead of building its column first.
func TestRangeStreams(t *testing.T) {
	_, err := Run(context.Background(), emptyDB{}, "range x from 1 to 1e12 step 1", Options{})
	var qe *Error
	if !errors.As(err, &qe) || qe.Code != "E_QUERY_RESULT_SET_TOO_LARGE" {
		t.Errorf("range of 1e12 rows: got %v, want E_QUERY_RESULT_SET_TOO_LARGE", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	_, err = Run(ctx, emptyDB{}, "range x from 1 to 1e12 step 1 | summarize count()", Options{})
	if !errors.As(err, &qe) || qe.Code != "canceled" {
		t.Errorf("interrupted range: got %v, want a canceled error", err)
	}
}
