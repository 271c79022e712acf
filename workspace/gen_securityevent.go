package workspace

import (
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/kqlkernel/kqlkernel/table"
)

// activities are the Activity column's texts ("<id> - <first line of the message>").
var activities = map[int]string{
	1102: "1102 - The audit log was cleared.",
	4624: "4624 - An account was successfully logged on.",
	4625: "4625 - An account failed to log on.",
	4634: "4634 - An account was logged off.",
	4647: "4647 - User initiated logoff.",
	4648: "4648 - A logon was attempted using explicit credentials.",
	4656: "4656 - A handle to an object was requested.",
	4663: "4663 - An attempt was made to access an object.",
	4672: "4672 - Special privileges assigned to new logon.",
	4688: "4688 - A new process has been created.",
	4697: "4697 - A service was installed in the system.",
	4720: "4720 - A user account was created.",
	4722: "4722 - A user account was enabled.",
	4724: "4724 - An attempt was made to reset an account's password.",
	4728: "4728 - A member was added to a security-enabled global group.",
	4732: "4732 - A member was added to a security-enabled local group.",
	4740: "4740 - A user account was locked out.",
	4768: "4768 - A Kerberos authentication ticket (TGT) was requested.",
	4769: "4769 - A Kerberos service ticket was requested.",
	4776: "4776 - The computer attempted to validate the credentials for an account.",
	4798: "4798 - A user's local group membership was enumerated.",
	5140: "5140 - A network share object was accessed.",
	8002: "8002 - NTLM server blocked audit: Audit Incoming NTLM Traffic that would be blocked",
}

// tasks are the Task (event category) numbers of each event.
var tasks = map[int]int64{
	1102: 104, 4624: 12544, 4625: 12544, 4634: 12545, 4647: 12545, 4648: 12544, 4656: 12800,
	4663: 12800, 4672: 12548, 4688: 13312, 4697: 12289, 4720: 13824, 4722: 13824, 4724: 13824,
	4728: 13826, 4732: 13826, 4740: 13824, 4768: 14339, 4769: 14337, 4776: 14336, 4798: 13824,
	5140: 12808, 8002: 0,
}

var logonTypeNames = map[int64]string{
	2: "2 - Interactive", 3: "3 - Network", 4: "4 - Batch", 5: "5 - Service", 7: "7 - Unlock",
	8: "8 - NetworkCleartext", 9: "9 - NewCredentials", 10: "10 - RemoteInteractive", 11: "11 - CachedInteractive",
}

const (
	privilegesSystem = "SeAssignPrimaryTokenPrivilege\r\n\t\t\tSeTcbPrivilege\r\n\t\t\tSeSecurityPrivilege\r\n\t\t\tSeTakeOwnershipPrivilege\r\n\t\t\tSeLoadDriverPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeRestorePrivilege\r\n\t\t\tSeDebugPrivilege\r\n\t\t\tSeAuditPrivilege\r\n\t\t\tSeSystemEnvironmentPrivilege\r\n\t\t\tSeImpersonatePrivilege\r\n\t\t\tSeDelegateSessionUserImpersonatePrivilege"
	privilegesAdmin  = "SeSecurityPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeRestorePrivilege\r\n\t\t\tSeTakeOwnershipPrivilege\r\n\t\t\tSeDebugPrivilege\r\n\t\t\tSeSystemEnvironmentPrivilege\r\n\t\t\tSeLoadDriverPrivilege\r\n\t\t\tSeImpersonatePrivilege\r\n\t\t\tSeDelegateSessionUserImpersonatePrivilege"
	nullGUID         = "{00000000-0000-0000-0000-000000000000}"
)

// activityOf and taskOf are the maps above as arrays (the generator's inner loop reads them).
var activityOf, taskOf = func() ([9000]string, [9000]int64) {
	var a [9000]string
	var t [9000]int64
	for id, s := range activities {
		a[id] = s
	}
	for id, n := range tasks {
		t[id] = n
	}
	return a, t
}()

// seCols holds the SecurityEvent columns the generator fills.
type seCols struct {
	TenantId, SourceSystem, Account, AccountType, Computer, EventSourceName, Channel, Level, Activity *column
	SourceComputerId, ManagementGroupName, Type, ResourceId, SubscriptionId, IsBillable               *column
	TimeGenerated, EventID, Task, LogonType, KeyLength, ServiceStartType                              *column
	BilledSize                                                                                        *column
	SubjectUserSid, SubjectUserName, SubjectDomainName, SubjectLogonId, SubjectAccount                *column
	TargetUserSid, TargetUserName, TargetDomainName, TargetLogonId, TargetAccount, TargetSid          *column
	NewProcessId, NewProcessName, ParentProcessName, CommandLine, Process, ProcessId, ProcessName     *column
	TokenElevationType, MandatoryLabel                                                                *column
	IpAddress, IpPort, WorkstationName, Workstation, LogonProcessName, AuthenticationPackageName      *column
	LmPackageName, LogonTypeName, LogonGuid, ElevatedToken, VirtualAccount, RestrictedAdminMode       *column
	TargetLinkedLogonId, TargetOutboundUserName, TargetOutboundDomainName, TransmittedServices        *column
	PrivilegeList, Status, SubStatus, FailureReason, ObjectServer, ObjectType, ObjectName, HandleId   *column
	AccessMask, ShareName, ShareLocalPath, ServiceName, PackageName                                   *column
	TargetServerName, TargetInfo, ServiceFileName, ServiceType, ServiceAccount, SamAccountName        *column
	DisplayName, UserPrincipalName, UserAccountControl, PrimaryGroupId, MemberName, MemberSid         *column
	PasswordLastSet, AccountExpires, OldUacValue, NewUacValue, HomeDirectory                          *column
	EventData                                                                                         *column
}

