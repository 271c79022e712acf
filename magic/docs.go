package magic

// keywordDocs explain the statements the catalog (kql/catalog, operators and functions)
// doesn't cover, for inspection and `%kql --help NAME`.
var keywordDocs = map[string]struct{ syntax, text string }{
	"let":     {"let Name = Expr;", "Binds a name to a scalar, a table or a function for the rest of the query. A cell of only let statements defines session parameters: they are prepended to later queries, and {Name} in a query is replaced by the value."},
	"set":     {"set Option [= Value];", "Sets a client request property for the query (notruncation, truncationmaxrecords, query_now ...); %kql +Option=Value does the same."},
	"declare": {"declare query_parameters(Name:type [= Default], ...);", "Declares query parameters."},
}
