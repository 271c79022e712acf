// Package syntax is the KQL front end: tokens, lexer, a hand-written recursive-descent
// parser, the AST, source positions and diagnostics.
//
// Entry point: Parse(src) returns a *Script (possibly partial) and an ErrorList. Every node
// carries byte offsets (Pos, End) into src; Position resolves an offset to a 1-based
// line and column counted in Unicode code points, the unit Jupyter uses for cursors.
//
// The AST is a contract shared by the engine, completion, inspection and the workspace:
// fields are only ever added, never renamed or removed.
package syntax

import "time"

// Node is any AST node. Pos is the byte offset of its first byte, End the offset just
// past its last byte (End >= Pos).
type Node interface {
	Pos() int
	End() int
}

// Span is embedded in every node to hold its byte offsets.
type Span struct {
	Start int // offset of the first byte
	Stop  int // offset just past the last byte
}

// Pos returns the offset of the node's first byte.
func (s Span) Pos() int { return s.Start }

// End returns the offset just past the node's last byte.
func (s Span) End() int { return s.Stop }

// ---------------------------------------------------------------------------------------
// Script and statements

// Script is a whole parsed text: statements separated by ';'.
type Script struct {
	Span
	Stmts []Stmt
}

// Stmt is a statement: *LetStmt, *SetStmt, *DeclareParamsStmt, *DeclarePatternStmt,
// *AliasStmt, *RestrictStmt, *CommandStmt or *ExprStmt (a query).
type Stmt interface {
	Node
	stmtNode()
}

// LetStmt is `let Name = Value`. Value is a scalar or tabular expression, or a *FuncExpr
// for a lambda (`let f = (x:long) { x + 1 }`) or a view (`let V = view () { T }`).
type LetStmt struct {
	Span
	Name  *Ident
	Value Expr
}

// SetStmt is `set Name [= Value]` (a client request property), e.g. `set notruncation;`.
// Value is nil when absent.
type SetStmt struct {
	Span
	Name  *Ident // may contain dots, e.g. query_datascope
	Value Expr
}

// DeclareParamsStmt is `declare query_parameters(name:type [= default], ...)`.
type DeclareParamsStmt struct {
	Span
	Params []*Param
}

// DeclarePatternStmt is `declare pattern Name [= (params) [path params] { rules }]`. The
// rules are kept as raw source text in Body (the span of `{...}`), since nothing runs them.
type DeclarePatternStmt struct {
	Span
	Name       *Ident
	Params     []*Param
	PathParams []*Param
	Body       Span // span of the `{ ... }` rules, zero when absent
}

// AliasStmt is `alias database Name = cluster("...").database("...")`.
type AliasStmt struct {
	Span
	Kind  string // "database"
	Name  *Ident
	Value Expr
}

// RestrictStmt is `restrict access to (T1, T2, ...)`.
type RestrictStmt struct {
	Span
	Names []Expr
}

// ExprStmt is a query statement: a tabular expression (usually a *PipeExpr) or, rarely,
// a scalar expression.
type ExprStmt struct {
	Span
	X Expr
}

// CommandStmt is a control command (`.show tables`, `.create table ...`). Commands have
// their own grammar, which this parser does not read: Text is the rest of the script.
type CommandStmt struct {
	Span
	Text string
}

func (*CommandStmt) stmtNode()        {}
func (*LetStmt) stmtNode()            {}
func (*SetStmt) stmtNode()            {}
func (*DeclareParamsStmt) stmtNode()  {}
func (*DeclarePatternStmt) stmtNode() {}
func (*AliasStmt) stmtNode()          {}
func (*RestrictStmt) stmtNode()       {}
func (*ExprStmt) stmtNode()           {}

// ---------------------------------------------------------------------------------------
// Expressions

// Expr is a scalar or tabular expression.
type Expr interface {
	Node
	exprNode()
}

// Type is a KQL scalar type name in its canonical spelling.
type Type string

