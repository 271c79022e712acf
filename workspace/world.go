package workspace

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

// world is the imaginary organisation every table describes: Contoso, its machines, people,
// the internet around it, and the attacker. Everything is fixed by the seed.
type world struct {
	seed       uint64
	now, start table.DateTime
	startTime  time.Time

	tenant, subscription, workspaceRG, aadTenant string
	mg                                           string // ManagementGroupName
	domainSID                                    string

	hosts   []*host // Windows first, then Linux
	windows []*host
	linux   []*host
	users   []*user

	hexIDs   []string // process ids "0x1a2c"
	logonIDs []string // logon ids "0x3d2f1a"

	attacker attacker
}

type host struct {
	name       string // Computer: FQDN for domain members, NetBIOS name for workgroup machines
	short      string // NetBIOS name
	domain     string // CONTOSO or WORKGROUP
	role       string // dc, server, web, workstation, jumpbox, linux
	ip         string
	publicIP   string
	sourceID   string // SourceComputerId
	resourceID string // _ResourceId
	vmUUID     string
	deviceID   string // Defender device id (40 hex digits)
	os         string
	weight     float64 // share of SecurityEvent volume
	region     string
	machineSID string
}

type user struct {
	sam, display, upn, sid, objectID string
	dept                             string
	admin                            bool
	city, state, country             string
	lat, lon                         float64
	homeIP                           string
	workstation                      *host
}

// attacker is the outside actor whose stories run through the tables.
type attacker struct {
	sprayIP, c2IP, travelIP, c2Domain string
	victim                            *user
	host                              *host
	newAdmin                          string
}

func newWorld(seed uint64, now time.Time) *world {
	rng := newRand(seed, "world", 0)
	now = now.UTC()
	w := &world{seed: seed, now: table.FromTime(now)}
	w.startTime = now.Add(-Days * 24 * time.Hour)
	w.start = table.FromTime(w.startTime)
	w.tenant = guid(rng)
	w.subscription = guid(rng)
	w.aadTenant = guid(rng)
	w.workspaceRG = "soc-prod-rg"
	w.mg = "AOI-" + w.tenant
	w.domainSID = fmt.Sprintf("S-1-5-21-%d-%d-%d", 1000000000+rng.IntN(999999999), 1000000000+rng.IntN(999999999), 100000000+rng.IntN(899999999))

	type hdef struct {
		short, domain, role, os string
		weight                  float64
	}
	defs := []hdef{
		{"DC01", "CONTOSO", "dc", "Windows Server 2019 Datacenter", 0.20},
		{"DC02", "CONTOSO", "dc", "Windows Server 2019 Datacenter", 0.14},
		{"FS01", "CONTOSO", "server", "Windows Server 2016 Datacenter", 0.08},
		{"SQL01", "CONTOSO", "server", "Windows Server 2019 Datacenter", 0.08},
		{"WEB01", "CONTOSO", "web", "Windows Server 2019 Datacenter", 0.09},
		{"APP01", "CONTOSO", "server", "Windows Server 2022 Datacenter", 0.06},
		{"JBOX00", "WORKGROUP", "jumpbox", "Windows Server 2016 Datacenter", 0.09},
		{"VICTIM00", "WORKGROUP", "workstation", "Windows 10 Enterprise", 0.06},
		{"WS-FIN-014", "CONTOSO", "workstation", "Windows 10 Enterprise", 0.05},
		{"WS-HR-022", "CONTOSO", "workstation", "Windows 11 Enterprise", 0.05},
		{"WS-DEV-007", "CONTOSO", "workstation", "Windows 11 Enterprise", 0.06},
		{"WS-EXEC-001", "CONTOSO", "workstation", "Windows 11 Enterprise", 0.04},
		{"web-lnx-01", "", "linux", "Ubuntu 20.04", 0},
		{"bastion-01", "", "linux", "Ubuntu 22.04", 0},
		{"squid-uk-02", "", "linux", "Ubuntu 18.04", 0},
		{"k8s-node-03", "", "linux", "CentOS 7.9", 0},
	}
	for i, d := range defs {
		h := &host{short: d.short, domain: d.domain, role: d.role, os: d.os, weight: d.weight}
		switch {
		case d.role == "linux":
			h.name = d.short
		case d.domain == "CONTOSO":
			h.name = d.short + ".contoso.com"
		default:
			h.name = d.short
		}
		h.ip = fmt.Sprintf("10.0.%d.%d", 1+i/6, 4+i*3)
		h.publicIP = fmt.Sprintf("%d.%d.%d.%d", one(rng, []int{13, 20, 40, 52, 104}), rng.IntN(255), rng.IntN(255), 1+rng.IntN(250))
		h.sourceID = guid(rng)
		h.vmUUID = guid(rng)
		h.deviceID = hexString(rng, 40)
		h.region = one(rng, []string{"eastus", "eastus2", "westeurope"})
		h.machineSID = fmt.Sprintf("S-1-5-21-%d-%d-%d", 1000000000+rng.IntN(999999999), 1000000000+rng.IntN(999999999), 100000000+rng.IntN(899999999))
		rg := "contoso-prod-rg"
		if d.role == "workstation" {
			rg = "contoso-vdi-rg"
		}
		h.resourceID = strings.ToLower(fmt.Sprintf("/subscriptions/%s/resourcegroups/%s/providers/microsoft.compute/virtualmachines/%s", w.subscription, rg, d.short))
		w.hosts = append(w.hosts, h)
		if d.role == "linux" {
			w.linux = append(w.linux, h)
		} else {
			w.windows = append(w.windows, h)
		}
	}

	type udef struct {
		sam, display, dept, city, state, country string
		lat, lon                                 float64
		admin                                    bool
	}
	udefs := []udef{
		{"alice.wong", "Alice Wong", "Finance", "Seattle", "Washington", "US", 47.61, -122.33, false},
		{"bob.smith", "Bob Smith", "IT", "Redmond", "Washington", "US", 47.67, -122.12, true},
		{"carol.diaz", "Carol Diaz", "HR", "Austin", "Texas", "US", 30.27, -97.74, false},
		{"dave.patel", "Dave Patel", "Engineering", "London", "England", "GB", 51.51, -0.13, false},
		{"erin.kim", "Erin Kim", "Engineering", "Seattle", "Washington", "US", 47.61, -122.33, false},
		{"frank.miller", "Frank Miller", "Sales", "Chicago", "Illinois", "US", 41.88, -87.63, false},
		{"grace.lee", "Grace Lee", "Executive", "New York", "New York", "US", 40.71, -74.01, false},
		{"henry.nguyen", "Henry Nguyen", "IT", "Dublin", "Dublin", "IE", 53.35, -6.26, true},
		{"irene.garcia", "Irene Garcia", "Finance", "Madrid", "Madrid", "ES", 40.42, -3.70, false},
		{"jack.taylor", "Jack Taylor", "Sales", "Toronto", "Ontario", "CA", 43.65, -79.38, false},
		{"adm-bsmith", "Bob Smith (admin)", "IT", "Redmond", "Washington", "US", 47.67, -122.12, true},
		{"svc_sql", "SQL Service", "Service", "Redmond", "Washington", "US", 47.67, -122.12, false},
		{"svc_backup", "Backup Service", "Service", "Redmond", "Washington", "US", 47.67, -122.12, false},
	}
	workstations := []*host{}
	for _, h := range w.windows {
		if h.role == "workstation" && h.domain == "CONTOSO" {
			workstations = append(workstations, h)
		}
	}
	for i, d := range udefs {
		u := &user{sam: d.sam, display: d.display, dept: d.dept, city: d.city, state: d.state, country: d.country, lat: d.lat, lon: d.lon, admin: d.admin}
		u.upn = d.sam + "@contoso.com"
		u.sid = fmt.Sprintf("%s-%d", w.domainSID, 1104+i)
		u.objectID = guid(rng)
		u.homeIP = fmt.Sprintf("%d.%d.%d.%d", one(rng, []int{73, 24, 98, 86, 81, 176}), rng.IntN(255), rng.IntN(255), 1+rng.IntN(250))
		u.workstation = workstations[i%len(workstations)]
		w.users = append(w.users, u)
	}

	w.hexIDs = make([]string, 4096)
	for i := range w.hexIDs {
		w.hexIDs[i] = fmt.Sprintf("0x%x", 4*(64+rng.IntN(8000)))
	}
	w.logonIDs = make([]string, 2048)
	for i := range w.logonIDs {
		w.logonIDs[i] = fmt.Sprintf("0x%x", 0x10000+rng.IntN(0x3ffffff))
	}

	w.attacker = attacker{
		sprayIP:  "45.227.255.206",
		c2IP:     "185.220.101.47",
		travelIP: "91.243.44.131",
		c2Domain: "cdn-update-check.net",
		victim:   w.users[0], // alice.wong
		host:     w.hostNamed("WEB01"),
		newAdmin: "helpdesk_tmp",
	}
	return w
}

