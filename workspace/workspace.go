package workspace

import (
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

// DemoOptions sets up a generated workspace.
type DemoOptions struct {
	// Now is the end of the 14-day window the data covers; zero means time.Now().
	Now time.Time
	// Seed fixes the data; the same seed and Now give the same tables. Zero means DefaultSeed.
	Seed uint64
	// Scale multiplies every table's default row count; zero means 1.
	Scale float64
	// SecurityEventRows, when positive, sets the SecurityEvent row count exactly (the
	// benchmark size is 10,000,000).
	SecurityEventRows int
	// Columns chooses which SecurityEvent columns get data: "all" fills every column real
	// events fill (about 80 of 228); "core" fills the two dozen that queries use most
	// (Account, Computer, CommandLine, ...) and leaves the rest empty, for 10M-row
	// benchmarks (a string cell costs 16 bytes however much the text is shared: "all" at 10M
	// rows would take 13 GB). "" means "all" up to 2M rows and "core" beyond.
	Columns string
}

// DefaultSeed is the seed used when DemoOptions.Seed is zero.
const DefaultSeed = 20200904

// defaultRows is each generated table's size at Scale 1: big enough for charts, small enough
// that the whole workspace generates in well under a second.
var defaultRows = map[string]int{
	"SecurityEvent":                   120000,
	"SecurityAlert":                   0, // fixed by the stories and the alert catalogue
	"SigninLogs":                      9000,
	"AADNonInteractiveUserSignInLogs": 16000,
	"AuditLogs":                       2500,
	"Syslog":                          24000,
	"CommonSecurityLog":               20000,
	"Heartbeat":                       0, // one row per machine per minute
	"OfficeActivity":                  6000,
	"AzureActivity":                   3000,
	"AzureDiagnostics":                6000,
	"DnsEvents":                       20000,
	"W3CIISLog":                       16000,
	"ThreatIntelligenceIndicator":     400,
	"DeviceProcessEvents":             20000,
	"DeviceNetworkEvents":             20000,
	"DeviceFileEvents":                10000,
	"DeviceEvents":                    6000,
	"Event":                           10000,
	"Perf":                            0, // one row per counter per machine per 10 minutes
}

// Workspace is a set of named tables. It satisfies the engine's Database interface.
type Workspace struct {
	schemas map[string]table.Schema
	mu      sync.Mutex
	tables  map[string]*lazyTable
	names   []string
}

type lazyTable struct {
	once  sync.Once
	build func() (*table.Table, error)
	t     *table.Table
	err   error
}

// Demo returns the generated workspace. Tables are generated on first use.
func Demo(opts DemoOptions) (*Workspace, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if opts.Scale == 0 {
		opts.Scale = 1
	}
	if opts.Scale < 0 || math.IsNaN(opts.Scale) || math.IsInf(opts.Scale, 0) {
		return nil, fmt.Errorf("workspace: scale must be a positive number, got %v", opts.Scale)
	}
	if opts.Columns != "" && opts.Columns != "all" && opts.Columns != "core" {
		return nil, fmt.Errorf("workspace: Columns must be \"all\" or \"core\", got %q", opts.Columns)
	}
	if opts.SecurityEventRows < 0 {
		return nil, fmt.Errorf("workspace: SecurityEventRows must not be negative, got %d", opts.SecurityEventRows)
	}
	if opts.Columns == "" && opts.SecurityEventRows > 2_000_000 {
		opts.Columns = "core"
	}
	schemas, err := loadSchemas()
	if err != nil {
		return nil, err
	}
	ws := &Workspace{schemas: schemas, tables: map[string]*lazyTable{}}
	var wld *world
	var wonce sync.Once
	getWorld := func() *world {
		wonce.Do(func() { wld = newWorld(opts.Seed, opts.Now) })
		return wld
	}
	for name := range schemas {
		gen, ok := generators[name]
		if !ok {
			return nil, fmt.Errorf("workspace: no generator for table %s", name)
		}
		n := int(math.Round(float64(defaultRows[name]) * opts.Scale))
		if name == "SecurityEvent" && opts.SecurityEventRows > 0 {
			n = opts.SecurityEventRows
		}
		schema := schemas[name]
		ws.add(name, func() (t *table.Table, err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("workspace: generating %s failed: %v", name, r)
				}
			}()
			wld := getWorld()
			if name == "SecurityEvent" && opts.Columns == "core" {
				return genSecurityEventCore(wld, schema, n)
			}
			b, err := gen(wld, schema, n, opts.Scale)
			if err != nil {
				return nil, err
			}
			return b.finish()
		})
	}
	return ws, nil
}

func (w *Workspace) add(name string, build func() (*table.Table, error)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.tables[name]; !ok {
		w.names = append(w.names, name)
		sort.Strings(w.names)
	}
	w.tables[name] = &lazyTable{build: build}
}

// Table returns the table called name (case-sensitive, as in Kusto), building it if needed.
// A table that fails to build is reported as missing; LoadTable gives the reason.
func (w *Workspace) Table(name string) (*table.Table, bool) {
	t, err := w.LoadTable(name)
	return t, err == nil
}

// LoadTable returns the table called name, or why it cannot.
func (w *Workspace) LoadTable(name string) (*table.Table, error) {
	w.mu.Lock()
	lt, ok := w.tables[name]
	w.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("workspace: no table named %q", name)
	}
	lt.once.Do(func() { lt.t, lt.err = lt.build() })
	return lt.t, lt.err
}

// TableNames lists the tables, sorted.
func (w *Workspace) TableNames() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string{}, w.names...)
}

// Schema describes every table (names, columns, types, descriptions) without generating any
// data, for completion and inspection.
func (w *Workspace) Schema() []TableSchema {
	out := []TableSchema{}
	for _, name := range w.TableNames() {
		w.mu.Lock()
		s, ok := w.schemas[name]
		w.mu.Unlock()
		if ok {
			out = append(out, describe(name, s))
			continue
		}
		t, err := w.LoadTable(name)
		if err != nil {
			continue
		}
		out = append(out, describe(name, t.Schema()))
	}
	return out
}

// Add puts a ready table into the workspace under its own name, replacing any table of that
// name.
func (w *Workspace) Add(t *table.Table) {
	w.add(t.Name, func() (*table.Table, error) { return t, nil })
	w.mu.Lock()
	delete(w.schemas, t.Name)
	w.mu.Unlock()
}

// genFunc fills a builder for one table of about n rows (scale is the workspace's Scale, for
// tables sized by the world rather than by n).
type genFunc func(w *world, schema table.Schema, n int, scale float64) (*builder, error)
