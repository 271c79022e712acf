package workspace

import (
	"math/rand/v2"
	"sort"

	"github.com/kqlkernel/kqlkernel/table"
)

// generators build each table of the demo workspace.
var generators = map[string]genFunc{
	"SecurityEvent":                   genSecurityEvent,
	"SecurityAlert":                   genSecurityAlert,
	"SigninLogs":                      genSigninLogs,
	"AADNonInteractiveUserSignInLogs": genAADNonInteractive,
	"AuditLogs":                       genAuditLogs,
	"Syslog":                          genSyslog,
	"CommonSecurityLog":               genCommonSecurityLog,
	"Heartbeat":                       genHeartbeat,
	"OfficeActivity":                  genOfficeActivity,
	"AzureActivity":                   genAzureActivity,
	"AzureDiagnostics":                genAzureDiagnostics,
	"DnsEvents":                       genDnsEvents,
	"W3CIISLog":                       genW3CIISLog,
	"ThreatIntelligenceIndicator":     genThreatIntelligence,
	"DeviceProcessEvents":             genDeviceProcessEvents,
	"DeviceNetworkEvents":             genDeviceNetworkEvents,
	"DeviceFileEvents":                genDeviceFileEvents,
	"DeviceEvents":                    genDeviceEvents,
	"Event":                           genEvent,
	"Perf":                            genPerf,
}

// row writes one row of a table by column name. It suits the smaller tables; SecurityEvent,
// which must reach 10M rows, holds its columns directly.
type row struct {
	b     *builder
	i     int
	rng   *rand.Rand
	in    interner
	cache map[string]any // per-table memo of values that repeat (shared dynamic values)
}

// The setters skip columns the table does not have: helpers such as fillSignin serve tables
// whose schemas differ slightly. A column used with the wrong type is still an error.
func (r row) s(name, v string)                { r.b.str(name).S(r.i, v) }
func (r row) g(name, v string)                { r.b.guid(name).S(r.i, v) }
func (r row) n32(name string, v int64)        { r.b.i32(name).I(r.i, v) }
func (r row) n64(name string, v int64)        { r.b.i64(name).I(r.i, v) }
func (r row) f(name string, v float64)        { r.b.real(name).R(r.i, v) }
func (r row) t(name string, v table.DateTime) { r.b.dt(name).T(r.i, v) }
func (r row) bo(name string, v bool)          { r.b.boolc(name).B(r.i, v) }
func (r row) d(name string, v any)            { r.b.dyn(name).D(r.i, v) }
func (r row) has(name string) bool            { _, ok := r.b.idx[name]; return ok }

// stamped is a story row: its time and how to fill it.
type stamped struct {
	t    table.DateTime
	fill func(r row, t table.DateTime)
}

// timedTable builds a table of n background rows spread over the window with the given
// rhythm, plus the story rows, filling the columns every Azure Monitor table has.
func timedTable(w *world, name string, schema table.Schema, n int, rh rhythm, background func(r row, t table.DateTime), story []stamped) (*builder, error) {
	counts := spread(n, hourWeights(w.startTime, rh, newRand(w.seed, name+"/rhythm", 0)))
	sort.SliceStable(story, func(a, b int) bool { return story[a].t < story[b].t })
	byHour := make([][]stamped, hours)
	for _, s := range story {
		if s.t < w.start || s.t > w.now {
			continue
		}
		k := w.hourOf(s.t)
		byHour[k] = append(byHour[k], s)
	}
	total := 0
	for k := range hours {
		total += counts[k] + len(byHour[k])
	}
	b := newBuilder(name, schema, total)
	b.lenient = true
	in := interner{}
	cache := map[string]any{}
	i := 0
	for k := range hours {
		rng := newRand(w.seed, name, uint64(k))
		for range counts[k] {
			t := w.timeIn(rng, k)
			r := row{b, i, rng, in, cache}
			w.fillStandard(r, name, t)
			background(r, t)
			i++
		}
		for _, s := range byHour[k] {
			r := row{b, i, rng, in, cache}
			w.fillStandard(r, name, s.t)
			s.fill(r, s.t)
			i++
		}
	}
	return b, nil
}

// fillStandard sets the columns Log Analytics adds to every table.
func (w *world) fillStandard(r row, name string, t table.DateTime) {
	r.t("TimeGenerated", t)
	r.s("Type", name)
	if r.has("TenantId") {
		r.s("TenantId", w.tenant)
	}
	if r.has("_BilledSize") {
		r.f("_BilledSize", float64(400+r.rng.IntN(2000)))
	}
	if r.has("_IsBillable") {
		r.s("_IsBillable", "True")
	}
	if r.has("_SubscriptionId") {
		r.s("_SubscriptionId", w.subscription)
	}
}

// hostColumns fills the columns that name the machine a row came from.
func (w *world) hostColumns(r row, h *host) {
	if r.has("Computer") {
		r.s("Computer", h.name)
	}
	if r.has("_ResourceId") {
		r.s("_ResourceId", h.resourceID)
	}
	if r.has("ManagementGroupName") {
		r.s("ManagementGroupName", w.mg)
	}
}