// Canonical scalar type names. Aliases (int64, double, boolean, date, time, uuid, ...)
// are normalised to these by CanonicalType.
const (
	TypeBool     Type = "bool"
	TypeInt      Type = "int"
	TypeLong     Type = "long"
	TypeReal     Type = "real"
	TypeDecimal  Type = "decimal"
	TypeString   Type = "string"
	TypeDatetime Type = "datetime"
	TypeTimespan Type = "timespan"
	TypeGuid     Type = "guid"
	TypeDynamic  Type = "dynamic"
)

// Literal is a constant decoded by the parser. Value holds, by Type:
//
//	long, int: int64          real: float64        bool: bool
//	string: string (unescaped, adjacent strings concatenated)
//	decimal: string (the literal's digits, e.g. "1.50")
//	datetime: time.Time (UTC)  timespan: int64 ticks of 100 ns (see Ticks)
//	guid: string (lower-case canonical 8-4-4-4-12)
//	dynamic: nil (JSON null), bool, int64, float64, string, time.Time, []any,
//	         map[string]any (the nested literal values decoded the same way)
//
// Null is true for typed nulls (`int(null)`, `datetime(null)`, `dynamic(null)`, ...),
// in which case Value is nil. Raw is the literal's source text.
type Literal struct {
	Span
	Type  Type
	Null  bool
	Value any
	Raw   string
	// Invalid explains why the text of a typed literal (`datetime(2025-13-45)`) could
	// not be decoded; Value is then nil. The official parser accepts such text, so it
	// is not a syntax error: the binder reports it. Empty when the literal is fine.
	Invalid string
}

// Ticks returns the value of a timespan literal in 100-ns ticks (0 for other types).
func (l *Literal) Ticks() int64 {
	if v, ok := l.Value.(int64); ok && l.Type == TypeTimespan {
		return v
	}
	return 0
}

// Time returns the value of a datetime literal (the zero time for other types).
func (l *Literal) Time() time.Time {
	if v, ok := l.Value.(time.Time); ok {
		return v
	}
	return time.Time{}
}

// Ident is a name: a column, table, variable, function or option name. Bracketed names
// (`['a b']`, `["x"]`) have Bracketed set and Name unquoted. `$left` and `$right` are
// Idents named "$left" and "$right". Keywords used as names are Idents too.
type Ident struct {
	Span
	Name      string
	Bracketed bool
}

// Wildcard is a name pattern containing '*', e.g. `Event*` in project-away or union. A
// bare `*` is a *StarExpr.
type Wildcard struct {
	Span
	Pattern string
}

// StarExpr is a bare `*`: `count(*)`-like arguments, `search *`, `distinct *`,
// `summarize by *`, `project-reorder *`.
type StarExpr struct {
	Span
}

// BinaryExpr is `X Op Y`. Op is the operator's canonical lower-case spelling: arithmetic
// (+ - * / %), comparison (== != <> < <= > >= =~ !~), logical (and or), and string
// operators (has, !has, has_cs, !has_cs, hasprefix, hassuffix, contains, startswith,
// endswith, ... and their ! and _cs forms, has_any, has_all, "matches regex", like, ...).
// `in`-style and `between` operators have their own nodes.
type BinaryExpr struct {
	Span
	Op    string
	OpPos int
	X, Y  Expr
}

// UnaryExpr is `-X` or `+X`.
type UnaryExpr struct {
	Span
	Op string
	X  Expr
}

// InExpr is `X in (a, b, ...)` and its forms `!in`, `in~`, `!in~`. List holds the
// elements; a tabular operand (`X in (T | project c)`) is one element. (has_any and
// has_all are BinaryExprs whose Y is a *ListExpr.)
type InExpr struct {
	Span
	Op   string // "in", "!in", "in~", "!in~"
	X    Expr
	List []Expr
}

