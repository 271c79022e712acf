package workspace

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

// obj is a JSON object that keeps its key order, as the alert JSON of real exports does.
type obj []kv

type kv struct {
	k string
	v any
}

// prettyJSON writes v the way SecurityAlert's Entities and ExtendedProperties look: two-space
// indentation and CRLF line ends.
func prettyJSON(v any) string {
	var b strings.Builder
	writeJSON(&b, v, "")
	return b.String()
}

func writeJSON(b *strings.Builder, v any, ind string) {
	switch x := v.(type) {
	case obj:
		if len(x) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\r\n")
		for i, p := range x {
			b.WriteString(ind + "  ")
			writeScalar(b, p.k)
			b.WriteString(": ")
			writeJSON(b, p.v, ind+"  ")
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteString("\r\n")
		}
		b.WriteString(ind + "}")
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\r\n")
		for i, e := range x {
			b.WriteString(ind + "  ")
			writeJSON(b, e, ind+"  ")
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteString("\r\n")
		}
		b.WriteString(ind + "]")
	default:
		writeScalar(b, v)
	}
}

func writeScalar(b *strings.Builder, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		b.WriteString("null")
		return
	}
	b.Write(data)
}

// alert is one SecurityAlert row.
type alert struct {
	name, display, severity, description, provider, product, vendor, component string
	tactics, techniques, status, compromised                                   string
	h                                                                          *host
	entities                                                                   []any
	props                                                                      obj
	remediation                                                                []string
	start, end                                                                 table.DateTime
}

const (
	provASC      = "Detection"
	prodASC      = "Azure Security Center"
	provSentinel = "ASI Scheduled Alerts"
	prodSentinel = "Azure Sentinel"
	provMDATP    = "MDATP"
	prodMDATP    = "Microsoft Defender Advanced Threat Protection"
	provMCAS     = "MCAS"
	prodMCAS     = "Microsoft Cloud App Security"
	provIPC      = "IPC"
	prodIPC      = "Azure Active Directory Identity Protection"
)

// entity builders: each returns the entity with its $id; refs use $ref.
type entities struct {
	list []any
	next int
}

func (e *entities) add(fields obj) string {
	e.next++
	id := fmt.Sprint(e.next + 1)
	e.list = append(e.list, append(obj{{"$id", id}}, fields...))
	return id
}

func (e *entities) host(h *host) string {
	dns := ""
	if h.domain == "CONTOSO" {
		dns = "contoso.com"
	}
	osf := "Windows"
	if h.role == "linux" {
		osf = "Linux"
	}
	return e.add(obj{{"DnsDomain", dns}, {"NTDomain", h.domain}, {"HostName", h.short}, {"NetBiosName", h.short},
		{"AzureID", h.resourceID}, {"OMSAgentID", h.sourceID}, {"OSFamily", osf}, {"OSVersion", h.os}, {"IsDomainJoined", h.domain == "CONTOSO"}, {"Type", "host"}})
}

func (e *entities) account(name, domain, sid, hostRef string) string {
	f := obj{{"Name", name}, {"NTDomain", domain}}
	if sid != "" {
		f = append(f, kv{"Sid", sid})
	}
	if hostRef != "" {
		f = append(f, kv{"Host", obj{{"$ref", hostRef}}})
	}
	f = append(f, kv{"IsDomainJoined", domain == "CONTOSO"}, kv{"Type", "account"})
	return e.add(f)
}

func (e *entities) cloudAccount(u *user) string {
	return e.add(obj{{"Name", u.sam}, {"UPNSuffix", "contoso.com"}, {"AadTenantId", ""}, {"AadUserId", u.objectID}, {"DisplayName", u.display}, {"Type", "account"}})
}

func (e *entities) ip(addr string) string { return e.add(obj{{"Address", addr}, {"Type", "ip"}}) }

