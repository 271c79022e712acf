package syntax

// reservedAlways are keywords of the official parser that can never be used as plain
// names: a column called `kind` must be written ['kind']. Extracted from Kusto.Language's
// SyntaxFacts (keywords that cannot be identifiers) and checked against its parser.
var reservedAlways = map[string]bool{
	"3Dchart": true, "__contextual_datatable": true, "__crossCluster": true, "__crossDB": true,
	"__executeAndCache": true, "__id": true, "__isFuzzy": true, "__noWithSource": true,
	"__packedColumn": true, "__projectAway": true, "__sourceColumnIndex": true, "and": true,
	"anomalychart": true, "areachart": true, "asc": true, "assert-schema": true,
	"bagexpansion": true, "barchart": true, "between": true, "bin_legacy": true, "boolean": true,
	"byte": true, "cachingpolicy": true, "callout": true, "cancel": true, "card": true,
	"char": true, "columnchart": true, "commands-and-queries": true, "contains_cs": true,
	"containscs": true, "cycles": true, "dataexport": true, "datascope": true, "date": true,
	"datetime": true, "decimal": true, "decodeblocks": true, "desc": true, "double": true,
	"dynamic": true, "encodingpolicy": true, "endswith": true, "endswith_cs": true,
	"expandoutput": true, "extent_tags_retention": true, "external_data": true, "first": true,
	"flags": true, "float": true, "force_remote": true, "granny-asc": true, "granny-desc": true,
	"graph-mark-components": true, "graph-match": true, "graph-shortest-paths": true,
	"graph-to-table": true, "graph-where-edges": true, "graph-where-nodes": true,
	"harddelete": true, "hardretention": true, "has_all": true, "has_any": true, "has_cs": true,
	"hasprefix": true, "hasprefix_cs": true, "hassuffix": true, "hassuffix_cs": true,
	"hint.concurrency": true, "hint.distribution": true, "hint.materialized": true,
	"hint.num_partitions": true, "hint.progressive_top": true, "hint.remote": true,
	"hint.shufflekey": true, "hint.spread": true, "hint.strategy": true, "hotcache": true,
	"int": true, "int16": true, "int32": true, "int64": true, "int8": true, "in~": true,
	"isfuzzy": true, "journal": true, "ladderchart": true, "last": true, "like": true,
	"likecs": true, "linechart": true, "long": true, "macro-expand": true, "make-graph": true,
	"make-series": true, "matches regex": true, "materialized-view-combine": true,
	"materialized-views": true, "missing": true, "mv-apply": true, "mv-expand": true,
	"nooptimization": true, "notcontains": true, "notcontainscs": true, "notlike": true,
	"notlikecs": true, "or": true, "others": true, "parse-kv": true, "parse-where": true,
	"partitioned-by": true, "pathformat": true, "piechart": true, "pivotchart": true,
	"project": true, "project-away": true, "project-by-names": true, "project-keep": true,
	"project-rename": true, "project-reorder": true, "project-smart": true, "queries": true,
	"query_results": true, "real": true, "relaxed": true, "restricted_view_access": true,
	"row_level_security": true, "rowstore": true, "rowstore_references": true,
	"rowstore_sealinfo": true, "rowstorepolicy": true, "rowstores": true, "scatterchart": true,
	"seal": true, "seals": true, "set-or-append": true, "set-or-replace": true, "shards": true,
	"simple": true, "softdelete": true, "softretention": true, "stackedareachart": true,
	"startswith": true, "startswith_cs": true, "statistics": true,
	"storedqueryresultcontainers": true, "string": true, "tablepurge": true, "time": true,
	"timechart": true, "timeline": true, "timepivot": true, "timespan": true, "treemap": true,
	"uint": true, "uint16": true, "uint32": true, "uint64": true, "uint8": true, "ulong": true,
	"union": true, "uniqueid": true, "unrestrictedviewers": true, "views": true,
	"with_itemindex": true, "with_match_id": true, "with_step_name": true, "writeaheadlog": true,
}

// reservedExceptDecl are keywords that may name a new column in `extend name = ...`
// but not appear as names in expressions.
var reservedExceptDecl = map[string]bool{
	"accumulate": true, "as": true, "by": true, "contains": true, "datatable": true,
	"earliest": true, "externaldata": true, "find": true, "has": true, "in": true,
	"invoke": true, "latest": true, "materialize": true, "mdm": true, "of": true, "print": true,
	"sample": true, "sample-distinct": true, "search": true, "set": true, "sql": true,
	"title": true, "to": true, "top-hitters": true, "top-nested": true, "toscalar": true,
	"totable": true, "verbose": true, "viewers": true, "where": true,
}

// notDeclNames may be used in expressions but not declared (`extend kind = 1` fails).
var notDeclNames = map[string]bool{"true": true, "false": true, "kind": true, "withsource": true, "with_source": true}

// softKeywords are keywords of the official parser that may still be used as names
// (count, join, range, ...); they cannot be, for example, a render kind.
var softKeywords = map[string]bool{"__partitionby": true, "access": true, "alias": true, "best_effort": true, "bin": true, "bool": true, "consume": true, "count": true, "database": true, "dataformat": true, "datetime_pattern": true, "declare": true, "default": true, "distinct": true, "edges": true, "entity_group": true, "evaluate": true, "extend": true, "facet": true, "filter": true, "fork": true, "from": true, "getschema": true, "graph": true, "guid": true, "id": true, "inline_external_table": true, "join": true, "let": true, "limit": true, "lookup": true, "mvapply": true, "mvexpand": true, "nodes": true, "null": true, "nulls": true, "on": true, "optional": true, "order": true, "output": true, "pack": true, "parse": true, "partition": true, "pattern": true, "plotly": true, "query_parameters": true, "range": true, "reduce": true, "regex": true, "render": true, "restrict": true, "scan": true, "serialize": true, "sort": true, "step": true, "summarize": true, "take": true, "top": true, "typeof": true, "uuid": true, "view": true, "with": true, "with_node_id": true}