func (w *world) hostNamed(short string) *host {
	for _, h := range w.hosts {
		if h.short == short {
			return h
		}
	}
	return w.hosts[0]
}

func (w *world) userNamed(sam string) *user {
	for _, u := range w.users {
		if u.sam == sam {
			return u
		}
	}
	return w.users[0]
}

// people are the users who sign in interactively (not service accounts).
func (w *world) people() []*user {
	var out []*user
	for _, u := range w.users {
		if !strings.HasPrefix(u.sam, "svc_") {
			out = append(out, u)
		}
	}
	return out
}

func guid(rng *rand.Rand) string {
	const hexd = "0123456789abcdef"
	b := make([]byte, 36)
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hexd[rng.IntN(16)]
		}
	}
	b[14] = '4'                 // version 4
	b[19] = "89ab"[rng.IntN(4)] // RFC 4122 variant
	return string(b)
}

func hexString(rng *rand.Rand, n int) string {
	const hexd = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hexd[rng.IntN(16)]
	}
	return string(b)
}

// externalIPs are scanners and brute-forcers seen from the internet.
var externalIPs = []string{
	"45.227.255.206", "185.156.73.54", "193.106.191.44", "92.63.197.153", "212.70.149.150",
	"141.98.10.63", "80.66.76.145", "194.165.16.11", "89.248.165.72", "45.155.205.233",
	"162.142.125.221", "167.94.138.35", "61.177.172.140", "218.92.0.107", "122.194.229.45",
	"5.188.206.46", "46.161.27.122", "103.145.13.212", "179.60.147.99", "20.102.52.113",
}

// bruteNames are the account names that internet brute-forcers try.
var bruteNames = []string{"ADMINISTRATOR", "ADMIN", "USER", "TEST", "ADMINISTRADOR", "GUEST", "SCANNER",
	"USER1", "ADMIN1", "BACKUP", "SUPPORT", "SERVER", "OWNER", "DEMO", "SQLADMIN", "LAB"}