func newSECols(b *builder) *seCols {
	c := &seCols{}
	s := b.str
	c.Account, c.AccountType, c.Computer = s("Account"), s("AccountType"), s("Computer")
	c.EventSourceName, c.Channel, c.Level, c.Activity = s("EventSourceName"), s("Channel"), s("Level"), s("Activity")
	c.SourceComputerId, c.ResourceId = s("SourceComputerId"), s("_ResourceId")
	c.TimeGenerated, c.EventID, c.Task, c.LogonType, c.KeyLength = b.dt("TimeGenerated"), b.i32("EventID"), b.i32("Task"), b.i32("LogonType"), b.i32("KeyLength")
	c.ServiceStartType = b.i32("ServiceStartType")
	c.BilledSize = b.real("_BilledSize")
	c.SubjectUserSid, c.SubjectUserName, c.SubjectDomainName, c.SubjectLogonId, c.SubjectAccount = s("SubjectUserSid"), s("SubjectUserName"), s("SubjectDomainName"), s("SubjectLogonId"), s("SubjectAccount")
	c.TargetUserSid, c.TargetUserName, c.TargetDomainName, c.TargetLogonId, c.TargetAccount, c.TargetSid = s("TargetUserSid"), s("TargetUserName"), s("TargetDomainName"), s("TargetLogonId"), s("TargetAccount"), s("TargetSid")
	c.NewProcessId, c.NewProcessName, c.ParentProcessName, c.CommandLine = s("NewProcessId"), s("NewProcessName"), s("ParentProcessName"), s("CommandLine")
	c.Process, c.ProcessId, c.ProcessName = s("Process"), s("ProcessId"), s("ProcessName")
	c.TokenElevationType, c.MandatoryLabel = s("TokenElevationType"), s("MandatoryLabel")
	c.IpAddress, c.IpPort, c.WorkstationName, c.Workstation = s("IpAddress"), s("IpPort"), s("WorkstationName"), s("Workstation")
	c.LogonProcessName, c.AuthenticationPackageName, c.LmPackageName, c.LogonTypeName = s("LogonProcessName"), s("AuthenticationPackageName"), s("LmPackageName"), s("LogonTypeName")
	c.LogonGuid, c.ElevatedToken, c.VirtualAccount, c.RestrictedAdminMode = s("LogonGuid"), s("ElevatedToken"), s("VirtualAccount"), s("RestrictedAdminMode")
	c.TargetLinkedLogonId, c.TargetOutboundUserName, c.TargetOutboundDomainName, c.TransmittedServices = s("TargetLinkedLogonId"), s("TargetOutboundUserName"), s("TargetOutboundDomainName"), s("TransmittedServices")
	c.PrivilegeList, c.Status, c.SubStatus, c.FailureReason = s("PrivilegeList"), s("Status"), s("SubStatus"), s("FailureReason")
	c.ObjectServer, c.ObjectType, c.ObjectName, c.HandleId, c.AccessMask = s("ObjectServer"), s("ObjectType"), s("ObjectName"), s("HandleId"), s("AccessMask")
	c.ShareName, c.ShareLocalPath, c.ServiceName, c.PackageName = s("ShareName"), s("ShareLocalPath"), s("ServiceName"), s("PackageName")
	c.TargetServerName, c.TargetInfo, c.ServiceFileName, c.ServiceType, c.ServiceAccount = s("TargetServerName"), s("TargetInfo"), s("ServiceFileName"), s("ServiceType"), s("ServiceAccount")
	c.SamAccountName, c.DisplayName, c.UserPrincipalName, c.UserAccountControl, c.PrimaryGroupId = s("SamAccountName"), s("DisplayName"), s("UserPrincipalName"), s("UserAccountControl"), s("PrimaryGroupId")
	c.MemberName, c.MemberSid = s("MemberName"), s("MemberSid")
	c.PasswordLastSet, c.AccountExpires, c.OldUacValue, c.NewUacValue, c.HomeDirectory = s("PasswordLastSet"), s("AccountExpires"), s("OldUacValue"), s("NewUacValue"), s("HomeDirectory")
	c.EventData = s("EventData")
	return c
}

// seHost caches the strings of one Windows machine.
type seHost struct {
	*host
	machineAccount string // CONTOSO\DC01$
	machineName    string // DC01$
	// procs are the process catalogue entries that run here, by weight, with user-specific
	// paths resolved per user.
	procs *weighted[int]
}

type seGen struct {
	w      *world
	c      *seCols
	hosts  []*seHost
	byRole map[string]*weighted[*seHost]
	events *weighted[int]
	people []*user
	// procStr[p][u] is process p's (path, parent, cmd) for user u (index len(users) = SYSTEM).
	procStr [][][3]string
	// accounts per user: CONTOSO\alice.wong
	userAccount []string
}

// seEventMix is the background event mix; the ratio of the top five follows the seed
// notebook's real workspace (4688 > 8002 > 4624 > 4634 > 4672).
var seEventMix = []struct {
	id int
	w  float64
}{
	{4688, 34.2}, {8002, 31.0}, {4624, 12.8}, {4634, 10.8}, {4672, 8.5}, {4625, 1.2},
	{4663, 0.6}, {4648, 0.4}, {4776, 0.3}, {4769, 0.25}, {4768, 0.1}, {5140, 0.1}, {4798, 0.03},
	{4647, 0.02}, {4724, 0.002},
}

// coreColumns are the SecurityEvent columns Sentinel's queries use most (counted over
// ../shared/kql/sentinel-queries.json), kept by DemoOptions.Columns = "core".
var coreColumns = strings.Fields(`TimeGenerated EventID Task LogonType _BilledSize Account AccountType Computer
Activity EventSourceName SourceComputerId _ResourceId CommandLine NewProcessName ParentProcessName Process
ProcessName SubjectUserName SubjectDomainName SubjectUserSid TargetUserName TargetDomainName TargetAccount
IpAddress LogonTypeName Status SubStatus`)

func genSecurityEventCore(w *world, schema table.Schema, n int) (*table.Table, error) {
	keep := map[string]bool{}
	for _, c := range coreColumns {
		keep[c] = true
	}
	b, err := genSecurityEventKeep(w, schema, n, keep)
	if err != nil {
		return nil, err
	}
	return b.finish()
}

func genSecurityEvent(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	return genSecurityEventKeep(w, schema, n, nil)
}

