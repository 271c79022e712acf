package workspace_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
	"github.com/kqlkernel/kqlkernel/workspace"
)

// TestDemoSchemas checks every generated table has exactly the reference page's columns and
// types (../shared/data/schemas), plus the documented extras.
func TestDemoSchemas(t *testing.T) {
	ws := demo(t)
	dir := filepath.Join(sharedDir(t), "data", "schemas")
	files, err := filepath.Glob(filepath.Join(dir, "*.tsv"))
	if err != nil || len(files) != 20 {
		t.Fatalf("schemas: %v %v", files, err)
	}
	extras := map[string]bool{"TenantId": true, "SourceSystem": true, "ResourceId": true, "MG": true}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".tsv")
		tb, ok := ws.Table(name)
		if !ok {
			_, err := ws.LoadTable(name)
			t.Errorf("table %s: %v", name, err)
			continue
		}
		want := readTSV(t, f)
		got := map[string]table.Type{}
		for _, c := range tb.Columns {
			got[c.Name] = c.Type
		}
		for col, typ := range want {
			if got[col] != typ {
				t.Errorf("%s.%s is %s, reference says %s", name, col, got[col], typ)
			}
		}
		for col := range got {
			if _, ok := want[col]; !ok && !extras[col] && !strings.HasSuffix(col, "_s") && !strings.HasSuffix(col, "_g") {
				t.Errorf("%s has column %s the reference does not", name, col)
			}
		}
		if tb.Rows() == 0 {
			t.Errorf("%s is empty", name)
		}
		if tb.Columns[0].Name != "TenantId" || tb.Columns[1].Name != "TimeGenerated" {
			t.Errorf("%s starts with %s, %s; want TenantId, TimeGenerated", name, tb.Columns[0].Name, tb.Columns[1].Name)
		}
	}
	if len(ws.TableNames()) != 20 {
		t.Errorf("%d tables: %v", len(ws.TableNames()), ws.TableNames())
	}
	for _, s := range ws.Schema() {
		if s.Description == "" || len(s.Columns) == 0 {
			t.Errorf("schema listing of %s: %+v", s.Name, s)
		}
	}
}

func readTSV(t *testing.T, path string) map[string]table.Type {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]table.Type{}
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		name, typ, _ := strings.Cut(sc.Text(), "\t")
		tt, ok := table.ParseType(typ)
		if !ok {
			t.Fatalf("%s: type %q", path, typ)
		}
		out[name] = tt
	}
	return out
}

