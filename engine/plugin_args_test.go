package engine

import (
	"context"
	"strings"
	"testing"
)

// Plugins that need constant arguments say so when given a column, instead of failing
// inside (they used to dereference the missing constant).
func TestPluginNonConstantArguments(t *testing.T) {
	for _, q := range []string{
		"range t from datetime(2020-01-01) to datetime(2020-01-02) step 1h | extend id=1 | evaluate sliding_window_counts(id, t, t, datetime(2020-01-02), 1d, 1h)",
		"range t from datetime(2020-01-01) to datetime(2020-01-02) step 1h | extend id=1 | evaluate session_count(id, t, t, datetime(2020-01-02), 1h, 1d)",
	} {
		_, err := Run(context.Background(), emptyDB{}, q, Options{})
		if err == nil || !strings.Contains(err.Error(), "must be constants") {
			t.Errorf("%s: want a 'must be constants' error, got %v", q, err)
		}
	}
}
