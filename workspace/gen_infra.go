package workspace

import (
	"encoding/xml"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

type syslogMsg struct {
	facility, severity, process, text string
	w                                 float64
}

var syslogMix = []syslogMsg{
	{"authpriv", "info", "sshd", "Failed password for invalid user %NAME% from %EXT% port %PORT% ssh2", 18},
	{"authpriv", "info", "sshd", "Invalid user %NAME% from %EXT% port %PORT%", 10},
	{"authpriv", "info", "sshd", "Connection closed by invalid user %NAME% %EXT% port %PORT% [preauth]", 8},
	{"authpriv", "info", "sshd", "Accepted publickey for azureuser from 10.0.1.4 port %PORT% ssh2: RSA SHA256:Zk3Qw5b1XwVb6o7kq0Hq4sYl7tq2m1b9C8Q9f3aJk2E", 3},
	{"authpriv", "info", "sshd", "pam_unix(sshd:session): session opened for user azureuser by (uid=0)", 3},
	{"authpriv", "notice", "sudo", "azureuser : TTY=pts/0 ; PWD=/home/azureuser ; USER=root ; COMMAND=/usr/bin/apt-get update", 2},
	{"authpriv", "info", "sudo", "pam_unix(sudo:session): session opened for user root by (uid=0)", 6},
	{"authpriv", "info", "sudo", "pam_unix(sudo:session): session closed for user root", 6},
	{"authpriv", "notice", "sudo", "omsagent : TTY=unknown   PWD=/   USER=root   COMMAND=/opt/microsoft/omsagent/ruby/bin/ruby /opt/microsoft/omsagent/plugin/tailfilereader.rb /var/log/ufw.log", 6},
	{"cron", "info", "CRON", "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)", 8},
	{"cron", "info", "CRON", "pam_unix(cron:session): session opened for user root by (uid=0)", 4},
	{"daemon", "info", "systemd", "Started Session %PORT% of user azureuser.", 3},
	{"daemon", "info", "systemd", "Starting Daily apt download activities...", 1},
	{"daemon", "warning", "dockerd", `time="2024-01-01T00:00:00Z" level=warning msg="failed to retrieve runc version: unknown output format"`, 1},
	{"kern", "warning", "kernel", "[UFW BLOCK] IN=eth0 OUT= MAC=00:0d:3a:1b:2c:3d:12:34:56:78:9a:bc:08:00 SRC=%EXT% DST=10.0.1.4 LEN=40 TOS=0x00 PREC=0x00 TTL=241 ID=54321 PROTO=TCP SPT=%PORT% DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0", 8},
	{"syslog", "info", "rsyslogd", "[origin software=\"rsyslogd\" swVersion=\"8.2001.0\" x-pid=\"812\" x-info=\"https://www.rsyslog.com\"] rsyslogd was HUPed", 0.5},
	{"user", "err", "omsagent", "Failed to connect to the OMS endpoint: connection timed out", 0.3},
	{"local0", "info", "squid", "1700000000.123    112 10.0.2.15 TCP_TUNNEL/200 6612 CONNECT login.microsoftonline.com:443 - HIER_DIRECT/20.190.151.7 -", 4},
}

func genSyslog(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	ws := make([]float64, len(syslogMix))
	for i, m := range syslogMix {
		ws[i] = m.w
	}
	mix := newWeighted(syslogMix, ws)
	names := []string{"admin", "test", "oracle", "ubuntu", "user", "postgres", "git", "pi", "ftpuser", "support"}
	// Every day one scanner hammers the bastion with the same user name for an hour.
	var story []stamped
	bastion := w.hostNamed("bastion-01")
	srng := newRand(w.seed, "Syslog/bursts", 0)
	for d := range Days {
		ip := externalIPs[1+srng.IntN(len(externalIPs)-1)]
		name := one(srng, []string{"admin", "root", "oracle", "ubuntu"})
		start := w.start + table.DateTime(int64(d)*int64(table.Day)) + table.DateTime(srng.Int64N(int64(20*table.Hour)))
		for j := range 20 + srng.IntN(30) {
			story = append(story, stamped{start + table.DateTime(j)*table.DateTime(70*table.Second), func(r row, t table.DateTime) {
				w.hostColumns(r, bastion)
				r.s("SourceSystem", "Linux")
				r.s("MG", "00000000-0000-0000-0000-000000000002")
				r.t("EventTime", t)
				r.s("Facility", "authpriv")
				r.s("SeverityLevel", "info")
				r.s("SyslogMessage", r.in.s(fmt.Sprintf("Failed password for invalid user %s from %s port %d ssh2", name, ip, 30000+r.rng.IntN(30000))))
				r.s("ProcessName", "sshd")
				r.n32("ProcessID", int64(20000+j))
				r.s("HostName", bastion.name)
				r.s("HostIP", bastion.ip)
				r.s("CollectorHostName", bastion.name)
			}})
		}
	}
	return timedTable(w, "Syslog", schema, n, machine, func(r row, t table.DateTime) {
		m := mix.pick(r.rng)
		h := w.linux[r.rng.IntN(len(w.linux))]
		if m.process == "sshd" && strings.Contains(m.text, "%EXT%") {
			h = w.hostNamed("bastion-01")
		}
		if m.process == "squid" {
			h = w.hostNamed("squid-uk-02")
		}
		text := m.text
		if strings.Contains(text, "%") {
			text = strings.NewReplacer("%NAME%", one(r.rng, names), "%EXT%", one(r.rng, externalIPs), "%PORT%", fmt.Sprint(1024+r.rng.IntN(60000))).Replace(text)
		}
		w.hostColumns(r, h)
		r.s("SourceSystem", "Linux")
		r.s("MG", "00000000-0000-0000-0000-000000000002")
		r.t("EventTime", t)
		r.s("Facility", m.facility)
		r.s("SeverityLevel", m.severity)
		r.s("SyslogMessage", text)
		r.s("ProcessName", m.process)
		r.n32("ProcessID", int64(300+r.rng.IntN(30000)))
		r.s("HostName", h.name)
		r.s("HostIP", h.ip)
		r.s("CollectorHostName", h.name)
	}, story)
}

func genCommonSecurityLog(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	tl := w.timeline()
	web := w.hostNamed("WEB01")
	var story []stamped
	for t := tl.c2Start; t < tl.c2End; t += table.DateTime(5*table.Minute) + table.DateTime(int64(t)%int64(40*table.Second)) {
		story = append(story, stamped{t, func(r row, t table.DateTime) {
			w.fillCEF(r, "allow", web.ip, w.attacker.c2IP, 443, "ssl", int64(800+r.rng.IntN(400)), int64(1200+r.rng.IntN(4000)))
			r.s("MaliciousIP", w.attacker.c2IP)
			r.s("MaliciousIPCountry", "Germany")
			r.f("MaliciousIPLatitude", 50.11)
			r.f("MaliciousIPLongitude", 8.68)
			r.s("ThreatDescription", "Botnet command and control")
			r.s("IndicatorThreatType", "Botnet")
			r.s("ThreatConfidence", "High")
			r.s("DestinationHostName", w.attacker.c2Domain)
			r.s("RequestURL", "https://"+w.attacker.c2Domain+"/api/v2/beacon")
		}})
	}
	for j := range 60 {
		story = append(story, stamped{tl.rdpSpray + table.DateTime(j)*table.DateTime(45*table.Second), func(r row, t table.DateTime) {
			w.fillCEF(r, "allow", w.attacker.sprayIP, web.publicIP, 3389, "ms-rdp", 2400, 5200)
		}})
	}
	apps := []struct {
		app  string
		port int64
		dst  string
	}{{"ssl", 443, "52.96.165.130"}, {"web-browsing", 80, "93.184.216.34"}, {"dns", 53, "168.63.129.16"}, {"ssl", 443, "13.107.136.9"},
		{"ssl", 443, "142.250.64.100"}, {"ntp", 123, "40.119.6.228"}, {"ms-office365", 443, "52.113.194.132"}, {"smtp", 25, "104.47.58.33"}}
	return timedTable(w, "CommonSecurityLog", schema, n, business, func(r row, t table.DateTime) {
		if r.rng.IntN(5) == 0 {
			// Inbound scans, denied.
			w.fillCEF(r, "deny", one(r.rng, externalIPs), one(r.rng, w.windows).publicIP, one(r.rng, []int64{22, 23, 445, 1433, 3389, 5900, 8080}), "incomplete", 60, 0)
			return
		}
		h := w.hosts[r.rng.IntN(len(w.hosts))]
		a := apps[r.rng.IntN(len(apps))]
		w.fillCEF(r, "allow", h.ip, a.dst, a.port, a.app, int64(200+r.rng.IntN(20000)), int64(500+r.rng.IntN(200000)))
	}, story)
}

func (w *world) fillCEF(r row, action, src, dst string, port int64, app string, sent, recv int64) {
	paloAlto := r.rng.IntN(10) < 7
	if paloAlto {
		r.s("DeviceVendor", "Palo Alto Networks")
		r.s("DeviceProduct", "PAN-OS")
		r.s("DeviceVersion", "10.1.6")
		r.s("DeviceName", "PA-FW01")
		r.s("DeviceEventClassID", "TRAFFIC")
		r.s("Activity", "TRAFFIC")
		r.s("DeviceAction", action)
	} else {
		r.s("DeviceVendor", "Fortinet")
		r.s("DeviceProduct", "Fortigate")
		r.s("DeviceVersion", "7.0.12")
		r.s("DeviceName", "FGT-EDGE-02")
		r.s("DeviceEventClassID", "0000000013")
		r.s("Activity", "traffic:forward "+map[string]string{"allow": "accept", "deny": "deny"}[action])
		r.s("DeviceAction", map[string]string{"allow": "accept", "deny": "deny"}[action])
	}
	r.s("SimplifiedDeviceAction", map[string]string{"allow": "Allow", "deny": "Deny"}[action])
	r.s("LogSeverity", map[string]string{"allow": "1", "deny": "3"}[action])
	r.s("Computer", "cef-collector-01")
	r.s("SourceSystem", "OpsManager")
	r.s("SourceIP", src)
	r.s("DestinationIP", dst)
	r.n32("SourcePort", int64(1024+r.rng.IntN(60000)))
	r.n32("DestinationPort", port)
	proto := "TCP"
	if port == 53 || port == 123 {
		proto = "UDP"
	}
	r.s("Protocol", proto)
	r.s("ApplicationProtocol", app)
	r.n64("SentBytes", sent)
	r.n64("ReceivedBytes", recv)
	r.s("DeviceInboundInterface", "ethernet1/1")
	r.s("DeviceOutboundInterface", "ethernet1/2")
	r.s("CommunicationDirection", map[bool]string{true: "Outbound", false: "Inbound"}[strings.HasPrefix(src, "10.")])
	r.n32("EventCount", 1)
	r.s("AdditionalExtensions", "PanOSSessionID=4519876;PanOSRuleName=allow-outbound-web;PanOSSourceZone=trust;PanOSDestinationZone=untrust")
}

// genHeartbeat writes one row per machine per minute; k8s-node-03 stops 30 hours ago.
func genHeartbeat(w *world, schema table.Schema, _ int, scale float64) (*builder, error) {
	step := time.Minute
	if scale < 1 {
		step = time.Duration(float64(time.Minute) / math.Max(scale, 0.01))
	}
	perHost := int(Days * 24 * time.Hour / step)
	stopped := w.hostNamed("k8s-node-03")
	stopAt := w.ago(30 * time.Hour)
	n := 0
	for _, h := range w.hosts {
		for k := range perHost {
			t := w.start + table.DateTime(int64(k)*int64(table.FromDuration(step)))
			if h == stopped && t > stopAt {
				break
			}
			n++
		}
	}
	b := newBuilder("Heartbeat", schema, n)
	c := map[string]*column{}
	for _, cs := range schema {
		switch cs.Type {
		case table.TypeString:
			c[cs.Name] = b.str(cs.Name)
		}
	}
	// What every machine reports the same is Const (free at any size).
	for name, v := range map[string]string{
		"TenantId": w.tenant, "SourceSystem": "OpsManager", "Category": "Direct Agent", "SCAgentChannel": "Direct",
		"RemoteIPCountry": "United States", "SubscriptionId": w.subscription, "_SubscriptionId": w.subscription,
		"ResourceProvider": "Microsoft.Compute", "ResourceType": "virtualMachines", "ComputerEnvironment": "Azure",
		"Solutions": `"security", "changeTracking", "securityCenterFree", "securityInsights", "serviceMap"`,
		"Type":      "Heartbeat", "ManagementGroupName": w.mg, "_IsBillable": "False",
	} {
		b.constant(name, table.TypeString, v)
	}
	b.constant("IsGatewayInstalled", table.TypeBool, false)
	b.constant("RemoteIPLatitude", table.TypeReal, 47.6)
	b.constant("RemoteIPLongitude", table.TypeReal, -122.3)
	b.constant("_BilledSize", table.TypeReal, 1500.0)
	tg := b.dt("TimeGenerated")
	ips := b.dyn("ComputerPrivateIPs")
	rng := newRand(w.seed, "Heartbeat", 0)
	i := 0
	for _, h := range w.hosts {
		osType, osMaj, osMin, version := "Windows", "10", "0", "10.20.18067.0"
		if h.role == "linux" {
			osType, osMaj, osMin, version = "Linux", strings.Fields(h.os)[1][:2], "04", "1.14.23-0"
		}
		privIPs := []any{h.ip}
		type cv struct {
			c *column
			v string
		}
		var vals []cv
		for name, v := range map[string]string{
			"Computer": h.name, "ComputerIP": h.publicIP, "OSType": osType, "OSName": h.os, "OSMajorVersion": osMaj,
			"OSMinorVersion": osMin, "Version": version, "Resource": strings.ToLower(h.short),
			"ResourceId": h.resourceID, "_ResourceId": h.resourceID, "VMUUID": h.vmUUID, "ResourceGroup": resourceGroupOf(h),
		} {
			if col := c[name]; col != nil {
				vals = append(vals, cv{col, v})
			}
		}
		for k := range perHost {
			t := w.start + table.DateTime(int64(k)*int64(table.FromDuration(step)))
			if h == stopped && t > stopAt {
				break
			}
			t += table.DateTime(rng.Int64N(int64(20 * table.Second)))
			tg.T(i, t)
			ips.D(i, privIPs)
			for _, x := range vals {
				x.c.S(i, x.v)
			}
			i++
		}
	}
	return b, nil
}

func resourceGroupOf(h *host) string {
	if h.role == "workstation" {
		return "contoso-vdi-rg"
	}
	return "contoso-prod-rg"
}

type counter struct {
	object, name, instance string
	base, amp, noise       float64
	linux                  bool
}

var counters = []counter{
	{"Processor", "% Processor Time", "_Total", 18, 22, 6, false},
	{"Memory", "Available MBytes", "", 6200, -1800, 250, false},
	{"LogicalDisk", "% Free Space", "C:", 41, -1, 0.3, false},
	{"LogicalDisk", "Disk Reads/sec", "_Total", 12, 25, 8, false},
	{"Network Adapter", "Bytes Total/sec", "Microsoft Hyper-V Network Adapter", 180000, 220000, 40000, false},
	{"Processor", "% Processor Time", "_Total", 9, 14, 4, true},
	{"Memory", "Available MBytes Memory", "Memory", 2900, -900, 120, true},
	{"Logical Disk", "% Used Space", "/", 57, 1, 0.4, true},
}

// genPerf writes a sample of each counter every 10 minutes on every machine.
func genPerf(w *world, schema table.Schema, _ int, scale float64) (*builder, error) {
	step := time.Duration(float64(10*time.Minute) / math.Max(scale, 0.01))
	if step < time.Minute {
		step = time.Minute
	}
	perHost := int(Days * 24 * time.Hour / step)
	n := 0
	for _, h := range w.hosts {
		for _, ct := range counters {
			if ct.linux == (h.role == "linux") {
				n += perHost
			}
		}
	}
	b := newBuilder("Perf", schema, n)
	b.constant("TenantId", table.TypeString, w.tenant)
	b.constant("Type", table.TypeString, "Perf")
	b.constant("_IsBillable", table.TypeString, "True")
	b.constant("_SubscriptionId", table.TypeString, w.subscription)
	b.constant("_BilledSize", table.TypeReal, 300.0)
	tg, val := b.dt("TimeGenerated"), b.real("CounterValue")
	s := func(name string) *column { return b.str(name) }
	comp, obj, cname, inst, path, rid := s("Computer"), s("ObjectName"), s("CounterName"), s("InstanceName"), s("CounterPath"), s("_ResourceId")
	ss := s("SourceSystem")
	rng := newRand(w.seed, "Perf", 0)
	hw := hourWeights(w.startTime, business, newRand(w.seed, "Perf/rhythm", 0))
	i := 0
	for hi, h := range w.hosts {
		for _, ct := range counters {
			if ct.linux != (h.role == "linux") {
				continue
			}
			p := `\\` + h.name + `\` + ct.object + `(` + ct.instance + `)\` + ct.name
			if ct.instance == "" {
				p = `\\` + h.name + `\` + ct.object + `\` + ct.name
			}
			for k := range perHost {
				t := w.start + table.DateTime(int64(k)*int64(table.FromDuration(step)))
				load := hw[min(hours-1, int(t-w.start)/int(table.Hour))]
				v := ct.base + ct.amp*load + ct.noise*rng.NormFloat64()
				if ct.name == "% Free Space" {
					v = ct.base - float64(hi) - 3*float64(k)/float64(perHost)
				}
				if h.short == "SQL01" && ct.name == "% Processor Time" && k%1440 > 1300 {
					v += 45 // nightly index rebuild
				}
				if v < 0 {
					v = 0
				}
				if strings.HasPrefix(ct.name, "%") && v > 100 {
					v = 100
				}
				tg.T(i, t)
				val.R(i, math.Round(v*1000)/1000)
				comp.S(i, h.name)
				obj.S(i, ct.object)
				cname.S(i, ct.name)
				inst.S(i, ct.instance)
				path.S(i, p)
				rid.S(i, h.resourceID)
				ss.S(i, map[bool]string{true: "Linux", false: "OpsManager"}[ct.linux])
				i++
			}
		}
	}
	return b, nil
}

type winEvent struct {
	log, source string
	id          int64
	level       string
	text        string
	w           float64
}

var winEvents = []winEvent{
	{"System", "Service Control Manager", 7036, "Information", "The Windows Update service entered the running state.", 20},
	{"System", "Service Control Manager", 7036, "Information", "The Windows Modules Installer service entered the stopped state.", 12},
	{"System", "Service Control Manager", 7040, "Information", "The start type of the Background Intelligent Transfer Service service was changed from auto start to demand start.", 4},
	{"System", "Microsoft-Windows-Kernel-General", 16, "Information", "The access history in hive \\??\\C:\\Users\\svc_sql\\ntuser.dat was cleared updating 12 keys and creating 2 modified pages.", 6},
	{"System", "Microsoft-Windows-Time-Service", 35, "Information", "The time service is now synchronizing the system time with the time source DC01.contoso.com (ntp.d|10.0.1.4:123->10.0.1.7:123).", 5},
	{"System", "EventLog", 6013, "Information", "The system uptime is 864231 seconds.", 2},
	{"System", "Microsoft-Windows-GroupPolicy", 1500, "Information", "The Group Policy settings for the computer were processed successfully. There were no changes detected since the last successful processing of Group Policy.", 10},
	{"System", "Microsoft-Windows-DistributedCOM", 10016, "Warning", "The application-specific permission settings do not grant Local Activation permission for the COM Server application with CLSID {2593F8B9-4EAF-457C-B68A-50F6B8EA6B54} to the user NT AUTHORITY\\SYSTEM.", 8},
	{"Application", "MSSQLSERVER", 17137, "Information", "Starting up database 'tempdb'.", 2},
	{"Application", "Microsoft-Windows-Security-SPP", 16384, "Information", "Successfully scheduled Software Protection service for re-start at 2124-01-01T00:00:00Z. Reason: RulesEngine.", 8},
	{"Application", "Application Error", 1000, "Error", "Faulting application name: w3wp.exe, version: 10.0.17763.1, faulting module name: KERNELBASE.dll, exception code: 0xe0434352.", 1},
	{"Application", "MsiInstaller", 1033, "Information", "Windows Installer installed the product. Product Name: Microsoft Monitoring Agent. Product Version: 10.20.18067.0. Installation success or error status: 0.", 0.5},
	{"Application", "Microsoft-Windows-Defender", 1150, "Information", "Endpoint Protection client is up and running in a healthy state.", 4},
}

func genEvent(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	ws := make([]float64, len(winEvents))
	for i, e := range winEvents {
		ws[i] = e.w
	}
	mix := newWeighted(winEvents, ws)
	tl := w.timeline()
	fs := w.hostNamed("FS01")
	levels := map[string]int64{"Error": 1, "Warning": 2, "Information": 4}
	fill := func(r row, h *host, e winEvent) {
		w.hostColumns(r, h)
		r.s("SourceSystem", "OpsManager")
		r.s("EventLog", e.log)
		r.s("Source", e.source)
		r.n32("EventID", e.id)
		r.n32("EventLevel", levels[e.level])
		r.s("EventLevelName", e.level)
		r.n32("EventCategory", 0)
		r.s("UserName", "N/A")
		r.s("RenderedDescription", e.text)
		r.s("Message", e.text)
		r.s("ParameterXml", "")
		r.s("EventData", "")
		r.s("MG", "00000000-0000-0000-0000-000000000001")
	}
	story := []stamped{{tl.lateral + 4*table.DateTime(table.Second), func(r row, t table.DateTime) {
		fill(r, fs, winEvent{"System", "Service Control Manager", 7045, "Information",
			"A service was installed in the system.\r\n\r\nService Name:  PSEXESVC\r\nService File Name:  %SystemRoot%\\PSEXESVC.exe\r\nService Type:  user mode service\r\nService Start Type:  demand start\r\nService Account:  LocalSystem", 0})
		r.s("UserName", "CONTOSO\\"+w.attacker.newAdmin)
		r.s("EventData", `<DataItem type="System.XmlData" time="`+t.String()+`" sourceHealthServiceId="`+fs.sourceID+`"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="ServiceName">PSEXESVC</Data><Data Name="ImagePath">%SystemRoot%\PSEXESVC.exe</Data><Data Name="ServiceType">user mode service</Data><Data Name="StartType">demand start</Data><Data Name="AccountName">LocalSystem</Data></EventData></DataItem>`)
	}}}
	// Sysmon process creations (EventID 1), which many hunting queries read from Event.
	sysmon := func(r row, h *host, t table.DateTime, image, cmd, parent, user, integrity string, pid, ppid int64) {
		rule := "-"
		if strings.EqualFold(baseName(image), "rundll32.exe") {
			rule = "technique_id=T1218.011,technique_name=Rundll32"
		} else if strings.EqualFold(baseName(image), "powershell.exe") {
			rule = "technique_id=T1059.001,technique_name=PowerShell"
		}
		s256, _, m5 := hashes(r.in, image)
		utc := t.Time().Format("2006-01-02 15:04:05.000")
		fields := [][2]string{{"RuleName", rule}, {"UtcTime", utc}, {"ProcessGuid", "{" + guid(r.rng) + "}"}, {"ProcessId", fmt.Sprint(pid)},
			{"Image", image}, {"FileVersion", "10.0.17763.1 (WinBuild.160101.0800)"}, {"Description", baseName(image)}, {"Product", "Microsoft® Windows® Operating System"},
			{"Company", "Microsoft Corporation"}, {"OriginalFileName", baseName(image)}, {"CommandLine", cmd}, {"CurrentDirectory", `C:\Windows\system32\`},
			{"User", user}, {"LogonGuid", "{" + guid(r.rng) + "}"}, {"LogonId", "0x3e7"}, {"TerminalSessionId", "0"}, {"IntegrityLevel", integrity},
			{"Hashes", "MD5=" + strings.ToUpper(m5) + ",SHA256=" + strings.ToUpper(s256)}, {"ParentProcessGuid", "{" + guid(r.rng) + "}"},
			{"ParentProcessId", fmt.Sprint(ppid)}, {"ParentImage", parent}, {"ParentCommandLine", `"` + parent + `"`}}
		var x, desc strings.Builder
		x.WriteString(`<DataItem type="System.XmlData" time="` + t.String() + `" sourceHealthServiceId="` + h.sourceID + `"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">`)
		desc.WriteString("Process Create:")
		for _, f := range fields {
			x.WriteString(`<Data Name="` + f[0] + `">` + xmlEscape(f[1]) + `</Data>`)
			desc.WriteString("\r\n" + f[0] + ": " + f[1])
		}
		x.WriteString(`</EventData></DataItem>`)
		fill(r, h, winEvent{"Microsoft-Windows-Sysmon/Operational", "Microsoft-Windows-Sysmon", 1, "Information", desc.String(), 0})
		r.s("UserName", "NT AUTHORITY\\SYSTEM")
		r.s("EventData", x.String())
	}
	v := w.attacker.victim
	web := w.hostNamed("WEB01")
	for _, c := range w.attackCommands() {
		story = append(story, stamped{c.t, func(r row, t table.DateTime) {
			sysmon(r, web, t, c.path, c.cmd, c.parent, "CONTOSO\\"+v.sam, "High", c.pid, c.ppid)
		}})
	}
	return timedTable(w, "Event", schema, n, machine, func(r row, t table.DateTime) {
		if r.rng.IntN(8) == 0 {
			h := one(r.rng, w.windows)
			p, m := w.randomProc(r.rng, h, t)
			user := "NT AUTHORITY\\SYSTEM"
			if m.account != "system" {
				user = "CONTOSO\\" + m.account
			}
			sysmon(r, h, t, m.path, m.cmd, p.parent, user, m.integrity, m.pid, int64(4*(64+r.rng.IntN(8000))))
			return
		}
		fill(r, one(r.rng, w.windows), mix.pick(r.rng))
	}, story)
}

// xmlEscape escapes text for an XML element.
func xmlEscape(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return ""
	}
	return b.String()
}

var domains = []struct {
	name, ip string
	w        float64
}{
	{"login.microsoftonline.com", "20.190.151.7", 20}, {"outlook.office365.com", "52.96.165.130", 15}, {"www.google.com", "142.250.64.100", 10},
	{"contoso.sharepoint.com", "13.107.136.9", 8}, {"teams.microsoft.com", "52.113.194.132", 8}, {"settings-win.data.microsoft.com", "20.42.73.26", 6},
	{"ctldl.windowsupdate.com", "93.184.221.240", 5}, {"github.com", "140.82.112.3", 3}, {"dc01.contoso.com", "10.0.1.4", 12},
	{"fs01.contoso.com", "10.0.1.10", 6}, {"sql01.contoso.com", "10.0.1.13", 4}, {"wpad.contoso.com", "", 2}, {"api.segment.io", "54.148.169.52", 1},
	{"slack.com", "3.93.234.101", 1}, {"zoom.us", "170.114.52.2", 1},
}

func genDnsEvents(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	ws := make([]float64, len(domains))
	for i, d := range domains {
		ws[i] = d.w
	}
	mix := newWeighted(domains, ws)
	tl := w.timeline()
	web := w.hostNamed("WEB01")
	dc := w.hostNamed("DC01")
	var story []stamped
	for t := tl.encodedPS - table.DateTime(table.Second); t < tl.c2End; t += table.DateTime(30 * table.Minute) {
		story = append(story, stamped{t, func(r row, t table.DateTime) {
			w.fillDNS(r, dc, web.ip, w.attacker.c2Domain, w.attacker.c2IP)
			r.s("MaliciousIP", w.attacker.c2IP)
			r.s("IndicatorThreatType", "Botnet")
			r.s("Confidence", "80")
			r.s("Description", "Botnet command and control domain")
			r.n32("Severity", 2)
			r.s("RemoteIPCountry", "Germany")
			r.f("RemoteIPLatitude", 50.11)
			r.f("RemoteIPLongitude", 8.68)
		}})
	}
	return timedTable(w, "DnsEvents", schema, n, business, func(r row, t table.DateTime) {
		d := mix.pick(r.rng)
		client := w.hosts[r.rng.IntN(len(w.hosts))]
		server := w.hostNamed(one(r.rng, []string{"DC01", "DC02"}))
		w.fillDNS(r, server, client.ip, d.name, d.ip)
	}, story)
}

func (w *world) fillDNS(r row, server *host, client, name, ip string) {
	w.hostColumns(r, server)
	r.s("SourceSystem", "OpsManager")
	r.s("ClientIP", client)
	r.s("Name", name)
	r.s("QueryType", "A")
	r.s("SubType", "LookupQuery")
	r.n32("EventId", 256)
	r.s("TaskCategory", "LookupQuery")
	if ip == "" {
		r.s("Result", "Failure")
		r.n32("ResultCode", 3)
	} else {
		r.s("Result", "Success")
		r.n32("ResultCode", 0)
		r.s("IPAddresses", ip)
	}
	r.s("Message", "")
}

var iisPages = []struct {
	method, stem, query, status string
	w                           float64
}{
	{"GET", "/", "-", "200", 20}, {"GET", "/default.aspx", "-", "200", 10}, {"GET", "/css/site.css", "v=3.2", "200", 12},
	{"GET", "/js/app.js", "v=3.2", "200", 12}, {"GET", "/images/logo.png", "-", "304", 10}, {"POST", "/api/orders", "-", "201", 4},
	{"GET", "/api/orders", "page=1&size=20", "200", 6}, {"GET", "/account/login", "ReturnUrl=%2F", "200", 5}, {"POST", "/account/login", "-", "302", 3},
	{"GET", "/favicon.ico", "-", "404", 2}, {"GET", "/health", "-", "200", 8}, {"POST", "/api/upload", "-", "500", 0.3},
}

var scanPaths = []string{"/wp-login.php", "/.env", "/phpmyadmin/index.php", "/admin/config.php", "/.git/config", "/cgi-bin/luci", "/owa/auth/logon.aspx", "/aspnet_client/system_web/shell.aspx", "/solr/admin/info/system", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"}

func genW3CIISLog(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	ws := make([]float64, len(iisPages))
	for i, p := range iisPages {
		ws[i] = p.w
	}
	mix := newWeighted(iisPages, ws)
	web := w.hostNamed("WEB01")
	tl := w.timeline()
	var story []stamped
	for j := range 150 {
		story = append(story, stamped{tl.rdpSpray - table.DateTime(3*table.Hour) + table.DateTime(j)*table.DateTime(7*table.Second), func(r row, t table.DateTime) {
			w.fillIIS(r, web, w.attacker.sprayIP, "GET", scanPaths[j%len(scanPaths)], "-", "404", "Mozilla/5.0 zgrab/0.x")
		}})
	}
	return timedTable(w, "W3CIISLog", schema, n, business, func(r row, t table.DateTime) {
		p := mix.pick(r.rng)
		client := w.people()[r.rng.IntN(len(w.people()))].homeIP
		agent := one(r.rng, userAgents[:5])
		if r.rng.IntN(40) == 0 {
			client = one(r.rng, externalIPs)
			agent = "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"
			p.stem, p.status, p.method = one(r.rng, scanPaths), "404", "GET"
		}
		w.fillIIS(r, web, client, p.method, p.stem, p.query, p.status, agent)
	}, story)
}

func (w *world) fillIIS(r row, h *host, client, method, stem, query, status, agent string) {
	w.hostColumns(r, h)
	r.s("SourceSystem", "OpsManager")
	r.s("sSiteName", "W3SVC1")
	r.s("sIP", h.ip)
	r.n32("sPort", 443)
	r.s("cIP", client)
	r.s("csMethod", method)
	r.s("csUriStem", stem)
	r.s("csUriQuery", query)
	r.s("csUserName", "-")
	r.s("csUserAgent", agent)
	r.s("csHost", "www.contoso.com")
	r.s("csReferer", "-")
	r.s("csCookie", "-")
	r.s("csVersion", "HTTP/1.1")
	r.s("scStatus", status)
	r.s("scSubStatus", "0")
	r.s("scWin32Status", "0")
	r.n64("TimeTaken", int64(5+r.rng.IntN(400)))
	r.n64("csBytes", int64(300+r.rng.IntN(2000)))
	r.n64("scBytes", int64(200+r.rng.IntN(80000)))
	r.s("Role", "")
	r.s("RoleInstance", "")
}