func (e *entities) process(pid, cmd, path string, hostRef, accountRef string, t table.DateTime) string {
	dir, name := path, baseName(path)
	if i := strings.LastIndex(path, `\`); i >= 0 {
		dir = path[:i]
	}
	file := e.add(obj{{"Directory", strings.ToLower(dir)}, {"Name", strings.ToLower(name)}, {"Type", "file"}})
	f := obj{{"ProcessId", pid}, {"CommandLine", cmd}, {"ElevationToken", "Default"}, {"CreationTimeUtc", t.String()},
		{"ImageFile", obj{{"$ref", file}}}}
	if accountRef != "" {
		f = append(f, kv{"Account", obj{{"$ref", accountRef}}})
	}
	f = append(f, kv{"Host", obj{{"$ref", hostRef}}}, kv{"Type", "process"})
	return e.add(f)
}

func (w *world) alertRows(scale float64) []alert {
	tl := w.timeline()
	v := w.attacker.victim
	web := w.hostNamed("WEB01")
	fs := w.hostNamed("FS01")
	dc := w.hostNamed("DC01")
	mins := func(m int) table.DateTime { return table.DateTime(time.Duration(m) * time.Minute / 100) }
	var out []alert

	// The attack.
	{
		e := &entities{}
		e.ip(w.attacker.sprayIP)
		for _, u := range w.people()[:6] {
			e.cloudAccount(u)
		}
		out = append(out, alert{name: "Password spray attack against Azure AD application", severity: "Medium", provider: provSentinel, product: prodSentinel,
			description: "Identifies evidence of password spray activity against Azure AD applications by looking for failures from multiple accounts from the same IP address within a time window.",
			tactics:     "CredentialAccess", techniques: `["T1110"]`, compromised: "", entities: e.list, start: tl.aadSpray, end: tl.aadSprayEnd + mins(10),
			props: sentinelProps("Password spray attack against Azure AD application", "SigninLogs\n| where ResultType == \"50126\"\n| summarize FailedAccounts = dcount(UserPrincipalName) by IPAddress, bin(TimeGenerated, 1h)\n| where FailedAccounts > 5", 9)})
	}
	{
		e := &entities{}
		hr := e.host(web)
		e.account(v.sam, "CONTOSO", v.sid, hr)
		e.ip(w.attacker.sprayIP)
		out = append(out, alert{name: "Successful RDP logon after multiple failed attempts", severity: "High", provider: provSentinel, product: prodSentinel,
			description: "An account successfully logged on over RDP from an IP address that had many failed logons just before.",
			tactics:     "InitialAccess,CredentialAccess", techniques: `["T1110","T1078"]`, compromised: web.name, h: web, entities: e.list, start: tl.rdpSpray, end: tl.breach,
			props: sentinelProps("Successful RDP logon after multiple failed attempts", "SecurityEvent\n| where EventID in (4624, 4625) and LogonType == 10\n| summarize Failures = countif(EventID == 4625), Successes = countif(EventID == 4624) by IpAddress, Computer\n| where Failures > 20 and Successes > 0", 1)})
	}
	{
		e := &entities{}
		hr := e.host(web)
		ar := e.account(v.sam, "CONTOSO", v.sid, hr)
		e.process("0x1d30", encodedPSCommand, `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, hr, ar, tl.encodedPS)
		e.add(obj{{"Url", "https://" + w.attacker.c2Domain + "/a.ps1"}, {"Type", "url"}})
		out = append(out, alert{name: "Suspicious Powershell Activity Detected", severity: "High", provider: provASC, product: prodASC, component: "Servers",
			description: "Analysis of host data detected a PowerShell script running on " + web.short + " that has features in common with known suspicious scripts. This script could be legitimate, or an indication that the machine has been compromised.",
			tactics:     "Execution", techniques: `["T1059"]`, compromised: web.short, h: web, entities: e.list, start: tl.encodedPS, end: tl.encodedPS,
			props: obj{{"Compromised Host", web.short}, {"User Name", "CONTOSO\\" + v.sam}, {"Account Session Id", "0x2b7e4f1"}, {"Suspicious Process", `c:\windows\system32\windowspowershell\v1.0\powershell.exe`},
				{"Suspicious Command Line", encodedPSCommand}, {"Parent Process", `c:\windows\system32\cmd.exe`}, {"Suspicious Process Id", "0x1d30"}, {"resourceType", "Virtual Machine"}},
			remediation: []string{"1. Review the PowerShell command line and decode the encoded part.", "2. Escalate the alert to the information security team.", "3. Run a full anti-malware scan on the machine."}})
	}
	{
		e := &entities{}
		hr := e.host(web)
		ar := e.account(v.sam, "CONTOSO", v.sid, hr)
		e.process("0x2410", lsassDumpCommand, `C:\Windows\System32\rundll32.exe`, hr, ar, tl.lsass)
		out = append(out, alert{name: "Suspicious access to LSASS service", display: "Credential dumping activity observed", severity: "High", provider: provMDATP, product: prodMDATP,
			description: "A process accessed the memory of the Local Security Authority Subsystem Service (lsass.exe) using comsvcs.dll MiniDump, a technique used to steal credentials.",
			tactics:     "CredentialAccess", techniques: `["T1003"]`, compromised: web.name, h: web, entities: e.list, start: tl.lsass, end: tl.lsass,
			props: obj{{"MicrosoftDefenderAtpAlertId", "da638" + fmt.Sprint(int64(tl.lsass)%1000000000000)}, {"Category", "CredentialAccess"}, {"Detection Source", "EDR"}, {"Assigned To", ""}}})
	}
	{
		e := &entities{}
		hr := e.host(dc)
		e.account(w.attacker.newAdmin, "CONTOSO", w.domainSID+"-1187", hr)
		e.account(v.sam, "CONTOSO", v.sid, hr)
		out = append(out, alert{name: "Suspicious Account Creation Detected", severity: "Medium", provider: provASC, product: prodASC, component: "Servers",
			description: "Analysis of host data on " + web.short + " detected creation or use of a local account helpdesk_tmp by CONTOSO\\" + v.sam + " followed by its addition to Domain Admins.",
			tactics:     "Persistence", techniques: `["T1136"]`, compromised: web.short, h: web, entities: e.list, start: tl.newAdmin, end: tl.newAdmin,
			props: obj{{"Compromised Host", web.short}, {"User Name", "CONTOSO\\" + v.sam}, {"Suspicious Process", `c:\windows\system32\net.exe`}, {"Suspicious Command Line", newUserCommand},
				{"Suspicious Account Name", w.attacker.newAdmin}, {"Similar To Account Name", "helpdesk"}, {"resourceType", "Virtual Machine"}}})
		out = append(out, alert{name: "User added to privileged group", display: "New member added to Domain Admins", severity: "High", provider: provSentinel, product: prodSentinel,
			description: "A user was added to a privileged built-in domain group (Domain Admins, Enterprise Admins, Administrators).",
			tactics:     "Persistence,PrivilegeEscalation", techniques: `["T1098"]`, compromised: dc.name, h: dc, entities: e.list, start: tl.newAdmin, end: tl.newAdmin + mins(5),
			props: sentinelProps("User added to privileged group", "SecurityEvent\n| where EventID in (4728, 4732, 4756)\n| where TargetUserName in (\"Domain Admins\", \"Administrators\", \"Enterprise Admins\")", 2)})
	}
	{
		e := &entities{}
		hr := e.host(fs)
		e.account(w.attacker.newAdmin, "CONTOSO", w.domainSID+"-1187", hr)
		out = append(out, alert{name: "Suspicious service installation", display: "PsExec service installed", severity: "Medium", provider: provMDATP, product: prodMDATP,
			description: "The PSEXESVC service was installed remotely, which attackers use to run commands on other machines.",
			tactics:     "LateralMovement,Execution", techniques: `["T1021","T1569"]`, compromised: fs.name, h: fs, entities: e.list, start: tl.lateral, end: tl.lateral,
			props: obj{{"Category", "LateralMovement"}, {"Detection Source", "EDR"}}})
	}
	{
		e := &entities{}
		hr := e.host(web)
		e.account(v.sam, "CONTOSO", v.sid, hr)
		out = append(out, alert{name: "Security event log cleared", severity: "Medium", provider: provSentinel, product: prodSentinel,
			description: "Checks for event id 1102 which indicates the security event log was cleared.",
			tactics:     "DefenseEvasion", techniques: `["T1070"]`, compromised: web.name, h: web, entities: e.list, start: tl.logCleared, end: tl.logCleared,
			props: sentinelProps("Security event log cleared", "SecurityEvent\n| where EventID == 1102", 1)})
	}
	{
		e := &entities{}
		e.cloudAccount(v)
		e.ip(v.homeIP)
		e.ip(w.attacker.travelIP)
		out = append(out, alert{name: "Impossible travel activity", severity: "Medium", provider: provMCAS, product: prodMCAS,
			description: "The user " + v.display + " (" + v.upn + ") performed activities from Seattle, US and Moscow, RU within 61 minutes.",
			tactics:     "InitialAccess", techniques: `["T1078"]`, compromised: v.upn, entities: e.list, start: tl.travelHome, end: tl.travelAway,
			props: obj{{"Product Name", "Microsoft Cloud App Security"}, {"Activity Count", "4"}}})
		out = append(out, alert{name: "Atypical travel", severity: "Medium", provider: provIPC, product: prodIPC,
			description: "Sign-in from an atypical location based on the user's recent sign-ins.",
			tactics:     "InitialAccess", techniques: `["T1078"]`, compromised: v.upn, entities: e.list, start: tl.travelAway, end: tl.travelAway + mins(90),
			props: obj{{"Request Id", "6c2e1a4d-77f3-4d19-9a1c-3f0b6a8e2400"}, {"Detail", "UnfamiliarSignInProperties"}, {"State", "Open"}}})
	}
	{
		e := &entities{}
		e.cloudAccount(v)
		e.ip(w.attacker.travelIP)
		out = append(out, alert{name: "Suspicious inbox forwarding", severity: "Medium", provider: provMCAS, product: prodMCAS,
			description: v.display + " created an inbox rule that forwards all mail to an external address (a.wong.backup@protonmail.com).",
			tactics:     "Collection,Exfiltration", techniques: `["T1114"]`, compromised: v.upn, entities: e.list, start: tl.inboxRule, end: tl.inboxRule,
			props: obj{{"Product Name", "Microsoft Cloud App Security"}}})
	}
	{
		e := &entities{}
		hr := e.host(web)
		e.ip(w.attacker.c2IP)
		_ = hr
		out = append(out, alert{name: "TI map IP entity to CommonSecurityLog", severity: "Medium", provider: provSentinel, product: prodSentinel,
			description: "Identifies a match in CommonSecurityLog from any IP IOC from TI.",
			tactics:     "Impact", techniques: `[]`, compromised: web.name, h: web, entities: e.list, start: tl.c2Start, end: tl.c2Start + mins(60),
			props: sentinelProps("TI map IP entity to CommonSecurityLog", "ThreatIntelligenceIndicator\n| where isnotempty(NetworkIP)\n| join (CommonSecurityLog | where isnotempty(DestinationIP)) on $left.NetworkIP == $right.DestinationIP", 3)})
	}

	// Every day's noise.
	jbox, victim00 := w.hostNamed("JBOX00"), w.hostNamed("VICTIM00")
	perDay := max(1, int(scale+0.5))
	for d := range Days {
		for k := range perDay {
			day := w.start + table.DateTime(int64(d)*int64(table.Day)) + table.DateTime(int64(k)*int64(table.Hour)*3)
			rng := newRand(w.seed, "SecurityAlert", uint64(d*perDay+k))
			{
				e := &entities{}
				hr := e.host(victim00)
				ar := e.account("vmadmin", "VICTIM00", "", hr)
				e.process(one(rng, w.hexIDs), `"C:\Users\vmadmin\AppData\Local\Temp\svchost.exe" -k netsvcs`, `C:\Users\vmadmin\AppData\Local\Temp\svchost.exe`, hr, ar, day)
				t := day + table.DateTime(15*table.Hour) + table.DateTime(rng.Int64N(int64(table.Hour)))
				out = append(out, alert{name: "Suspicious process executed", display: "Suspicious process executed [seen multiple times]", severity: "High", provider: provASC, product: prodASC, component: "Servers",
					description: "Machine logs indicate that the suspicious process: 'c:\\users\\vmadmin\\appdata\\local\\temp\\svchost.exe' was running on the machine, often associated with attacker attempts to access credentials. This behavior was seen 11 times today on the following machines: VICTIM00",
					tactics:     "CredentialAccess", techniques: `["T1003"]`, compromised: victim00.short, h: victim00, entities: e.list, start: t - mins(60), end: t,
					props: obj{{"Compromised Host", victim00.short}, {"User Name", "VICTIM00\\vmadmin"}, {"Account Session Id", "0x1e5c1c8"}, {"Suspicious Process", `c:\users\vmadmin\appdata\local\temp\svchost.exe`},
						{"Suspicious Command Line", `"c:\users\vmadmin\appdata\local\temp\svchost.exe" -k netsvcs`}, {"Parent Process", `c:\windows\explorer.exe`}, {"Suspicious Process Id", "0x1f10"}, {"resourceType", "Virtual Machine"}}})
			}
			{
				e := &entities{}
				ip := one(rng, externalIPs)
				e.ip(ip)
				hr := e.host(jbox)
				for _, n := range bruteNames[:3+rng.IntN(4)] {
					e.account(n, "", "", hr)
				}
				t := day + table.DateTime(6*table.Hour) + table.DateTime(rng.Int64N(int64(10*table.Hour)))
				out = append(out, alert{name: "Suspicious authentication activity", severity: "Medium", provider: provASC, product: prodASC, component: "Servers",
					description: "Although none of them succeeded, some of them used accounts were recognized by the host. This resembles a dictionary attack, in which an attacker performs numerous authentication attempts using a dictionary of predefined account names and passwords in order to find valid credentials to access the host. This indicates that some of your host account names might exist in a well-known account name dictionary.",
					tactics:     "PreAttack", techniques: `["T1110"]`, compromised: jbox.short, h: jbox, entities: e.list, start: t - mins(120), end: t,
					props: obj{{"Activity start time (UTC)", (t - mins(120)).Time().Format("2006/01/02 15:04:05.0000000")}, {"Activity end time (UTC)", t.Time().Format("2006/01/02 15:04:05.0000000")},
						{"Attacker source IP", "IP Address: " + ip}, {"Attacker source computer name", "Unknown"}, {"Number of failed authentication attempts to host", fmt.Sprint(200 + rng.IntN(3000))},
						{"Number of existing accounts used by source to sign in", "1"}, {"Number of nonexistent accounts used by source to sign in", fmt.Sprint(20 + rng.IntN(200))},
						{"Top accounts with failed sign in attempts (count)", "ADMINISTRATOR (312), ADMIN (51), USER (23)"}, {"Was RDP session initiated", "No"}, {"End Time UTC", t.Time().Format("1/2/2006 3:04:05 PM")}, {"resourceType", "Virtual Machine"}}})
			}
			if rng.IntN(3) == 0 {
				e := &entities{}
				e.host(jbox)
				e.ip(one(rng, externalIPs))
				t := day + table.DateTime(rng.Int64N(int64(table.Day)))
				out = append(out, alert{name: "Traffic from unrecommended IP addresses was detected", severity: "Low", provider: "AdaptiveNetworkHardenings", product: prodASC, component: "Networking",
					description: "Azure security center has detected incoming traffic from IP addresses, which have been identified as IP addresses that should be blocked by the Adaptive Network Hardening control",
					tactics:     "Probing", techniques: `[]`, compromised: jbox.short, h: jbox, entities: e.list, start: t - mins(60*24), end: t,
					props: obj{{"Destination Port", "3389"}, {"Protocol", "TCP"}, {"resourceType", "Virtual Machine"}}})
			}
			if rng.IntN(2) == 0 {
				e := &entities{}
				hr := e.host(jbox)
				e.account("bob.smith", "CONTOSO", w.userNamed("bob.smith").sid, hr)
				t := day + table.DateTime(9*table.Hour) + table.DateTime(rng.Int64N(int64(8*table.Hour)))
				out = append(out, alert{name: "Rare RDP Connections", severity: "Low", provider: provSentinel, product: prodSentinel,
					description: "Identifies when an RDP connection is new or rare related to any logon type or the accessed system, which may indicate lateral movement.",
					tactics:     "LateralMovement", techniques: `["T1021"]`, compromised: jbox.name, h: jbox, entities: e.list, start: t - mins(60*24), end: t,
					props: sentinelProps("Rare RDP Connections", "SecurityEvent\n| where EventID == 4624 and LogonType == 10\n| summarize count() by Account, Computer, IpAddress\n| where count_ < 3", 1)})
			}
		}
	}
	return out
}