func genSecurityEventKeep(w *world, schema table.Schema, n int, keep map[string]bool) (*builder, error) {
	g := &seGen{w: w, byRole: map[string]*weighted[*seHost]{}, people: w.people()}
	var ids []int
	var ws []float64
	for _, e := range seEventMix {
		ids = append(ids, e.id)
		ws = append(ws, e.w)
	}
	g.events = newWeighted(ids, ws)
	for _, u := range w.users {
		g.userAccount = append(g.userAccount, "CONTOSO\\"+u.sam)
	}
	g.procStr = make([][][3]string, len(processCatalog))
	for p, pr := range processCatalog {
		g.procStr[p] = make([][3]string, len(w.users)+1)
		for u := range g.procStr[p] {
			name := "SYSTEM"
			if u < len(w.users) {
				name = w.users[u].sam
			}
			r := strings.NewReplacer("%USER%", name)
			g.procStr[p][u] = [3]string{r.Replace(pr.path), r.Replace(pr.parent), r.Replace(pr.cmd)}
		}
	}
	roleHosts := map[string][]*seHost{}
	roleW := map[string][]float64{}
	addRole := func(role string, h *seHost, wt float64) {
		roleHosts[role] = append(roleHosts[role], h)
		roleW[role] = append(roleW[role], wt)
	}
	for _, h := range w.windows {
		sh := &seHost{host: h, machineName: h.short + "$", machineAccount: h.domain + "\\" + h.short + "$"}
		var pi []int
		var pw []float64
		for i, p := range processCatalog {
			if p.roles == "any" || p.roles == h.role || (p.roles == "server" && (h.role == "dc" || h.role == "web" || h.role == "jumpbox")) {
				pi = append(pi, i)
				pw = append(pw, p.weight)
			}
		}
		sh.procs = newWeighted(pi, pw)
		g.hosts = append(g.hosts, sh)
		addRole("any", sh, h.weight)
		switch h.role {
		case "dc":
			addRole("dc", sh, h.weight)
			addRole("ntlm", sh, h.weight*3)
		case "server", "web":
			addRole("ntlm", sh, h.weight)
		}
		if h.role == "jumpbox" || h.role == "web" || h.short == "VICTIM00" {
			addRole("exposed", sh, map[string]float64{"jumpbox": 5, "web": 2, "workstation": 1}[h.role])
		}
		if h.short == "FS01" {
			addRole("fs", sh, 1)
		}
	}
	for role, hs := range roleHosts {
		g.byRole[role] = newWeighted(hs, roleW[role])
	}

	story := g.storyEvents()
	background := n - len(story)
	if background < 0 {
		story = story[:n]
		background = 0
	}
	counts := spread(background, hourWeights(w.startTime, machine, newRand(w.seed, "SecurityEvent/rhythm", 0)))
	// Story rows go into the hour they happen in, so rows stay roughly in time order.
	byHour := make([][]storyEvent, hours)
	for _, e := range story {
		k := w.hourOf(e.t)
		byHour[k] = append(byHour[k], e)
	}
	offsets := make([]int, hours+1)
	for k := range hours {
		offsets[k+1] = offsets[k] + counts[k] + len(byHour[k])
	}

	b := newBuilder("SecurityEvent", schema, offsets[hours])
	b.keep = keep
	// Columns with one value in the whole table are Const: free at any size.
	b.constant("TenantId", table.TypeString, w.tenant)
	b.constant("SourceSystem", table.TypeString, "OpsManager")
	b.constant("ManagementGroupName", table.TypeString, w.mg)
	b.constant("Type", table.TypeString, "SecurityEvent")
	b.constant("_SubscriptionId", table.TypeString, w.subscription)
	b.constant("_IsBillable", table.TypeString, "True")
	b.constant("MG", table.TypeString, "00000000-0000-0000-0000-000000000001")
	g.c = newSECols(b)
	// Hours are independent (each has its own random stream), so both cores can fill them.
	workers := min(runtime.GOMAXPROCS(0), 4)
	if n < 200000 {
		workers = 1
	}
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := interner{}
			for k := wk; k < hours; k += workers {
				rng := newRand(w.seed, "SecurityEvent", uint64(k))
				i := offsets[k]
				for _, id := range g.hourMix(rng, counts[k]) {
					g.background(rng, in, i, w.timeIn(rng, k), id)
					i++
				}
				for _, e := range byHour[k] {
					e.write(g, i, e.t)
					i++
				}
			}
		}()
	}
	wg.Wait()
	return b, nil
}

// common fills the columns every SecurityEvent row has.
func (g *seGen) common(rng *rand.Rand, i int, t table.DateTime, h *seHost, id int, account string) {
	c := g.c
	c.TimeGenerated.T(i, t)
	c.Account.S(i, account)
	if strings.HasSuffix(account, "$") {
		c.AccountType.S(i, "Machine")
	} else {
		c.AccountType.S(i, "User")
	}
	c.Computer.S(i, h.name)
	if id == 8002 {
		c.EventSourceName.S(i, "Microsoft-Windows-NTLM")
		c.Channel.S(i, "Microsoft-Windows-NTLM/Operational")
		c.Level.S(i, "4")
	} else if id == 1102 {
		c.EventSourceName.S(i, "Microsoft-Windows-Eventlog")
		c.Channel.S(i, "Security")
		c.Level.S(i, "4")
	} else {
		c.EventSourceName.S(i, "Microsoft-Windows-Security-Auditing")
		c.Channel.S(i, "Security")
		if id == 4625 || id == 4740 {
			c.Level.S(i, "16")
		} else {
			c.Level.S(i, "8")
		}
	}
	c.Task.I(i, taskOf[id])
	c.EventID.I(i, int64(id))
	c.Activity.S(i, activityOf[id])
	c.SourceComputerId.S(i, h.sourceID)
	c.ResourceId.S(i, h.resourceID)
	c.BilledSize.R(i, float64(900+rng.IntN(1400)))
}

func (g *seGen) subject(i int, sid, name, domain, logonID string) {
	c := g.c
	c.SubjectUserSid.S(i, sid)
	c.SubjectUserName.S(i, name)
	c.SubjectDomainName.S(i, domain)
	c.SubjectLogonId.S(i, logonID)
	c.SubjectAccount.S(i, domain+"\\"+name)
}

func (g *seGen) subjectMachine(i int, h *seHost) {
	c := g.c
	c.SubjectUserSid.S(i, "S-1-5-18")
	c.SubjectUserName.S(i, h.machineName)
	c.SubjectDomainName.S(i, h.domain)
	c.SubjectLogonId.S(i, "0x3e7")
	c.SubjectAccount.S(i, h.machineAccount)
}

func (g *seGen) target(i int, sid, name, domain, account, logonID string) {
	c := g.c
	c.TargetUserSid.S(i, sid)
	c.TargetUserName.S(i, name)
	c.TargetDomainName.S(i, domain)
	c.TargetAccount.S(i, account)
	if logonID != "" {
		c.TargetLogonId.S(i, logonID)
	}
}

// background writes one ordinary event.
// hourMix returns the event IDs of an hour's n background rows: the mix's proportions
// allotted exactly (systematic rounding from a random start) and shuffled. Sampling each row
// independently would let neighbours in the mix, such as 4624 and 4634, swap places in a
// day's counts.
func (g *seGen) hourMix(rng *rand.Rand, n int) []int {
	ids := make([]int, 0, n)
	total := g.events.cum[len(g.events.cum)-1]
	off := rng.Float64()
	prev := 0
	for j, id := range g.events.items {
		upto := int(g.events.cum[j]/total*float64(n) + off)
		if j == len(g.events.items)-1 {
			upto = n
		}
		for ; prev < upto && len(ids) < n; prev++ {
			ids = append(ids, id)
		}
	}
	for len(ids) < n {
		ids = append(ids, g.events.items[0])
	}
	rng.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
	return ids
}

