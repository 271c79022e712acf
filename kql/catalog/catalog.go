// Package catalog is the data about the KQL language that the engine, completion and
// inspection share: every tabular operator, scalar function, aggregate and plugin,
// with signatures, the rule for the result type, and a one-line description.
//
// The data lives in catalog.json (embedded). Signatures are extracted from Microsoft's
// own Kusto.Language library by gen/signatures.js and descriptions added by
// gen/docs.py; regenerate with those rather than editing the JSON by hand.
package catalog

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed catalog.json
var catalogJSON []byte

// Kind says what a Function is.
type Kind string

// Function kinds.
const (
	Scalar    Kind = "scalar"
	Aggregate Kind = "aggregate"
	Plugin    Kind = "plugin"
)

// Param is one parameter of a signature.
//
// Type is either a declared type list ("string", "long|real") or a type class from the
// official library in snake case: scalar, number, integer, real_or_decimal,
// string_or_dynamic, dynamic_array, dynamic_bag, summable, orderable, not_dynamic,
// parameter0 (same type as parameter 0), common_scalar, tabular, ...
// Arg restricts the argument's form: "" (any expression), literal, literal_not_empty,
// constant, column, star_only, star_allowed, aggregate, ...
// Repeating parameters have Max > 1 (Min..Max occurrences).
type Param struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Arg      string `json:"arg,omitempty"`
	Optional bool   `json:"optional,omitempty"`
	Min      int    `json:"min,omitempty"`
	Max      int    `json:"max,omitempty"`
}

// Signature is one overload. Result is the result type rule: a type name ("string",
// "long"), or a rule from the official library: parameter0 (type of argument 0),
// parameter0_array, widest, common, common_non_dynamic, computed, custom (depends on
// the arguments in a way only the binder knows), and "tabular:..." for plugins.
type Signature struct {
	Params []Param `json:"params"`
	Result string  `json:"result"`
}

// Function is a scalar function, aggregate or plugin.
type Function struct {
	Name        string      `json:"name"`
	Kind        Kind        `json:"kind"`
	Signatures  []Signature `json:"signatures"`
	Description string      `json:"description"`
	// Hidden functions are not offered by completion; Obsolete ones are deprecated
	// spellings (makeset, parsejson, ...) and Alternative names the current one.
	Hidden      bool   `json:"hidden,omitempty"`
	Obsolete    bool   `json:"obsolete,omitempty"`
	Alternative string `json:"alternative,omitempty"`
}

// Operator is a tabular operator.
type Operator struct {
	Name        string `json:"name"`
	Syntax      string `json:"syntax"`
	Description string `json:"description"`
}

// Catalog is the whole language catalog. It is immutable after loading.
type Catalog struct {
	Source    string      `json:"source"`
	Operators []*Operator `json:"operators"`
	Functions []*Function `json:"functions"`

	byName map[string]*Function // keyed by kind/name: count is both an operator and an aggregate
	ops    map[string]*Operator
}

var (
	loadOnce sync.Once
	loaded   *Catalog
	loadErr  error
)

// Default returns the embedded catalog, decoded once. It returns an error only when
// the embedded data is corrupt (a build problem).
func Default() (*Catalog, error) {
	loadOnce.Do(func() { loaded, loadErr = parse(catalogJSON) })
	return loaded, loadErr
}

func key(k Kind, name string) string { return string(k) + "/" + name }

func parse(data []byte) (*Catalog, error) {
	c := &Catalog{}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("decoding the embedded KQL catalog: %w", err)
	}
	c.byName = make(map[string]*Function, len(c.Functions))
	for _, f := range c.Functions {
		if f.Signatures == nil {
			f.Signatures = []Signature{}
		}
		c.byName[key(f.Kind, f.Name)] = f
	}
	c.ops = make(map[string]*Operator, len(c.Operators))
	for _, o := range c.Operators {
		c.ops[o.Name] = o
	}
	return c, nil
}

// Scalar returns the scalar function with this exact name.
func (c *Catalog) Scalar(name string) (*Function, bool) {
	f, ok := c.byName[key(Scalar, name)]
	return f, ok
}

// Aggregate returns the aggregate function with this exact name.
func (c *Catalog) Aggregate(name string) (*Function, bool) {
	f, ok := c.byName[key(Aggregate, name)]
	return f, ok
}

// Plugin returns the evaluate plugin with this exact name.
func (c *Catalog) Plugin(name string) (*Function, bool) {
	f, ok := c.byName[key(Plugin, name)]
	return f, ok
}

// Operator returns the tabular operator with this name (filter, order, limit and
// mvexpand resolve to where, sort, take and mv-expand).
func (c *Catalog) Operator(name string) (*Operator, bool) {
	if canon, ok := operatorAliases[name]; ok {
		name = canon
	}
	o, ok := c.ops[name]
	return o, ok
}

var operatorAliases = map[string]string{"filter": "where", "order": "sort", "limit": "take",
	"mvexpand": "mv-expand", "mvapply": "mv-apply", "external_data": "externaldata"}

// Names returns the sorted names of the functions of a kind, without hidden ones
// unless hidden is true.
func (c *Catalog) Names(k Kind, hidden bool) []string {
	names := []string{}
	for _, f := range c.Functions {
		if f.Kind == k && (hidden || !f.Hidden) {
			names = append(names, f.Name)
		}
	}
	sort.Strings(names)
	return names
}

// Suggest returns the closest known name of a kind for a misspelled one ("" when none
// is close), for "did you mean" hints.
func (c *Catalog) Suggest(k Kind, name string) string {
	best, bestD := "", 1<<30
	l := strings.ToLower(name)
	for _, n := range c.Names(k, false) {
		if d := distance(l, n); d < bestD {
			best, bestD = n, d
		}
	}
	if bestD <= 2 || bestD <= 3 && len(name) > 6 {
		return best
	}
	return ""
}

func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Doc returns a one-line help text for a function: "name(p1, [p2]) -> type: description".
func (f *Function) Doc() string {
	var b strings.Builder
	for i, s := range f.Signatures {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(f.Name + "(")
		for j, p := range s.Params {
			if j > 0 {
				b.WriteString(", ")
			}
			t := p.Name + ": " + p.Type
			if p.Max > 1 {
				t += ", ..."
			}
			if p.Optional {
				t = "[" + t + "]"
			}
			b.WriteString(t)
		}
		b.WriteString(") -> " + s.Result)
	}
	if f.Description != "" {
		b.WriteString("\n" + f.Description)
	}
	if f.Obsolete && f.Alternative != "" {
		b.WriteString("\nDeprecated: use " + f.Alternative + ".")
	}
	return b.String()
}