func sentinelProps(name, query string, count int) obj {
	return obj{{"Query Period", "1.00:00:00"}, {"Trigger Operator", "GreaterThan"}, {"Trigger Threshold", "0"}, {"Correlation Id", "3f2c9f0e-8d0b-4b5e-9f61-2a6cbb0b7e4d"},
		{"Search Query Results Overall Count", fmt.Sprint(count)}, {"Data Sources", `["SecurityEvent","SigninLogs"]`}, {"Query", query},
		{"Analytic Rule Name", name}, {"Event Grouping", "SingleAlert"}, {"ProcessedBySentinel", "True"}, {"Alert generation status", "Full alert created"}}
}

func genSecurityAlert(w *world, schema table.Schema, _ int, scale float64) (*builder, error) {
	alerts := w.alertRows(scale)
	var story []stamped
	for _, a := range alerts {
		a := a
		story = append(story, stamped{a.end + table.DateTime(7*table.Minute), func(r row, t table.DateTime) { w.fillAlert(r, a, t) }})
	}
	return timedTable(w, "SecurityAlert", schema, 0, flat, func(row, table.DateTime) {}, story)
}

func (w *world) fillAlert(r row, a alert, t table.DateTime) {
	display := a.display
	if display == "" {
		display = a.name
	}
	vendor := "Microsoft"
	r.s("AlertName", a.name)
	r.s("DisplayName", display)
	r.s("AlertSeverity", a.severity)
	r.s("Description", a.description)
	r.s("ProviderName", a.provider)
	r.s("VendorName", vendor)
	r.s("ProductName", a.product)
	r.s("ProductComponentName", a.component)
	id := guid(r.rng)
	r.s("VendorOriginalId", id)
	r.s("SystemAlertId", guid(r.rng))
	switch a.provider {
	case provSentinel:
		r.s("AlertType", w.tenant+"_"+guid(r.rng))
		r.s("AlertLink", "")
	case provASC, "AdaptiveNetworkHardenings":
		r.s("AlertType", "VM_"+strings.ReplaceAll(a.name, " ", ""))
		r.s("AlertLink", "https://portal.azure.com/#blade/Microsoft_Azure_Security_AzureDefenderForData/AlertBlade/alertId/"+id+"/subscriptionId/"+w.subscription+"/resourceGroup/contoso-prod-rg/referencedFrom/alertDeepLink/location/centralus")
	default:
		r.s("AlertType", a.provider+"_"+strings.ReplaceAll(a.name, " ", ""))
		r.s("AlertLink", "https://security.microsoft.com/alerts/"+id)
	}
	r.s("CompromisedEntity", a.compromised)
	r.s("ConfidenceLevel", "Unknown")
	r.t("StartTime", a.start)
	r.t("EndTime", a.end)
	r.t("ProcessingEndTime", t+table.DateTime(3*table.Second))
	r.s("Entities", prettyJSON(a.entities))
	r.s("ExtendedProperties", prettyJSON(a.props))
	r.s("ExtendedLinks", "")
	r.bo("IsIncident", false)
	rem := make([]any, len(a.remediation))
	for i, s := range a.remediation {
		rem[i] = s
	}
	r.s("RemediationSteps", prettyJSON(rem))
	if a.h != nil && a.provider != provSentinel {
		r.s("ResourceId", a.h.resourceID)
		r.s("SourceComputerId", a.h.sourceID)
	}
	status := "New"
	if t < w.ago(5*24*time.Hour) {
		status = "Resolved"
	}
	r.s("Status", status)
	r.s("SubTechniques", "")
	r.s("Tactics", a.tactics)
	r.s("Techniques", a.techniques)
	r.s("WorkspaceResourceGroup", w.workspaceRG)
	r.s("WorkspaceSubscriptionId", w.subscription)
	r.s("SourceSystem", "Detection")
}