func (g *seGen) background(rng *rand.Rand, in interner, i int, t table.DateTime, id int) {
	switch id {
	case 4688:
		g.process(rng, i, t, g.byRole["any"].pick(rng))
	case 8002:
		g.ntlm(rng, i, t)
	case 4624, 4634:
		g.logon(rng, i, t, id)
	case 4672:
		g.privileges(rng, i, t)
	case 4625:
		g.failedLogon(rng, i, t, g.byRole["exposed"].pick(rng), one(rng, externalIPs), one(rng, bruteNames), "", "0xc0000064", 3)
	case 4663:
		g.objectAccess(rng, i, t)
	case 4648:
		g.explicit(rng, i, t)
	case 4776, 4768, 4769:
		g.kerberos(rng, in, i, t, id)
	case 5140:
		g.share(rng, i, t)
	default:
		g.userEvent(rng, i, t, id)
	}
}

func (g *seGen) randomPerson(rng *rand.Rand) (int, *user) {
	p := g.people[rng.IntN(len(g.people))]
	for ui, u := range g.w.users {
		if u == p {
			return ui, u
		}
	}
	return 0, g.w.users[0]
}

func (g *seGen) process(rng *rand.Rand, i int, t table.DateTime, h *seHost) {
	c := g.c
	p := h.procs.pick(rng)
	pr := processCatalog[p]
	ui := len(g.w.users) // SYSTEM
	if !pr.system {
		if h.role == "workstation" && h.domain == "CONTOSO" {
			// The machine's own user, mostly.
			for j, u := range g.w.users {
				if u.workstation == h.host {
					ui = j
					break
				}
			}
			if rng.IntN(4) == 0 {
				ui, _ = g.randomPerson(rng)
			}
		} else {
			ui, _ = g.randomPerson(rng)
			if rng.IntN(3) == 0 {
				ui = len(g.w.users) - 3 // adm-bsmith administers servers
			}
		}
	}
	s := g.procStr[p][ui]
	var account string
	if ui == len(g.w.users) {
		account = h.machineAccount
		g.subjectMachine(i, h)
		c.MandatoryLabel.S(i, "S-1-16-16384")
		c.TokenElevationType.S(i, "%%1936")
	} else {
		u := g.w.users[ui]
		account = g.userAccount[ui]
		g.subject(i, u.sid, u.sam, "CONTOSO", g.w.logonIDs[rng.IntN(256)])
		if u.admin {
			c.MandatoryLabel.S(i, "S-1-16-12288")
			c.TokenElevationType.S(i, "%%1937")
		} else {
			c.MandatoryLabel.S(i, "S-1-16-8192")
			c.TokenElevationType.S(i, "%%1938")
		}
	}
	g.common(rng, i, t, h, 4688, account)
	c.NewProcessId.S(i, g.w.hexIDs[rng.IntN(len(g.w.hexIDs))])
	c.NewProcessName.S(i, s[0])
	c.ParentProcessName.S(i, s[1])
	c.CommandLine.S(i, s[2])
	c.Process.S(i, pr.name())
	c.ProcessId.S(i, g.w.hexIDs[rng.IntN(64)])
	g.target(i, "S-1-0-0", "-", "-", "-\\-", "0x0")
}

func (g *seGen) ntlm(rng *rand.Rand, i int, t table.DateTime) {
	c := g.c
	h := g.byRole["ntlm"].pick(rng)
	var account, ws string
	if rng.IntN(3) == 0 {
		src := g.byRole["any"].pick(rng)
		for src == h {
			src = g.byRole["any"].pick(rng)
		}
		account, ws = src.machineAccount, src.short
		c.TargetUserName.S(i, src.machineName)
		c.TargetDomainName.S(i, src.domain)
	} else {
		ui, u := g.randomPerson(rng)
		account, ws = g.userAccount[ui], u.workstation.short
		c.TargetUserName.S(i, u.sam)
		c.TargetDomainName.S(i, "CONTOSO")
	}
	g.common(rng, i, t, h, 8002, account)
	c.ProcessId.S(i, "0x4")
	c.ProcessName.S(i, "System")
	c.Process.S(i, "System")
	c.WorkstationName.S(i, ws)
	c.Workstation.S(i, ws)
}

var logonTypeMix = newWeighted([]int64{5, 3, 2, 4, 7, 10, 11}, []float64{36, 42, 4, 8, 5, 2.5, 2.5})

func (g *seGen) logon(rng *rand.Rand, i int, t table.DateTime, id int) {
	c := g.c
	h := g.byRole["any"].pick(rng)
	lt := logonTypeMix.pick(rng)
	var account, sid, name, domain string
	switch {
	case lt == 5:
		account, sid, name, domain = "NT AUTHORITY\\SYSTEM", "S-1-5-18", "SYSTEM", "NT AUTHORITY"
		if rng.IntN(5) == 0 {
			account, sid, name, domain = "NT AUTHORITY\\NETWORK SERVICE", "S-1-5-20", "NETWORK SERVICE", "NT AUTHORITY"
		}
	case lt == 3 && rng.IntN(3) == 0:
		src := g.byRole["any"].pick(rng)
		account, sid, name, domain = src.machineAccount, src.machineSID+"-1000", src.machineName, src.domain
	case lt == 4:
		u := g.w.userNamed(one(rng, []string{"svc_backup", "svc_sql"}))
		account, sid, name, domain = "CONTOSO\\"+u.sam, u.sid, u.sam, "CONTOSO"
	default:
		ui, u := g.randomPerson(rng)
		account, sid, name, domain = g.userAccount[ui], u.sid, u.sam, "CONTOSO"
		if h.domain == "WORKGROUP" {
			domain = h.short
			account = h.short + "\\" + u.sam
		}
	}
	g.common(rng, i, t, h, id, account)
	logonID := g.w.logonIDs[rng.IntN(len(g.w.logonIDs))]
	if lt == 5 && name == "SYSTEM" {
		logonID = "0x3e7"
	}
	g.target(i, sid, name, domain, account, logonID)
	c.LogonType.I(i, lt)
	c.LogonTypeName.S(i, logonTypeNames[lt])
	if id == 4634 {
		return
	}
	g.subjectMachine(i, h)
	switch lt {
	case 5, 4:
		c.LogonProcessName.S(i, "Advapi  ")
		c.AuthenticationPackageName.S(i, "Negotiate")
		c.ProcessName.S(i, `C:\Windows\System32\services.exe`)
		c.IpAddress.S(i, "-")
		c.IpPort.S(i, "-")
		c.WorkstationName.S(i, "-")
	case 3:
		if rng.IntN(2) == 0 {
			c.LogonProcessName.S(i, "Kerberos")
			c.AuthenticationPackageName.S(i, "Kerberos")
			c.LmPackageName.S(i, "-")
			c.KeyLength.I(i, 0)
		} else {
			c.LogonProcessName.S(i, "NtLmSsp ")
			c.AuthenticationPackageName.S(i, "NTLM")
			c.LmPackageName.S(i, "NTLM V2")
			c.KeyLength.I(i, 128)
		}
		c.SubjectUserSid.S(i, "S-1-0-0")
		c.SubjectUserName.S(i, "-")
		c.SubjectDomainName.S(i, "-")
		c.SubjectLogonId.S(i, "0x0")
		c.SubjectAccount.S(i, "-\\-")
		src := g.byRole["any"].pick(rng)
		c.IpAddress.S(i, src.ip)
		c.IpPort.S(i, g.w.hexIDs[rng.IntN(200)][2:])
		c.WorkstationName.S(i, src.short)
		c.ProcessName.S(i, "-")
	default:
		c.LogonProcessName.S(i, "User32 ")
		c.AuthenticationPackageName.S(i, "Negotiate")
		c.ProcessName.S(i, `C:\Windows\System32\svchost.exe`)
		c.IpAddress.S(i, "127.0.0.1")
		c.IpPort.S(i, "0")
		c.WorkstationName.S(i, h.short)
		if lt == 10 {
			c.ProcessName.S(i, `C:\Windows\System32\winlogon.exe`)
			c.IpAddress.S(i, g.byRole["any"].pick(rng).ip)
		}
	}
	c.ProcessId.S(i, g.w.hexIDs[rng.IntN(16)])
	c.LogonGuid.S(i, nullGUID)
	c.ElevatedToken.S(i, "%%1842")
	c.VirtualAccount.S(i, "%%1843")
	c.RestrictedAdminMode.S(i, "-")
	c.TargetLinkedLogonId.S(i, "0x0")
	c.TargetOutboundUserName.S(i, "-")
	c.TargetOutboundDomainName.S(i, "-")
	c.TransmittedServices.S(i, "-")
}

