package loganalytics

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
)

// parseTimeSpan reads Kusto's `[-][d.]hh:mm:ss[.fffffff]` (the service's wire format for
// timespan) into ticks.
func parseTimeSpan(s string) (table.TimeSpan, error) {
	orig := s
	bad := func() (table.TimeSpan, error) {
		return 0, fmt.Errorf("timespan %q: want [-][d.]hh:mm:ss[.fffffff]", orig)
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var days uint64
	if i := strings.IndexByte(s, '.'); i >= 0 && i < strings.IndexByte(s, ':') {
		d, err := strconv.ParseUint(s[:i], 10, 32)
		if err != nil {
			return bad()
		}
		days, s = d, s[i+1:]
	}
	var frac string
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s, frac = s[:i], s[i+1:]
		if frac == "" || len(frac) > 7 {
			return bad()
		}
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return bad()
	}
	var hms [3]uint64
	for i, p := range parts {
		if p == "" || len(p) > 2 {
			return bad()
		}
		v, err := strconv.ParseUint(p, 10, 8)
		if err != nil {
			return bad()
		}
		hms[i] = v
	}
	if hms[0] > 23 || hms[1] > 59 || hms[2] > 59 {
		return bad()
	}
	var ticks uint64
	if frac != "" {
		f, err := strconv.ParseUint(frac+strings.Repeat("0", 7-len(frac)), 10, 64)
		if err != nil {
			return bad()
		}
		ticks = f
	}
	secs := days*86400 + hms[0]*3600 + hms[1]*60 + hms[2]
	if secs > 922337203685 { // keeps the tick count inside int64
		return bad()
	}
	total := int64(secs*uint64(table.Second) + ticks)
	if neg {
		total = -total
	}
	return table.TimeSpan(total), nil
}