// BetweenExpr is `X between (Lo .. Hi)` or `X !between (Lo .. Hi)`.
type BetweenExpr struct {
	Span
	Not    bool
	X      Expr
	Lo, Hi Expr
}

// CallExpr is a function call `Fun(args)`. Named arguments are *NamedArg elements of
// Args. Calls of functions that take tabular arguments (materialize, toscalar, table,
// database, cluster, view invocations) are CallExprs too; their argument is a tabular
// Expr. Typed literals (datetime(...), int(null)) are *Literal, not calls. `Fun.Name` is
// the function name as written (lower/upper case preserved).
type CallExpr struct {
	Span
	Fun    *Ident
	Args   []Expr
	Rparen int // offset of ')' (-1 when missing)
	// Target is the expression before '.' of a method-style call
	// (`database("d").table("T")`, `cluster(c).database(d)`), nil otherwise.
	Target Expr
}

// NamedArg is `name = value` inside a call's argument list (e.g. plugin arguments).
type NamedArg struct {
	Span
	Name  *Ident
	Value Expr
}

// DotExpr is member access `X.Name`: dynamic properties (`d.a`), `$left.col`,
// `database("db").Table`, `cluster(c).database(d)`.
type DotExpr struct {
	Span
	X    Expr
	Name *Ident
}

// IndexExpr is `X[Index]`: `d['a']`, `d[0]`, `arr[-1]`.
type IndexExpr struct {
	Span
	X     Expr
	Index Expr
}

// ParenExpr is `(X)`; X may be tabular, e.g. `(T | where x > 1)`.
type ParenExpr struct {
	Span
	X Expr
}

// ListExpr is a parenthesised list `(a, b, c)` where a list is allowed but not a
// call: the right side of `has_any`, `has_all`, a tuple key.
type ListExpr struct {
	Span
	Elems []Expr
}

// TypeofExpr is `typeof(long)` / `typeof(a:string, b:long)`.
type TypeofExpr struct {
	Span
	Types []*TypeRef
}

// FuncExpr is a lambda `(params) { body }` or `view (params) { body }` bound by let.
type FuncExpr struct {
	Span
	View   bool
	Params []*Param
	Body   *Block
}

// Block is a function body: let statements (and other statements) then a result
// expression.
type Block struct {
	Span
	Stmts  []Stmt // statements before the result (usually *LetStmt)
	Result Expr   // the final expression; nil when the body is empty or broken
}

// Param is a parameter `name:type [= default]` of a lambda, view, query_parameters or
// pattern.
type Param struct {
	Span
	Name    *Ident
	Type    *TypeRef
	Default Expr
}

// TypeRef is a type written in source: a scalar type (`long`, `string`), a tabular
// schema `(a:long, b:string)` / `(*)`.
type TypeRef struct {
	Span
	Scalar  Type         // canonical scalar type; empty for a tabular type
	Tabular bool         // a schema `(...)`
	Columns []*ColumnDef // schema columns (Tabular)
	Star    bool         // `(*)` or a trailing `*` in the schema
}

// ColumnDef is `name:type` in a schema (datatable, externaldata, typeof, lambda params).
type ColumnDef struct {
	Span
	Name *Ident
	Type Type
}

// PipeExpr is a tabular pipeline `Source | op | op ...`.
//
// Source is the input expression: a table name (*Ident), a call (`table("T")`,
// `database("d").T`, a function), a *ParenExpr, ... When Source is nil the pipeline
// either starts with a source operator (Ops[0] is *PrintOp, *RangeOp, *DatatableOp,
// *UnionOp, *FindOp, *SearchOp, *ExternalDataOp, *EvaluateOp ...) or is a sub-query
// on an implicit input (the branches of fork/facet, mv-apply and partition sub-queries).
type PipeExpr struct {
	Span
	Source Expr
	Ops    []Operator
}

// A source operator used as an expression without a pipe (`let T = datatable(...)[...]`,
// `join (range x from 1 to 3 step 1)`) is a *PipeExpr with nil Source and one Op.