func (g *seGen) privileges(rng *rand.Rand, i int, t table.DateTime) {
	c := g.c
	h := g.byRole["any"].pick(rng)
	if rng.IntN(10) < 7 {
		g.common(rng, i, t, h, 4672, "NT AUTHORITY\\SYSTEM")
		g.subject(i, "S-1-5-18", "SYSTEM", "NT AUTHORITY", "0x3e7")
		c.PrivilegeList.S(i, privilegesSystem)
		return
	}
	u := g.w.userNamed(one(rng, []string{"adm-bsmith", "bob.smith", "henry.nguyen", "svc_backup", "svc_sql"}))
	account := "CONTOSO\\" + u.sam
	g.common(rng, i, t, h, 4672, account)
	g.subject(i, u.sid, u.sam, "CONTOSO", g.w.logonIDs[rng.IntN(len(g.w.logonIDs))])
	c.PrivilegeList.S(i, privilegesAdmin)
}

// failedLogon writes a 4625. domainName empty means the attacker gave none.
func (g *seGen) failedLogon(rng *rand.Rand, i int, t table.DateTime, h *seHost, ip, name, domainName, subStatus string, lt int64) {
	c := g.c
	g.common(rng, i, t, h, 4625, domainName+"\\"+name)
	g.c.SubjectUserSid.S(i, "S-1-0-0")
	c.SubjectUserName.S(i, "-")
	c.SubjectDomainName.S(i, "-")
	c.SubjectLogonId.S(i, "0x0")
	c.SubjectAccount.S(i, "-\\-")
	c.TargetUserSid.S(i, "S-1-0-0")
	c.TargetUserName.S(i, name)
	c.TargetDomainName.S(i, domainName)
	c.TargetAccount.S(i, domainName+"\\"+name)
	c.Status.S(i, "0xc000006d")
	if subStatus == "0xc0000234" {
		c.Status.S(i, "0xc0000234")
	}
	c.SubStatus.S(i, subStatus)
	c.FailureReason.S(i, "%%2313")
	c.LogonType.I(i, lt)
	c.LogonTypeName.S(i, logonTypeNames[lt])
	c.LogonProcessName.S(i, "NtLmSsp ")
	c.AuthenticationPackageName.S(i, "NTLM")
	c.LmPackageName.S(i, "-")
	c.KeyLength.I(i, 0)
	c.IpAddress.S(i, ip)
	c.IpPort.S(i, "0")
	c.WorkstationName.S(i, "-")
	c.ProcessId.S(i, "0x0")
	c.ProcessName.S(i, "-")
	c.TransmittedServices.S(i, "-")
}

var accessedFiles = []string{
	`C:\Users\%USER%\Documents\Q3 forecast.xlsx`, `D:\Shares\Finance\Payroll 2024.xlsx`,
	`D:\Shares\HR\Employees.csv`, `C:\Windows\System32\drivers\etc\hosts`,
	`D:\Shares\Engineering\design.docx`, `C:\inetpub\wwwroot\web.config`,
}

func (g *seGen) objectAccess(rng *rand.Rand, i int, t table.DateTime) {
	c := g.c
	h := g.byRole["any"].pick(rng)
	ui, u := g.randomPerson(rng)
	g.common(rng, i, t, h, 4663, g.userAccount[ui])
	g.subject(i, u.sid, u.sam, "CONTOSO", g.w.logonIDs[rng.IntN(256)])
	c.ObjectServer.S(i, "Security")
	c.ObjectType.S(i, "File")
	c.ObjectName.S(i, strings.ReplaceAll(one(rng, accessedFiles), "%USER%", "alice.wong"))
	c.HandleId.S(i, g.w.hexIDs[rng.IntN(512)])
	c.AccessMask.S(i, one(rng, []string{"0x1", "0x2", "0x6", "0x10000"}))
	c.ProcessId.S(i, g.w.hexIDs[rng.IntN(512)])
	c.ProcessName.S(i, one(rng, []string{`C:\Windows\explorer.exe`, `C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE`, `C:\Windows\System32\svchost.exe`}))
}

func (g *seGen) explicit(rng *rand.Rand, i int, t table.DateTime) {
	c := g.c
	h := g.byRole["any"].pick(rng)
	u := g.w.userNamed(one(rng, []string{"adm-bsmith", "svc_backup", "henry.nguyen"}))
	g.common(rng, i, t, h, 4648, h.machineAccount)
	g.subjectMachine(i, h)
	dst := g.byRole["any"].pick(rng)
	c.TargetUserName.S(i, u.sam)
	c.TargetDomainName.S(i, "CONTOSO")
	c.TargetAccount.S(i, "CONTOSO\\"+u.sam)
	c.TargetServerName.S(i, dst.short)
	c.TargetInfo.S(i, dst.short)
	c.ProcessName.S(i, `C:\Windows\System32\svchost.exe`)
	c.ProcessId.S(i, g.w.hexIDs[rng.IntN(64)])
	c.IpAddress.S(i, "-")
	c.IpPort.S(i, "-")
	c.LogonGuid.S(i, nullGUID)
}

