package catalog

import (
	"strings"
	"testing"

	"github.com/kqlkernel/kqlkernel/kql/syntax"
)

func TestLookups(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kind   Kind
		name   string
		result string // result rule of the first signature
	}{
		{Scalar, "strcat", "string"},
		{Scalar, "ago", "datetime"},
		{Scalar, "bin", "widest"},
		{Scalar, "parse_json", "dynamic"},
		{Aggregate, "count", "long"},
		{Aggregate, "make_set", "parameter0_array"},
		{Aggregate, "makeset", "parameter0_array"},
		{Plugin, "bag_unpack", "tabular:custom"},
	}
	for _, tc := range tests {
		var f *Function
		var ok bool
		switch tc.kind {
		case Scalar:
			f, ok = c.Scalar(tc.name)
		case Aggregate:
			f, ok = c.Aggregate(tc.name)
		case Plugin:
			f, ok = c.Plugin(tc.name)
		}
		if !ok {
			t.Errorf("%s %s not found", tc.kind, tc.name)
			continue
		}
		if got := f.Signatures[0].Result; got != tc.result {
			t.Errorf("%s: result %q, want %q", tc.name, got, tc.result)
		}
		if f.Description == "" {
			t.Errorf("%s: no description", tc.name)
		}
	}
	if f, _ := c.Aggregate("makeset"); !f.Obsolete || f.Alternative != "make_set" {
		t.Errorf("makeset should be obsolete with alternative make_set: %+v", f)
	}
	if got := c.Suggest(Scalar, "strcta"); got != "strcat" {
		t.Errorf("Suggest(strcta) = %q", got)
	}
	if !strings.Contains(mustScalar(t, c, "substring").Doc(), "substring(") {
		t.Error("Doc lacks the signature")
	}
}

func mustScalar(t *testing.T, c *Catalog, n string) *Function {
	f, ok := c.Scalar(n)
	if !ok {
		t.Fatalf("%s missing", n)
	}
	return f
}

// Every operator the parser knows is in the catalog, and the other way round (except
// spellings the catalog resolves as aliases).
func TestOperatorsMatchParser(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range syntax.OperatorNames() {
		if _, ok := c.Operator(name); !ok {
			switch name {
			case "project-smart", "macro-expand":
				continue // internal or undocumented spellings
			}
			t.Errorf("parser operator %q has no catalog entry", name)
		}
	}
	for _, o := range c.Operators {
		if o.Description == "" || o.Syntax == "" {
			t.Errorf("operator %q lacks syntax or description", o.Name)
		}
	}
}

// Counts: the whole language, not a sample.
func TestCoverage(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for k, min := range map[Kind]int{Scalar: 400, Aggregate: 55, Plugin: 40} {
		if n := len(c.Names(k, true)); n < min {
			t.Errorf("%d %s functions, want at least %d", n, k, min)
		}
	}
}
