// Command workspace measures how long the demo workspace takes to generate and how much
// memory it holds: the default workspace (every table) and a SecurityEvent of -rows rows.
//
//	go run ./bench/workspace                 # default workspace, then 10M SecurityEvent rows
//	go run ./bench/workspace -rows 1000000
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/kqlkernel/kqlkernel/workspace"
)

func main() {
	rows := flag.Int("rows", 10_000_000, "SecurityEvent rows for the large run (0 skips it)")
	skipDefault := flag.Bool("skip-default", false, "skip the default workspace")
	columns := flag.String("columns", "core", "SecurityEvent columns for the large run: all or core")
	flag.Parse()
	now := time.Now()
	fmt.Printf("go %s, %s/%s, GOMAXPROCS=%d, %s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), now.UTC().Format(time.RFC3339))
	if !*skipDefault {
		base := liveHeap()
		cpu0 := cpuTime()
		start := time.Now()
		ws, err := workspace.Demo(workspace.DemoOptions{Now: now})
		if err != nil {
			fail(err)
		}
		total := 0
		for _, name := range ws.TableNames() {
			t0 := time.Now()
			t, err := ws.LoadTable(name)
			if err != nil {
				fail(err)
			}
			total += t.Rows()
			fmt.Printf("  %-32s %9d rows %10s\n", name, t.Rows(), time.Since(t0).Round(time.Microsecond))
		}
		el := time.Since(start)
		cpu := cpuTime() - cpu0
		heap := liveHeap() - base
		fmt.Printf("default workspace: %d tables, %d rows, generated in %s (CPU %s), live heap %.1f MB\n", len(ws.TableNames()), total, el.Round(time.Millisecond), cpu.Round(time.Millisecond), mb(heap))
		t0 := time.Now()
		ws2, _ := workspace.Demo(workspace.DemoOptions{Now: now})
		if _, err := ws2.LoadTable("SecurityEvent"); err != nil {
			fail(err)
		}
		fmt.Printf("default SecurityEvent alone (first query's cost): %s\n", time.Since(t0).Round(time.Millisecond))
		runtime.KeepAlive(ws)
		runtime.KeepAlive(ws2)
	}
	if *rows > 0 {
		debug.FreeOSMemory()
		base := liveHeap()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		alloc0 := ms.TotalAlloc
		cpu0 := cpuTime()
		start := time.Now()
		ws, err := workspace.Demo(workspace.DemoOptions{Now: now, SecurityEventRows: *rows, Columns: *columns})
		if err != nil {
			fail(err)
		}
		t, err := ws.LoadTable("SecurityEvent")
		if err != nil {
			fail(err)
		}
		el := time.Since(start)
		cpu := cpuTime() - cpu0
		runtime.ReadMemStats(&ms)
		heap := liveHeap() - base
		raw := rawBytes(t)
		fmt.Printf("SecurityEvent %d rows (columns=%s): generated in %s (CPU %s, %.0f ns/row of wall time), live heap %.1f MB (%.0f B/row), column payload %.1f MB, allocated %.1f MB, peak sys %.1f MB\n",
			t.Rows(), *columns, el.Round(time.Millisecond), cpu.Round(time.Millisecond), float64(el.Nanoseconds())/float64(t.Rows()), mb(heap), float64(heap)/float64(t.Rows()), mb(raw), mb(ms.TotalAlloc-alloc0), mb(ms.Sys))
		runtime.KeepAlive(t)
	}
}

// rawBytes is the size of the column arrays (string headers, not the shared string data).
func rawBytes(t *table.Table) uint64 {
	var n uint64
	for _, c := range t.Columns {
		v := c.Data
		n += uint64(len(v.Ints)*8 + len(v.Reals)*8 + len(v.Strs)*16 + len(v.Bools) + len(v.Dyns)*16)
	}
	return n
}

// cpuTime is the process's user+system CPU time: on a shared machine it says more than the
// wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