var spns = []string{"krbtgt", "cifs/FS01.contoso.com", "MSSQLSvc/SQL01.contoso.com:1433", "HTTP/WEB01.contoso.com", "ldap/DC01.contoso.com", "host/APP01.contoso.com"}

func (g *seGen) kerberos(rng *rand.Rand, in interner, i int, t table.DateTime, id int) {
	c := g.c
	h := g.byRole["dc"].pick(rng)
	ui, u := g.randomPerson(rng)
	g.common(rng, i, t, h, id, g.userAccount[ui])
	c.TargetUserName.S(i, u.sam)
	c.TargetDomainName.S(i, "CONTOSO")
	c.TargetAccount.S(i, g.userAccount[ui])
	c.Status.S(i, "0x0")
	switch id {
	case 4776:
		c.PackageName.S(i, "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0")
		c.Workstation.S(i, u.workstation.short)
	default:
		c.TargetUserSid.S(i, u.sid)
		c.IpAddress.S(i, in.s("::ffff:"+u.workstation.ip))
		c.IpPort.S(i, "0")
		if id == 4769 {
			c.ServiceName.S(i, one(rng, spns[1:]))
		} else {
			c.ServiceName.S(i, "krbtgt")
		}
	}
}

func (g *seGen) share(rng *rand.Rand, i int, t table.DateTime) {
	c := g.c
	h := g.byRole["fs"].pick(rng)
	ui, u := g.randomPerson(rng)
	g.common(rng, i, t, h, 5140, g.userAccount[ui])
	g.subject(i, u.sid, u.sam, "CONTOSO", g.w.logonIDs[rng.IntN(256)])
	sh := one(rng, []string{"Finance", "HR", "Shared", "Engineering"})
	c.ShareName.S(i, `\\*\`+sh)
	c.ShareLocalPath.S(i, `\??\D:\Shares\`+sh)
	c.ObjectType.S(i, "File")
	c.IpAddress.S(i, u.workstation.ip)
	c.IpPort.S(i, g.w.hexIDs[rng.IntN(200)][2:])
	c.AccessMask.S(i, "0x1")
}

func (g *seGen) userEvent(rng *rand.Rand, i int, t table.DateTime, id int) {
	c := g.c
	h := g.byRole["any"].pick(rng)
	ui, u := g.randomPerson(rng)
	g.common(rng, i, t, h, id, g.userAccount[ui])
	g.subject(i, u.sid, u.sam, "CONTOSO", g.w.logonIDs[rng.IntN(256)])
	c.TargetUserName.S(i, u.sam)
	c.TargetDomainName.S(i, "CONTOSO")
	c.TargetSid.S(i, u.sid)
	if id == 4647 {
		c.TargetUserSid.S(i, u.sid)
		c.TargetLogonId.S(i, g.w.logonIDs[rng.IntN(256)])
	}
	if id == 4798 {
		c.ProcessName.S(i, `C:\Windows\System32\svchost.exe`)
		c.ProcessId.S(i, g.w.hexIDs[rng.IntN(64)])
	}
}

// storyEvent is one row of the attack, written at its time.
type storyEvent struct {
	t     table.DateTime
	write func(g *seGen, i int, t table.DateTime)
}

// storyEvents lays the attack out in SecurityEvent rows.
func (g *seGen) storyEvents() []storyEvent {
	w := g.w
	tl := w.timeline()
	rng := newRand(w.seed, "SecurityEvent/story", 0)
	var ev []storyEvent
	add := func(t table.DateTime, f func(g *seGen, i int, t table.DateTime)) {
		ev = append(ev, storyEvent{t, f})
	}
	var web *seHost
	var dc *seHost
	var fs *seHost
	for _, h := range g.hosts {
		switch h.short {
		case "WEB01":
			web = h
		case "DC01":
			dc = h
		case "FS01":
			fs = h
		}
	}
	victim := w.attacker.victim
	ip := w.attacker.sprayIP
	// Password spray over RDP against real account names, some of which do not exist.
	names := []string{}
	for _, u := range w.people() {
		names = append(names, u.sam)
	}
	names = append(names, "administrator", "admin", "j.smith", "backup", "test")
	span := int64(tl.rdpSprayEnd - tl.rdpSpray)
	for round := range 12 {
		for j, name := range names {
			t := tl.rdpSpray + table.DateTime(span*int64(round*len(names)+j)/int64(12*len(names))) + table.DateTime(rng.Int64N(int64(table.Second)))
			sub := "0xc000006a"
			if strings.Contains("administrator admin j.smith backup test", name) {
				sub = "0xc0000064"
			}
			nm, sub2 := name, sub
			add(t, func(g *seGen, i int, t table.DateTime) {
				g.failedLogon(rng2(g, i), i, t, web, ip, nm, "CONTOSO", sub2, 10)
			})
		}
	}
	// Carol is locked out by the spray.
	add(tl.lockout, func(g *seGen, i int, t table.DateTime) {
		carol := w.userNamed("carol.diaz")
		g.common(rng2(g, i), i, t, dc, 4740, "CONTOSO\\carol.diaz")
		g.subjectMachine(i, dc)
		g.c.TargetUserName.S(i, carol.sam)
		g.c.TargetDomainName.S(i, "WEB01")
		g.c.TargetSid.S(i, carol.sid)
		g.c.TargetAccount.S(i, "CONTOSO\\carol.diaz")
	})
	// The spray works: alice logs on over RDP from the attacker's address.
	add(tl.breach, func(g *seGen, i int, t table.DateTime) {
		c := g.c
		g.common(rng2(g, i), i, t, web, 4624, "CONTOSO\\"+victim.sam)
		g.subjectMachine(i, web)
		g.target(i, victim.sid, victim.sam, "CONTOSO", "CONTOSO\\"+victim.sam, "0x2b7e4f1")
		c.LogonType.I(i, 10)
		c.LogonTypeName.S(i, logonTypeNames[10])
		c.LogonProcessName.S(i, "User32 ")
		c.AuthenticationPackageName.S(i, "Negotiate")
		c.IpAddress.S(i, ip)
		c.IpPort.S(i, "0")
		c.WorkstationName.S(i, "WEB01")
		c.ProcessName.S(i, `C:\Windows\System32\svchost.exe`)
		c.ProcessId.S(i, "0x3ac")
		c.LogonGuid.S(i, nullGUID)
		c.ElevatedToken.S(i, "%%1843")
		c.VirtualAccount.S(i, "%%1843")
		c.RestrictedAdminMode.S(i, "%%1843")
	})
	// Hands on keyboard.
	type cmd struct {
		t                  table.DateTime
		path, parent, line string
		pid, ppid          string
	}
	ps := `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`
	cmds := []cmd{
		{tl.recon, sys32 + "cmd.exe", `C:\Windows\explorer.exe`, `"C:\Windows\system32\cmd.exe"`, "0x1c4c", "0x1a0c"},
		{tl.recon + 40*table.DateTime(table.Second), sys32 + "whoami.exe", sys32 + "cmd.exe", `whoami  /all`, "0x2254", "0x1c4c"},
		{tl.recon + 95*table.DateTime(table.Second), sys32 + "net.exe", sys32 + "cmd.exe", `net  group "Domain Admins" /domain`, "0x1f08", "0x1c4c"},
		{tl.recon + 150*table.DateTime(table.Second), sys32 + "nltest.exe", sys32 + "cmd.exe", `nltest  /dclist:contoso.com`, "0x0b94", "0x1c4c"},
		{tl.encodedPS, ps, sys32 + "cmd.exe", encodedPSCommand, "0x1d30", "0x1c4c"},
		{tl.encodedPS + 75*table.DateTime(table.Second), ps, ps, reverseShellCommand, "0x1e70", "0x1d30"},
		{tl.lsass - 60*table.DateTime(table.Second), ps, sys32 + "cmd.exe", `powershell.exe -c "Get-Process lsass | Select-Object Id"`, "0x21e8", "0x1c4c"},
		{tl.lsass, sys32 + "rundll32.exe", ps, lsassDumpCommand, "0x2410", "0x1d30"},
		{tl.lateral - 3*table.DateTime(table.Minute), ps, sys32 + "cmd.exe", downloadCommand, "0x2b14", "0x1c4c"},
		{tl.newAdmin, sys32 + "net.exe", sys32 + "cmd.exe", newUserCommand, "0x0f5c", "0x1c4c"},
		{tl.newAdmin + 30*table.DateTime(table.Second), sys32 + "net.exe", sys32 + "cmd.exe", addGroupCommand, "0x1e44", "0x1c4c"},
		{tl.lateral - 30*table.DateTime(table.Second), `C:\Users\alice.wong\AppData\Local\Temp\PsExec64.exe`, sys32 + "cmd.exe", `PsExec64.exe \\FS01 -accepteula -s cmd.exe`, "0x2c0c", "0x1c4c"},
		{tl.logCleared, sys32 + "wevtutil.exe", ps, clearLogCommand, "0x2a8c", "0x1d30"},
	}
	for _, x := range cmds {
		x := x
		add(x.t, func(g *seGen, i int, t table.DateTime) {
			c := g.c
			g.common(rng2(g, i), i, t, web, 4688, "CONTOSO\\"+victim.sam)
			g.subject(i, victim.sid, victim.sam, "CONTOSO", "0x2b7e4f1")
			c.NewProcessId.S(i, x.pid)
			c.NewProcessName.S(i, x.path)
			c.ParentProcessName.S(i, x.parent)
			c.CommandLine.S(i, x.line)
			c.Process.S(i, baseName(x.path))
			c.ProcessId.S(i, x.ppid)
			c.TokenElevationType.S(i, "%%1937")
			c.MandatoryLabel.S(i, "S-1-16-12288")
			g.target(i, "S-1-0-0", "-", "-", "-\\-", "0x0")
		})
	}
	// The dump opens lsass.
	for j, id := range []int{4656, 4663} {
		add(tl.lsass+table.DateTime(j+1)*table.DateTime(table.Second), func(g *seGen, i int, t table.DateTime) {
			c := g.c
			g.common(rng2(g, i), i, t, web, id, "CONTOSO\\"+victim.sam)
			g.subject(i, victim.sid, victim.sam, "CONTOSO", "0x2b7e4f1")
			c.ObjectServer.S(i, "Security")
			c.ObjectType.S(i, "Process")
			c.ObjectName.S(i, `\Device\HarddiskVolume2\Windows\System32\lsass.exe`)
			c.HandleId.S(i, "0x10b4")
			c.AccessMask.S(i, "0x1010")
			c.ProcessId.S(i, "0x2410")
			c.ProcessName.S(i, `C:\Windows\System32\rundll32.exe`)
		})
	}
	// A new domain account, made a Domain Admin, and a local admin on WEB01.
	newSID := w.domainSID + "-1187"
	add(tl.newAdmin+2*table.DateTime(table.Second), func(g *seGen, i int, t table.DateTime) {
		c := g.c
		g.common(rng2(g, i), i, t, dc, 4720, "CONTOSO\\"+victim.sam)
		g.subject(i, victim.sid, victim.sam, "CONTOSO", "0x5d2e88")
		c.TargetUserName.S(i, w.attacker.newAdmin)
		c.TargetDomainName.S(i, "CONTOSO")
		c.TargetSid.S(i, newSID)
		c.TargetAccount.S(i, "CONTOSO\\"+w.attacker.newAdmin)
		c.SamAccountName.S(i, w.attacker.newAdmin)
		c.DisplayName.S(i, "%%1793")
		c.UserPrincipalName.S(i, "-")
		c.HomeDirectory.S(i, "%%1793")
		c.PrimaryGroupId.S(i, "513")
		c.UserAccountControl.S(i, "\r\n\t\t%%2080\r\n\t\t%%2082\r\n\t\t%%2084")
		c.OldUacValue.S(i, "0x0")
		c.NewUacValue.S(i, "0x15")
		c.PasswordLastSet.S(i, "%%1794")
		c.AccountExpires.S(i, "%%1794")
		c.EventData.S(i, eventData("TargetUserName", w.attacker.newAdmin, "TargetDomainName", "CONTOSO", "TargetSid", newSID,
			"SubjectUserSid", victim.sid, "SubjectUserName", victim.sam, "SubjectDomainName", "CONTOSO", "SubjectLogonId", "0x5d2e88",
			"PrivilegeList", "-", "SamAccountName", w.attacker.newAdmin, "DisplayName", "%%1793", "UserPrincipalName", "-",
			"PrimaryGroupId", "513", "OldUacValue", "0x0", "NewUacValue", "0x15", "UserAccountControl", "%%2080 %%2082 %%2084"))
	})
	for j, grp := range []struct {
		id            int
		h             *seHost
		name, sid, dm string
	}{
		{4728, dc, "Domain Admins", w.domainSID + "-512", "CONTOSO"},
		{4732, web, "Administrators", "S-1-5-32-544", "Builtin"},
	} {
		add(tl.newAdmin+table.DateTime(32+20*j)*table.DateTime(table.Second), func(g *seGen, i int, t table.DateTime) {
			c := g.c
			g.common(rng2(g, i), i, t, grp.h, grp.id, "CONTOSO\\"+victim.sam)
			g.subject(i, victim.sid, victim.sam, "CONTOSO", "0x5d2e88")
			c.MemberName.S(i, "CN="+w.attacker.newAdmin+",CN=Users,DC=contoso,DC=com")
			c.MemberSid.S(i, newSID)
			c.TargetUserName.S(i, grp.name)
			c.TargetDomainName.S(i, grp.dm)
			c.TargetSid.S(i, grp.sid)
			c.TargetAccount.S(i, grp.dm+"\\"+grp.name)
			c.PrivilegeList.S(i, "-")
			c.EventData.S(i, eventData("MemberName", "CN="+w.attacker.newAdmin+",CN=Users,DC=contoso,DC=com", "MemberSid", newSID,
				"TargetUserName", grp.name, "TargetDomainName", grp.dm, "TargetSid", grp.sid, "SubjectUserSid", victim.sid,
				"SubjectUserName", victim.sam, "SubjectDomainName", "CONTOSO", "SubjectLogonId", "0x5d2e88", "PrivilegeList", "-"))
		})
	}
	// Lateral movement to FS01 with the new account, through PsExec's service.
	add(tl.lateral, func(g *seGen, i int, t table.DateTime) {
		c := g.c
		g.common(rng2(g, i), i, t, fs, 4624, "CONTOSO\\"+w.attacker.newAdmin)
		g.target(i, newSID, w.attacker.newAdmin, "CONTOSO", "CONTOSO\\"+w.attacker.newAdmin, "0x7c21a3")
		c.SubjectUserSid.S(i, "S-1-0-0")
		c.SubjectUserName.S(i, "-")
		c.SubjectDomainName.S(i, "-")
		c.SubjectLogonId.S(i, "0x0")
		c.LogonType.I(i, 3)
		c.LogonTypeName.S(i, logonTypeNames[3])
		c.LogonProcessName.S(i, "NtLmSsp ")
		c.AuthenticationPackageName.S(i, "NTLM")
		c.LmPackageName.S(i, "NTLM V2")
		c.KeyLength.I(i, 128)
		c.IpAddress.S(i, web.ip)
		c.IpPort.S(i, "51234")
		c.WorkstationName.S(i, "WEB01")
		c.ProcessName.S(i, "-")
		c.ProcessId.S(i, "0x0")
	})
	add(tl.lateral+3*table.DateTime(table.Second), func(g *seGen, i int, t table.DateTime) {
		c := g.c
		g.common(rng2(g, i), i, t, fs, 4672, "CONTOSO\\"+w.attacker.newAdmin)
		g.subject(i, newSID, w.attacker.newAdmin, "CONTOSO", "0x7c21a3")
		c.PrivilegeList.S(i, privilegesAdmin)
	})
	add(tl.lateral+5*table.DateTime(table.Second), func(g *seGen, i int, t table.DateTime) {
		c := g.c
		g.common(rng2(g, i), i, t, fs, 4697, "CONTOSO\\"+w.attacker.newAdmin)
		g.subject(i, newSID, w.attacker.newAdmin, "CONTOSO", "0x7c21a3")
		c.ServiceName.S(i, "PSEXESVC")
		c.ServiceFileName.S(i, psexecService)
		c.ServiceType.S(i, "0x10")
		c.ServiceStartType.I(i, 3)
		c.ServiceAccount.S(i, "LocalSystem")
		c.EventData.S(i, eventData("SubjectUserSid", newSID, "SubjectUserName", w.attacker.newAdmin, "SubjectDomainName", "CONTOSO",
			"SubjectLogonId", "0x7c21a3", "ServiceName", "PSEXESVC", "ServiceFileName", psexecService, "ServiceType", "0x10",
			"ServiceStartType", "3", "ServiceAccount", "LocalSystem"))
	})
	// Covering tracks.
	add(tl.logCleared+2*table.DateTime(table.Second), func(g *seGen, i int, t table.DateTime) {
		g.common(rng2(g, i), i, t, web, 1102, "CONTOSO\\"+victim.sam)
		g.subject(i, victim.sid, victim.sam, "CONTOSO", "0x2b7e4f1")
		g.c.EventData.S(i, `<UserData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><LogFileCleared xmlns="http://manifests.microsoft.com/win/2004/08/windows/eventlog"><SubjectUserSid>`+victim.sid+`</SubjectUserSid><SubjectUserName>`+victim.sam+`</SubjectUserName><SubjectDomainName>CONTOSO</SubjectDomainName><SubjectLogonId>0x2b7e4f1</SubjectLogonId></LogFileCleared></UserData>`)
	})
	// VICTIM00 runs a fake svchost.exe from the user's temp folder about eleven times a day
	// (the "Suspicious process executed [seen multiple times]" alert).
	var victim00 *seHost
	for _, h := range g.hosts {
		if h.short == "VICTIM00" {
			victim00 = h
		}
	}
	for d := range Days {
		for j := range 11 {
			t := w.start + table.DateTime(int64(d)*int64(table.Day)) + table.DateTime(14*table.Hour) + table.DateTime(rng.Int64N(int64(2*table.Hour))) + table.DateTime(j)*table.DateTime(table.Minute)
			if t >= w.now {
				continue
			}
			add(t, func(g *seGen, i int, t table.DateTime) {
				c := g.c
				g.common(rng2(g, i), i, t, victim00, 4688, `VICTIM00\vmadmin`)
				g.subject(i, victim00.machineSID+"-500", "vmadmin", "VICTIM00", "0x1e5c1c8")
				c.NewProcessId.S(i, "0x1f10")
				c.NewProcessName.S(i, `C:\Users\vmadmin\AppData\Local\Temp\svchost.exe`)
				c.ParentProcessName.S(i, `C:\Windows\explorer.exe`)
				c.CommandLine.S(i, `"C:\Users\vmadmin\AppData\Local\Temp\svchost.exe" -k netsvcs`)
				c.Process.S(i, "svchost.exe")
				c.ProcessId.S(i, "0x12a8")
				c.TokenElevationType.S(i, "%%1936")
				c.MandatoryLabel.S(i, "S-1-16-12288")
				g.target(i, "S-1-0-0", "-", "-", "-\\-", "0x0")
			})
		}
	}
	sort.SliceStable(ev, func(a, b int) bool { return ev[a].t < ev[b].t })
	return ev
}

// eventData is the EventData XML the agent sends for events whose fields have no column of
// their own (hunting queries parse it).
func eventData(fields ...string) string {
	var b strings.Builder
	b.WriteString(`<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">`)
	for i := 0; i+1 < len(fields); i += 2 {
		b.WriteString(`<Data Name="` + fields[i] + `">` + fields[i+1] + `</Data>`)
	}
	b.WriteString(`</EventData>`)
	return b.String()
}

// rng2 gives story rows a random stream of their own (they only need it for _BilledSize).
func rng2(g *seGen, i int) *rand.Rand { return newRand(g.w.seed, "SecurityEvent/storyrow", uint64(i)) }
