// Command engine-bench runs the six queries on 10M generated SecurityEvent-shaped
// rows with the kqlkernel engine and the same work in DuckDB, in one process, and prints
// a Markdown table for bench/RESULTS.md. It is its own module so that the product stays
// free of cgo.
//
//	cd bench/engine && go run . [-rows 10000000] [-runs 3]
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/kqlkernel/kqlkernel/engine"
	"github.com/kqlkernel/kqlkernel/table"
)

type db map[string]*table.Table

func (d db) Table(n string) (*table.Table, bool) { t, ok := d[n]; return t, ok }
func (d db) TableNames() []string {
	var out []string
	for k := range d {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var eventIDs = []int64{4624, 4625, 4634, 4648, 4672, 4688, 4689, 4656, 4663, 4670, 4720, 4722, 4726, 4732, 4740, 4768, 4769, 4776, 5140, 5145, 1102, 4719}

var commands = []string{
	`C:\Windows\System32\svchost.exe -k netsvcs -p`,
	`"C:\Program Files\Google\Chrome\Application\chrome.exe" --type=renderer`,
	`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\scripts\inventory.ps1`,
	`cmd.exe /c whoami /all`,
	`C:\Windows\system32\conhost.exe 0xffffffff -ForceV1`,
	`powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA`,
	`C:\Windows\System32\taskhostw.exe`,
	`"C:\Windows\System32\rundll32.exe" shell32.dll,SHCreateLocalServerRunDll {9aa46009-3ce0-458a-a354-715610a075e6}`,
	`net user administrator /domain`,
	`C:\Windows\System32\wbem\WmiPrvSE.exe -secured -Embedding`,
	``, ``, ``, ``, ``, ``,
}

var activities = []string{"4624 - An account was successfully logged on.", "4625 - An account failed to log on.",
	"4688 - A new process has been created.", "4634 - An account was logged off.", "4672 - Special privileges assigned to new logon."}

const accounts = 100_000

func accountName(i int) string { return fmt.Sprintf(`CONTOSO\user%05d`, i) }

// generate builds the SecurityEvent table (deterministic) and the 100k-row AccountInfo.
func generate(rows int) (*table.Table, *table.Table) {
	r := rand.New(rand.NewPCG(1, 2))
	computers := make([]string, 500)
	for i := range computers {
		computers[i] = fmt.Sprintf("WS%04d.contoso.com", i)
	}
	accts := make([]string, accounts)
	for i := range accts {
		accts[i] = accountName(i)
	}
	start := table.FromTime(time.Date(2026, 11, 13, 0, 0, 0, 0, time.UTC))
	span := int64(14 * table.Day)
	tg := make([]int64, rows)
	comp := make([]string, rows)
	eid := make([]int64, rows)
	acct := make([]string, rows)
	cmd := make([]string, rows)
	act := make([]string, rows)
	for i := 0; i < rows; i++ {
		tg[i] = int64(start) + r.Int64N(span)
		comp[i] = computers[r.IntN(len(computers))]
		// Skewed event ids: the first few dominate, as in real logs.
		k := r.IntN(len(eventIDs))
		if r.IntN(3) == 0 {
			k = r.IntN(4)
		}
		eid[i] = eventIDs[k]
		acct[i] = accts[r.IntN(accounts)]
		cmd[i] = commands[r.IntN(len(commands))]
		act[i] = activities[r.IntN(len(activities))]
	}
	se := &table.Table{Name: "SecurityEvent", Columns: []table.Column{
		{Name: "TimeGenerated", Type: table.TypeDateTime, Data: &table.Vector{Type: table.TypeDateTime, Ints: tg}},
		{Name: "Computer", Type: table.TypeString, Data: &table.Vector{Type: table.TypeString, Strs: comp}},
		{Name: "EventID", Type: table.TypeInt, Data: &table.Vector{Type: table.TypeInt, Ints: eid}},
		{Name: "Account", Type: table.TypeString, Data: &table.Vector{Type: table.TypeString, Strs: acct}},
		{Name: "CommandLine", Type: table.TypeString, Data: &table.Vector{Type: table.TypeString, Strs: cmd}},
		{Name: "Activity", Type: table.TypeString, Data: &table.Vector{Type: table.TypeString, Strs: act}},
	}}
	depts := []string{"Finance", "Engineering", "Sales", "IT", "HR", "Legal"}
	ai := table.New("AccountInfo", table.Schema{{Name: "Account", Type: table.TypeString}, {Name: "Department", Type: table.TypeString}})
	for i := 0; i < accounts; i++ {
		_ = ai.AppendRow(accts[i], depts[i%len(depts)])
	}
	return se, ai
}

// rawBytes is the Arrow-style size of the columns: 8 bytes per long/datetime, 4 per int,
// string content plus a 4-byte offset per row.
func rawBytes(t *table.Table) int64 {
	var n int64
	for _, c := range t.Columns {
		switch c.Type {
		case table.TypeInt:
			n += int64(c.Data.Len()) * 4
		case table.TypeString:
			for _, s := range c.Data.Strs {
				n += int64(len(s)) + 4
			}
		default:
			n += int64(c.Data.Len()) * 8
		}
	}
	return n
}

type work struct {
	name, kql, sql string
}

var queries = []work{
	{"filter + count", `SecurityEvent | where EventID == 4625 | count`,
		`SELECT count(*) FROM SecurityEvent WHERE EventID = 4625`},
	{"summarize count() by EventID", `SecurityEvent | summarize count() by EventID`,
		`SELECT EventID, count(*) FROM SecurityEvent GROUP BY EventID`},
	{"count() by bin(TimeGenerated, 1h), Computer", `SecurityEvent | summarize count() by bin(TimeGenerated, 1h), Computer`,
		`SELECT time_bucket(INTERVAL 1 hour, TimeGenerated) AS t, Computer, count(*) FROM SecurityEvent GROUP BY ALL`},
	{`where CommandLine has "powershell" | count`, `SecurityEvent | where CommandLine has "powershell" | count`,
		`SELECT count(*) FROM SecurityEvent WHERE CommandLine ILIKE '%powershell%'`},
	{"dcount(Account)", `SecurityEvent | summarize dcount(Account)`,
		`SELECT count(DISTINCT Account) FROM SecurityEvent`},
	{"join 1M x 100k on Account", `SecurityEvent | take 1000000 | join kind=inner (AccountInfo) on Account | count`,
		`SELECT count(*) FROM (SELECT * FROM SecurityEvent LIMIT 1000000) s JOIN AccountInfo a ON s.Account = a.Account`},
}

// peakHeap samples the Go heap while f runs and returns the largest HeapInuse seen.
func peakHeap(f func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	return peak.Load()
}

func best(runs int, f func() error) (time.Duration, error) {
	var b time.Duration
	for i := 0; i < runs; i++ {
		t0 := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		if d := time.Since(t0); i == 0 || d < b {
			b = d
		}
	}
	return b, nil
}

func main() {
	rows := flag.Int("rows", 10_000_000, "SecurityEvent rows")
	runs := flag.Int("runs", 3, "runs per query (best is reported)")
	flag.Parse()
	if err := run(*rows, *runs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(rows, runs int) error {
	ctx := context.Background()
	t0 := time.Now()
	se, ai := generate(rows)
	fmt.Fprintf(os.Stderr, "generated %d rows in %v\n", rows, time.Since(t0))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap := ms.HeapInuse
	raw := rawBytes(se) + rawBytes(ai)
	d := db{"SecurityEvent": se, "AccountInfo": ai}

	type result struct {
		eng, duck time.Duration
		engOut    string
		duckOut   string
		peak      uint64
	}
	res := make([]result, len(queries))
	for i, q := range queries {
		var out string
		var err error
		res[i].peak = peakHeap(func() {
			res[i].eng, err = best(runs, func() error {
				r, err := engine.Run(ctx, d, q.kql, engine.Options{})
				if err != nil {
					return err
				}
				t := r.Tables[0]
				out = fmt.Sprintf("%d rows", t.Rows())
				if t.Rows() == 1 {
					out = table.Format(t.Columns[len(t.Columns)-1].Data.At(0))
				}
				return nil
			})
		})
		if err != nil {
			return fmt.Errorf("engine %s: %w", q.name, err)
		}
		res[i].engOut = out
		fmt.Fprintf(os.Stderr, "engine %-45s %v (%s)\n", q.name, res[i].eng, out)
	}

	// Interrupt latency: cancel the heaviest query mid-flight and time how long Run
	// takes to return.
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := engine.Run(cctx, d, queries[2].kql, engine.Options{})
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	tc := time.Now()
	cancel()
	cerr := <-done
	cancelLatency := time.Since(tc)
	fmt.Fprintf(os.Stderr, "cancel after 300 ms: returned in %v (%v)\n", cancelLatency, cerr)

	// DuckDB: same data through the appender, same work in SQL.
	conn, err := duckdb.NewConnector("", nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	sqldb := sql.OpenDB(conn)
	defer sqldb.Close()
	sqldb.SetMaxOpenConns(1)
	if _, err := sqldb.Exec(fmt.Sprintf("SET threads TO %d", runtime.GOMAXPROCS(0))); err != nil {
		return err
	}
	if _, err := sqldb.Exec(`CREATE TABLE SecurityEvent (TimeGenerated TIMESTAMP, Computer VARCHAR, EventID INTEGER, Account VARCHAR, CommandLine VARCHAR, Activity VARCHAR);
		CREATE TABLE AccountInfo (Account VARCHAR, Department VARCHAR)`); err != nil {
		return err
	}
	t1 := time.Now()
	if err := appendTable(conn, "SecurityEvent", se); err != nil {
		return err
	}
	if err := appendTable(conn, "AccountInfo", ai); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "duckdb load %v\n", time.Since(t1))
	for i, q := range queries {
		var out string
		res[i].duck, err = best(runs, func() error {
			r, err := sqldb.QueryContext(ctx, q.sql)
			if err != nil {
				return err
			}
			defer r.Close()
			cols, _ := r.Columns()
			n := 0
			var last any
			for r.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for k := range vals {
					ptrs[k] = &vals[k]
				}
				if err := r.Scan(ptrs...); err != nil {
					return err
				}
				last = vals[len(vals)-1]
				n++
			}
			out = fmt.Sprintf("%d rows", n)
			if n == 1 {
				out = fmt.Sprint(last)
			}
			return r.Err()
		})
		if err != nil {
			return fmt.Errorf("duckdb %s: %w", q.name, err)
		}
		res[i].duckOut = out
		fmt.Fprintf(os.Stderr, "duckdb %-45s %v (%s)\n", q.name, res[i].duck, out)
	}

	fmt.Printf("%d rows, %d runs per query (best), GOMAXPROCS=%d, DuckDB threads=%d, %s\n\n", rows, runs, runtime.GOMAXPROCS(0), runtime.GOMAXPROCS(0), time.Now().UTC().Format("2006-01-02"))
	fmt.Println("| query | kqlkernel | DuckDB | ratio | result (engine / DuckDB) | engine peak heap |")
	fmt.Println("|---|---:|---:|---:|---|---:|")
	for i, q := range queries {
		r := res[i]
		fmt.Printf("| `%s` | %s | %s | %.1fx | %s / %s | %.2fx raw |\n", strings.ReplaceAll(q.kql, "|", "\\|"), ms2(r.eng), ms2(r.duck),
			float64(r.eng)/float64(r.duck), r.engOut, r.duckOut, float64(r.peak)/float64(raw))
	}
	fmt.Printf("\ninterrupt: `%s` cancelled 300 ms in returned after %.1f ms (%v)\n", queries[2].kql, float64(cancelLatency.Microseconds())/1000, cerr)
	fmt.Printf("\nraw column bytes (Arrow-style: 8 B per datetime, 4 B per int, string bytes + 4 B offset): %.0f MB; "+
		"Go heap holding the tables before the queries: %.0f MB (%.2fx raw)\n", float64(raw)/1e6, float64(baseHeap)/1e6, float64(baseHeap)/float64(raw))
	return nil
}

func ms2(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }

func appendTable(conn *duckdb.Connector, name string, t *table.Table) error {
	c, err := conn.Connect(context.Background())
	if err != nil {
		return err
	}
	defer c.Close()
	app, err := duckdb.NewAppenderFromConn(c, "", name)
	if err != nil {
		return err
	}
	row := make([]driver.Value, len(t.Columns))
	for r := 0; r < t.Rows(); r++ {
		for i, col := range t.Columns {
			switch v := col.Data.At(r).(type) {
			case table.DateTime:
				row[i] = v.Time()
			default:
				row[i] = v
			}
		}
		if err := app.AppendRow(row...); err != nil {
			return err
		}
	}
	return app.Close()
}
