package magic

import (
	"context"
	"fmt"
	"strings"

	"github.com/kqlkernel/kqlkernel/kernel"
	"github.com/kqlkernel/kqlkernel/table"
)

// command runs a --command of %kql.
func (in *Interpreter) command(ctx context.Context, name, topic string) (*kernel.Bundle, error) {
	switch name {
	case "help":
		text, err := in.help(topic)
		if err != nil {
			return nil, in.usage("%v", err)
		}
		return textBundle(text), nil
	case "version":
		v := in.cfg.Version
		if v == "" {
			v = "dev"
		}
		return textBundle("kqlkernel " + v), nil
	case "list":
		return textBundle(in.listConnections()), nil
	case "results":
		if len(in.results) == 0 {
			return textBundle("No named results yet: keep one with %%kql --as NAME"), nil
		}
		var b strings.Builder
		for _, n := range in.sortedResultNames() {
			t := in.results[n]
			fmt.Fprintf(&b, "%s: %d rows, %d columns\n", n, t.Rows(), len(t.Columns))
		}
		return textBundle(strings.TrimRight(b.String(), "\n")), nil
	case "reset":
		in.params = nil
		in.results = map[string]*table.Table{}
		in.defaults = defaultOptions()
		return textBundle("Session parameters, named results and options cleared"), nil
	case "params":
		if len(in.params) == 0 {
			return textBundle("No session parameters yet: a cell of only let statements defines them"), nil
		}
		var b strings.Builder
		for _, p := range in.params {
			b.WriteString(p.text + ";\n")
		}
		return textBundle(in.scrub(strings.TrimRight(b.String(), "\n"))), nil
	}
	return nil, in.usage("unknown command --%s", name)
}

// listConnections is `%kql --list`: every connection with secrets masked, * for the
// current one.
func (in *Interpreter) listConnections() string {
	if len(in.conns) == 0 {
		return "No connections: queries run on the local demo workspace (demo@local).\nConnect with %kql loganalytics://workspace='ID';appkey='KEY';alias='NAME' or %kql local://DIR"
	}
	var b strings.Builder
	width := 0
	for _, c := range in.conns {
		width = max(width, len(c.conn.Name()))
	}
	for _, c := range in.conns {
		mark := "  "
		if c == in.current || (in.current == nil && c == in.demo) {
			mark = "* "
		}
		fmt.Fprintf(&b, "%s%-*s  %s\n", mark, width, c.conn.Name(), in.scrub(c.conn.Masked()))
	}
	return strings.TrimRight(b.String(), "\n")
}