// TestDemoWindowAndDeterminism: every timestamp is in the 14 days before Now, and the same
// seed and Now give the same data.
func TestDemoWindowAndDeterminism(t *testing.T) {
	a, b := demo(t), freshDemo(t)
	other, err := workspace.Demo(workspace.DemoOptions{Now: testNow, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	lo := table.FromTime(testNow.Add(-workspace.Days * 24 * time.Hour))
	hi := table.FromTime(testNow)
	for _, name := range a.TableNames() {
		ta, _ := a.Table(name)
		tb, _ := b.Table(name)
		if ta.Rows() != tb.Rows() {
			t.Errorf("%s: %d rows, then %d", name, ta.Rows(), tb.Rows())
			continue
		}
		tg := ta.Columns[ta.Index("TimeGenerated")].Data
		var first, last table.DateTime = hi, lo
		for r := range ta.Rows() {
			d, ok := tg.At(r).(table.DateTime)
			if !ok || d < lo || d > hi {
				t.Errorf("%s row %d: TimeGenerated %v outside the window", name, r, tg.At(r))
				break
			}
			first, last = min(first, d), max(last, d)
		}
		if name != "SecurityAlert" && name != "ThreatIntelligenceIndicator" && (first-lo > table.DateTime(table.Day) || hi-last > table.DateTime(table.Hour)) {
			t.Errorf("%s covers %v .. %v, want the whole window", name, first, last)
		}
		// Compare a sample of rows cell by cell.
		for r := 0; r < ta.Rows(); r += max(1, ta.Rows()/50) {
			for c := range ta.Columns {
				x, y := table.Format(ta.Columns[c].Data.At(r)), table.Format(tb.Columns[c].Data.At(r))
				if x != y {
					t.Fatalf("%s row %d %s differs between two builds: %q vs %q", name, r, ta.Columns[c].Name, x, y)
				}
			}
		}
	}
	sa, _ := a.Table("SecurityEvent")
	so, _ := other.Table("SecurityEvent")
	same := 0
	for r := range 100 {
		if table.Format(sa.Columns[1].Data.At(r)) == table.Format(so.Columns[1].Data.At(r)) {
			same++
		}
	}
	if same > 10 {
		t.Errorf("seed 7 gives the same timestamps as the default seed (%d of 100)", same)
	}
}

func TestDemoOptions(t *testing.T) {
	ws, err := workspace.Demo(workspace.DemoOptions{Now: testNow, SecurityEventRows: 5000, Scale: 0.1, Columns: "core"})
	if err != nil {
		t.Fatal(err)
	}
	se, _ := ws.Table("SecurityEvent")
	if se.Rows() != 5000 {
		t.Errorf("SecurityEvent has %d rows, want 5000", se.Rows())
	}
	if cl := se.Columns[se.Index("CommandLine")].Data; cl.Const {
		t.Error("core keeps CommandLine")
	}
	if lg := se.Columns[se.Index("LogonGuid")].Data; !lg.Const {
		t.Error("core drops LogonGuid")
	}
	sl, _ := ws.Table("SigninLogs")
	if sl.Rows() < 800 || sl.Rows() > 1100 {
		t.Errorf("Scale 0.1: SigninLogs has %d rows", sl.Rows())
	}
	// A tiny workspace still builds every table (the story is cut to fit).
	tiny, err := workspace.Demo(workspace.DemoOptions{Now: testNow, Scale: 0.0001})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range tiny.TableNames() {
		if _, err := tiny.LoadTable(name); err != nil {
			t.Errorf("Scale 0.0001: %s: %v", name, err)
		}
	}
	for _, bad := range []workspace.DemoOptions{{Scale: -1}, {SecurityEventRows: -5}, {Columns: "some"}} {
		if _, err := workspace.Demo(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	if _, ok := ws.Table("NoSuchTable"); ok {
		t.Error("unknown table found")
	}
}

// TestDemoStories: the attack leaves its traces in every table it crosses.
func TestDemoStories(t *testing.T) {
	ws := demo(t)
	cases := []struct{ name, query string }{
		{"RDP password spray", `SecurityEvent | where EventID == 4625 and IpAddress == "45.227.255.206" | summarize Accounts = dcount(TargetUserName) | where Accounts >= 10`},
		{"success after spray", `SecurityEvent | where EventID == 4624 and LogonType == 10 and IpAddress == "45.227.255.206"`},
		{"encoded PowerShell", `SecurityEvent | where EventID == 4688 and CommandLine has "-Enc" and Process == "powershell.exe"`},
		{"lsass dump", `SecurityEvent | where CommandLine has "comsvcs.dll" and CommandLine has "MiniDump"`},
		{"lsass handle", `SecurityEvent | where EventID == 4656 and ObjectName endswith "lsass.exe"`},
		{"new admin", `SecurityEvent | where EventID == 4720 | join kind=inner (SecurityEvent | where EventID == 4728) on $left.TargetSid == $right.MemberSid`},
		{"log cleared", `SecurityEvent | where EventID == 1102`},
		{"lockout", `SecurityEvent | where EventID == 4740`},
		{"AAD spray", `SigninLogs | where ResultType == "50126" | summarize Users = dcount(UserPrincipalName) by IPAddress | where Users >= 8`},
		{"impossible travel", `SigninLogs | where UserPrincipalName == "alice.wong@contoso.com" and ResultType == "0" | summarize Countries = dcount(Location) | where Countries >= 2`},
		{"location details", `SigninLogs | extend City = tostring(LocationDetails.city) | where City == "Moscow"`},
		{"role assignment", `AuditLogs | where OperationName == "Add member to role" | mv-expand TargetResources | where tostring(TargetResources.modifiedProperties) has "Global Administrator"`},
		{"alerts", `SecurityAlert | where AlertSeverity == "High" | extend E = parse_json(Entities) | mv-expand E | where tostring(E.Type) == "process"`},
		{"C2 beacon", `DeviceNetworkEvents | where RemoteIP == "185.220.101.47" | summarize count() | where count_ > 100`},
		{"C2 in TI", `ThreatIntelligenceIndicator | where NetworkIP == "185.220.101.47" | join kind=inner (CommonSecurityLog) on $left.NetworkIP == $right.DestinationIP`},
		{"DNS to C2", `DnsEvents | where Name == "cdn-update-check.net"`},
		{"inbox rule", `OfficeActivity | where Operation == "New-InboxRule" and Parameters has "ForwardTo"`},
		{"Defender process", `DeviceProcessEvents | where ProcessCommandLine has "comsvcs.dll"`},
		{"lsass access", `DeviceEvents | where ActionType == "OpenProcessApiCall" and FileName == "lsass.exe"`},
		{"service install", `Event | where EventID == 7045 and RenderedDescription has "PSEXESVC"`},
		{"ssh brute force", `Syslog | where SyslogMessage startswith "Failed password" | summarize count() by Computer`},
		{"web scan", `W3CIISLog | where scStatus == "404" and cIP == "45.227.255.206"`},
		{"missing heartbeat", `Heartbeat | summarize Last = max(TimeGenerated) by Computer | where Last < ago(1d)`},
		{"perf", `Perf | where CounterName == "% Processor Time" | summarize avg(CounterValue) by bin(TimeGenerated, 1h)`},
		{"azure activity", `AzureActivity | where OperationNameValue == "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE" and CallerIpAddress == "91.243.44.131"`},
		{"key vault", `AzureDiagnostics | where ResourceType == "VAULTS" and OperationName == "SecretGet"`},
		{"file events", `DeviceFileEvents | where FileName == "debug.dmp"`},
		{"non-interactive", `AADNonInteractiveUserSignInLogs | where IPAddress == "91.243.44.131"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if tb := run(t, ws, c.query); tb.Rows() == 0 {
				t.Errorf("no rows: %s", c.query)
			}
		})
	}
}