// BadExpr stands for an expression that failed to parse; the ErrorList says why.
type BadExpr struct {
	Span
}

func (*Literal) exprNode()     {}
func (*Ident) exprNode()       {}
func (*Wildcard) exprNode()    {}
func (*StarExpr) exprNode()    {}
func (*BinaryExpr) exprNode()  {}
func (*UnaryExpr) exprNode()   {}
func (*InExpr) exprNode()      {}
func (*BetweenExpr) exprNode() {}
func (*CallExpr) exprNode()    {}
func (*NamedArg) exprNode()    {}
func (*DotExpr) exprNode()     {}
func (*IndexExpr) exprNode()   {}
func (*ParenExpr) exprNode()   {}
func (*ListExpr) exprNode()    {}
func (*TypeofExpr) exprNode()  {}
func (*FuncExpr) exprNode()    {}
func (*PipeExpr) exprNode()    {}
func (*BadExpr) exprNode()     {}

// ---------------------------------------------------------------------------------------
// Pieces shared by operators

// Column is an output column of project, extend, summarize (aggregates and by keys),
// print, make-series, top-nested, etc.: `[Names =] X`. Names is nil when the column is
// unnamed (the engine derives the name, e.g. `count_`, `print_0`); it has several
// entries for `(a, b) = f(...)`.
type Column struct {
	Span
	Names []*Ident
	X     Expr
}

// Option is a `name = value` option or hint of an operator: `kind=inner`,
// `hint.strategy=shuffle`, `withsource=T`, `isfuzzy=true`, a render property
// `title="x"`, `bagexpansion=array`. Value is an *Ident for bare words (inner, shuffle).
type Option struct {
	Span
	Name  string // lower-case as written, e.g. "kind", "hint.strategy"
	Value Expr
}

// SortKey is `X [asc|desc] [nulls first|last]` in sort, top, top-nested, order.
type SortKey struct {
	Span
	X          Expr
	Desc       bool // true unless asc is written (Kusto sorts descending by default)
	Asc        bool // explicitly written asc
	NullsFirst bool
	NullsLast  bool
}

// Operator is a tabular operator in a pipeline. Every operator of the language has its
// own node type; Name returns its canonical keyword (e.g. "mv-expand").
type Operator interface {
	Node
	OpName() string
}

// ---------------------------------------------------------------------------------------
// Tabular operators

// WhereOp is `where Pred` (also spelled `filter`).
type WhereOp struct {
	Span
	Keyword string // "where" or "filter"
	Pred    Expr
	Options []*Option // `where kind=x ...`: accepted by the official parser; usually empty
}

// ProjectOp is `project Cols`.
type ProjectOp struct {
	Span
	Cols []*Column
}

// ProjectAwayOp is `project-away names` (Idents or Wildcards).
type ProjectAwayOp struct {
	Span
	Names []Expr
}

// ProjectKeepOp is `project-keep names` (Idents or Wildcards).
type ProjectKeepOp struct {
	Span
	Names []Expr
}

// ProjectRenameOp is `project-rename New = Old, ...` (each Column has one Name and an
// *Ident X; X is a *BadExpr for `project-rename a` without `= old`, which the official
// parser lets pass).
type ProjectRenameOp struct {
	Span
	Cols []*Column
}

// ProjectReorderOp is `project-reorder name [asc|desc|granny-asc|granny-desc], ...`.
type ProjectReorderOp struct {
	Span
	Items []*ReorderItem
}

// ReorderItem is one name pattern of project-reorder with its optional order.
type ReorderItem struct {
	Span
	Name  Expr   // *Ident or *Wildcard
	Order string // "", "asc", "desc", "granny-asc", "granny-desc"
}

// ExtendOp is `extend Cols`.
type ExtendOp struct {
	Span
	Cols []*Column
}

// SummarizeOp is `summarize [hints] [Aggs] [by By]`.
type SummarizeOp struct {
	Span
	Hints []*Option
	Aggs  []*Column
	By    []*Column
}

