// Command kqlcheck is `kqlkernel check --jsonl` without the rest of the binary: the
// differential and benchmark scripts of bench/parser build it on its own.
//
// With -repeat N it only parses: it reads the {"id","query"} lines, parses every query
// N times and prints how many parses it did (run.sh times it for CPU seconds).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/kqlkernel/kqlkernel/kql/check"
	"github.com/kqlkernel/kqlkernel/kql/syntax"
)

func main() {
	repeat := flag.Int("repeat", 0, "parse every query this many times and print only a count")
	flag.Parse()
	if *repeat > 0 {
		if err := parseRepeat(*repeat); err != nil {
			fmt.Fprintln(os.Stderr, "kqlcheck:", err)
			os.Exit(1)
		}
		return
	}
	if err := check.JSONL(context.Background(), "<stdin>", os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kqlcheck:", err)
		os.Exit(1)
	}
}

func parseRepeat(n int) error {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	var qs []string
	for sc.Scan() {
		var in struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			return fmt.Errorf("reading queries: %w", err)
		}
		qs = append(qs, in.Query)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading queries: %w", err)
	}
	parses, errs := 0, 0
	for r := 0; r < n; r++ {
		for _, q := range qs {
			_, e := syntax.Parse(q)
			parses++
			errs += len(e)
		}
	}
	fmt.Printf("%d parses, %d errors\n", parses, errs)
	return nil
}