// CountOp is `count`.
type CountOp struct {
	Span
}

// TakeOp is `take N` / `limit N`.
type TakeOp struct {
	Span
	Keyword string // "take" or "limit"
	Count   Expr
	Hints   []*Option
}

// TopOp is `top N by key [asc|desc] [nulls first|last]`.
type TopOp struct {
	Span
	Count Expr
	By    []*SortKey
	Hints []*Option
}

// SortOp is `sort by keys` / `order by keys`.
type SortOp struct {
	Span
	Keyword string // "sort" or "order"
	Hints   []*Option
	By      []*SortKey
}

// DistinctOp is `distinct cols` or `distinct *`.
type DistinctOp struct {
	Span
	Hints []*Option
	Cols  []*Column
}

// JoinOp is `join [kind=K] [hints] (Right) on conditions [where pred]`. Kind is ""
// when not written (Kusto's default is innerunique). On holds the conditions as
// written: *Ident for `on a`, *BinaryExpr `$left.a == $right.b` for pairs.
type JoinOp struct {
	Span
	Kind    string
	Options []*Option // all options including kind and hint.*
	Right   Expr
	On      []Expr
	Where   Expr // reserved; always nil (the official parser has no `join ... where`)
}

// LookupOp is `lookup [kind=K] (Right) on conditions`.
type LookupOp struct {
	Span
	Kind    string
	Options []*Option
	Right   Expr
	On      []Expr
}

// UnionOp is `union [options] tables`. Tables are *Ident, *Wildcard, *ParenExpr, calls
// (`table("x")`, `database("d").T`), *PipeExpr.
type UnionOp struct {
	Span
	Options []*Option // kind, withsource/with_source, isfuzzy, hint.*
	Tables  []Expr
}

// RenderOp is `render Kind [with (props)]` (properties also accepted without `with`
// in the legacy form `render timechart kind=stacked`).
type RenderOp struct {
	Span
	Kind  string
	Props []*Option
}

// MvExpandOp is `mv-expand [options] col [to typeof(t)], ... [limit N]`.
type MvExpandOp struct {
	Span
	Options []*Option // bagexpansion, with_itemindex, kind
	Items   []*MvItem
	Limit   Expr
}

// MvItem is one expanded column: `[Name =] X [to typeof(T)]`.
type MvItem struct {
	Span
	Col    *Column
	ToType *TypeofExpr
}

// MvApplyOp is `mv-apply [options] items [limit N] [id=...] on (Sub)`.
type MvApplyOp struct {
	Span
	Options []*Option
	Items   []*MvItem
	Limit   Expr
	Sub     Expr // the sub-query; a *PipeExpr with nil Source, or *ParenExpr
}

// ParseOp is `parse [kind=K] [flags=F] X with pattern...` (also parse-where). Pattern
// holds the pieces in order.
type ParseOp struct {
	Span
	Keyword string // "parse" or "parse-where"
	Options []*Option
	X       Expr
	Pattern []*ParsePart
}

// ParsePart is one element of a parse pattern: a string literal, a `*` wildcard, or a
// capture `name[:type]`.
type ParsePart struct {
	Span
	Literal *Literal // string piece
	Star    bool     // `*`
	Name    *Ident   // capture column
	Type    Type     // capture type, "" = string
}

// ParseKvOp is `parse-kv X as (cols) with (options)`.
type ParseKvOp struct {
	Span
	X       Expr
	Columns []*ColumnDef
	Options []*Option
}

// EvaluateOp is `evaluate [hints] plugin(args)`.
type EvaluateOp struct {
	Span
	Hints  []*Option
	Plugin *CallExpr
	// Schema is the optional output schema `: (a:long, ...)` after the call.
	Schema *TypeRef
}

// MakeSeriesOp is `make-series [kind=nonempty] aggs on Axis [from A] [to B] step S
// [by keys]` or the `in range(A, B, S)` form (Range set).
type MakeSeriesOp struct {
	Span
	Options []*Option
	Aggs    []*SeriesAgg
	On      Expr
	From    Expr
	To      Expr
	Step    Expr
	Range   *CallExpr // `in range(start, stop, step)`, nil otherwise
	By      []*Column
}

// SeriesAgg is one make-series aggregate: `[Name =] agg(...) [default = D]`.
type SeriesAgg struct {
	Span
	Col     *Column
	Default Expr
}

// DatatableOp is `datatable (schema) [values]`.
type DatatableOp struct {
	Span
	Options []*Option
	Schema  []*ColumnDef
	Values  []Expr
}

// ExternalDataOp is `externaldata (schema) [urls] [with (options)]`.
type ExternalDataOp struct {
	Span
	Keyword string // "externaldata" or "external_data"
	Options []*Option
	Schema  []*ColumnDef
	URIs    []Expr
	With    []*Option
}

// PrintOp is `print cols`.
type PrintOp struct {
	Span
	Cols []*Column
}

// RangeOp is `range Name from A to B step S`.
type RangeOp struct {
	Span
	Name           *Ident
	From, To, Step Expr
}

// AsOp is `as [hint.materialized=true] Name`.
type AsOp struct {
	Span
	Options []*Option
	Name    *Ident
}

// ConsumeOp is `consume [decodeblocks=true]`.
type ConsumeOp struct {
	Span
	Options []*Option
}

// FacetOp is `facet by cols [with (sub) | with operator]`.
type FacetOp struct {
	Span
	By   []Expr
	With Expr // sub-query, nil when absent
}

// FindOp is `find [withsource=X] [in (tables)] where pred [project ...]` or
// `find pred`.
type FindOp struct {
	Span
	Options []*Option
	Tables  []Expr
	Pred    Expr
	Project []*Column // project / project-smart columns
	Smart   bool      // project-smart
}

// ForkOp is `fork (sub) [name] (sub) ...`.
type ForkOp struct {
	Span
	Branches []*ForkBranch
}

// ForkBranch is one fork sub-query with its optional name (`[name=]( ... )`).
type ForkBranch struct {
	Span
	Name *Ident
	Sub  Expr
}

// GetSchemaOp is `getschema`.
type GetSchemaOp struct {
	Span
}

// InvokeOp is `invoke func(args)`.
type InvokeOp struct {
	Span
	Call Expr
}

// PartitionOp is `partition [hints] by Col (sub)` or `{ sub }`.
type PartitionOp struct {
	Span
	Options []*Option
	By      Expr
	Sub     Expr
}

// ReduceOp is `reduce [kind=source] by X [with threshold=..., characters=...]`.
type ReduceOp struct {
	Span
	Options []*Option
	By      Expr
	With    []*Option
}

// SampleOp is `sample N`.
type SampleOp struct {
	Span
	Count Expr
}

// SampleDistinctOp is `sample-distinct N of X`.
type SampleDistinctOp struct {
	Span
	Count Expr
	Of    Expr
}

// ScanOp is `scan [with_match_id=Id] [declare (cols)] with (steps)`.
type ScanOp struct {
	Span
	Options []*Option
	Declare []*Param
	Steps   []*ScanStep
}

// ScanStep is `step Name [output=all|last|none]: Cond [=> assignments];`.
type ScanStep struct {
	Span
	Name    *Ident
	Output  string
	Cond    Expr
	Assigns []*Column
}

// SearchOp is `search [kind=K] [in (tables)] pred`.
type SearchOp struct {
	Span
	Options []*Option
	Tables  []Expr
	Pred    Expr
}

// SerializeOp is `serialize [cols]`.
type SerializeOp struct {
	Span
	Cols []*Column
}

// TopHittersOp is `top-hitters N of X [by Y]`.
type TopHittersOp struct {
	Span
	Count Expr
	Of    Expr
	By    Expr
}

// TopNestedOp is `top-nested [N] of X [with others = V] by Agg [asc|desc], ...`.
type TopNestedOp struct {
	Span
	Levels []*TopNestedLevel
}

// TopNestedLevel is one `top-nested` clause.
type TopNestedLevel struct {
	Span
	Count  Expr // nil when omitted
	Of     *Column
	Others Expr
	By     *SortKey // the aggregate, as a sort key (Desc by default)
	ByName []*Ident // name given to the aggregate (`by n = count()`)
}

// AssertSchemaOp is `assert-schema (schema)`.
type AssertSchemaOp struct {
	Span
	Schema *TypeRef
}

// GenericOp is an operator the parser knows only by name (graph-match, make-graph,
// graph-merge, ...). Args holds whatever expressions it could read; the text is in
// the span.
type GenericOp struct {
	Span
	Name string
	Args []Expr
}

// BadOp is an operator that failed to parse (unknown name etc.).
type BadOp struct {
	Span
	Name string
}

func (*WhereOp) OpName() string          { return "where" }
func (*ProjectOp) OpName() string        { return "project" }
func (*ProjectAwayOp) OpName() string    { return "project-away" }
func (*ProjectKeepOp) OpName() string    { return "project-keep" }
func (*ProjectRenameOp) OpName() string  { return "project-rename" }
func (*ProjectReorderOp) OpName() string { return "project-reorder" }
func (*ExtendOp) OpName() string         { return "extend" }
func (*SummarizeOp) OpName() string      { return "summarize" }
func (*CountOp) OpName() string          { return "count" }
func (*TakeOp) OpName() string           { return "take" }
func (*TopOp) OpName() string            { return "top" }
func (*SortOp) OpName() string           { return "sort" }
func (*DistinctOp) OpName() string       { return "distinct" }
func (*JoinOp) OpName() string           { return "join" }
func (*LookupOp) OpName() string         { return "lookup" }
func (*UnionOp) OpName() string          { return "union" }
func (*RenderOp) OpName() string         { return "render" }
func (*MvExpandOp) OpName() string       { return "mv-expand" }
func (*MvApplyOp) OpName() string        { return "mv-apply" }
func (o *ParseOp) OpName() string        { return o.Keyword }
func (*ParseKvOp) OpName() string        { return "parse-kv" }
func (*EvaluateOp) OpName() string       { return "evaluate" }
func (*MakeSeriesOp) OpName() string     { return "make-series" }
func (*DatatableOp) OpName() string      { return "datatable" }
func (*ExternalDataOp) OpName() string   { return "externaldata" }
func (*PrintOp) OpName() string          { return "print" }
func (*RangeOp) OpName() string          { return "range" }
func (*AsOp) OpName() string             { return "as" }
func (*ConsumeOp) OpName() string        { return "consume" }
func (*FacetOp) OpName() string          { return "facet" }
func (*FindOp) OpName() string           { return "find" }
func (*ForkOp) OpName() string           { return "fork" }
func (*GetSchemaOp) OpName() string      { return "getschema" }
func (*InvokeOp) OpName() string         { return "invoke" }
func (*PartitionOp) OpName() string      { return "partition" }
func (*ReduceOp) OpName() string         { return "reduce" }
func (*SampleOp) OpName() string         { return "sample" }
func (*SampleDistinctOp) OpName() string { return "sample-distinct" }
func (*ScanOp) OpName() string           { return "scan" }
func (*SearchOp) OpName() string         { return "search" }
func (*SerializeOp) OpName() string      { return "serialize" }
func (*TopHittersOp) OpName() string     { return "top-hitters" }
func (*TopNestedOp) OpName() string      { return "top-nested" }
func (*AssertSchemaOp) OpName() string   { return "assert-schema" }
func (o *GenericOp) OpName() string      { return o.Name }
func (o *BadOp) OpName() string          { return o.Name }
