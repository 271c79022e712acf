package workspace

import (
	"fmt"
	"strings"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

type officeOp struct {
	op, workload, record string
	w                    float64
}

var officeOps = []officeOp{
	{"MailItemsAccessed", "Exchange", "ExchangeItem", 30}, {"FileAccessed", "SharePoint", "SharePointFileOperation", 20},
	{"FileModified", "OneDrive", "SharePointFileOperation", 10}, {"FileDownloaded", "SharePoint", "SharePointFileOperation", 6},
	{"FileUploaded", "OneDrive", "SharePointFileOperation", 5}, {"Send", "Exchange", "ExchangeItem", 8},
	{"MessageSent", "MicrosoftTeams", "MicrosoftTeams", 8}, {"MemberAdded", "MicrosoftTeams", "MicrosoftTeams", 0.5},
	{"SharingSet", "SharePoint", "SharePointSharingOperation", 1}, {"PageViewed", "SharePoint", "SharePointFileOperation", 6},
	{"Set-Mailbox", "Exchange", "ExchangeAdmin", 0.2}, {"New-InboxRule", "Exchange", "ExchangeAdmin", 0.1},
}

func (w *world) fillOffice(r row, op officeOp, u *user, ip string) {
	r.s("SourceSystem", "OfficeActivityManager")
	r.s("Operation", op.op)
	r.s("OfficeWorkload", op.workload)
	r.s("RecordType", op.record)
	r.s("UserId", u.upn)
	r.s("UserKey", u.objectID)
	r.s("UserType", "Regular")
	r.s("ClientIP", ip)
	r.s("OfficeId", guid(r.rng))
	r.s("OrganizationId", w.aadTenant)
	r.s("OfficeTenantId", w.aadTenant)
	r.s("ResultStatus", "Succeeded")
	r.s("ExternalAccess", "false")
	switch op.workload {
	case "SharePoint", "OneDrive":
		site := "https://contoso.sharepoint.com/sites/Finance/"
		if op.workload == "OneDrive" {
			site = "https://contoso-my.sharepoint.com/personal/" + strings.ReplaceAll(u.sam, ".", "_") + "_contoso_com/"
		}
		f := one(r.rng, userFiles)
		r.s("Site_Url", site)
		r.s("SourceRelativeUrl", "Shared Documents")
		r.s("SourceFileName", f)
		r.s("SourceFileExtension", strings.TrimPrefix(f[strings.LastIndex(f, "."):], "."))
		r.s("OfficeObjectId", r.in.s(site+"Shared Documents/"+f))
		r.s("UserAgent", userAgents[0])
		r.s("EventSource", "SharePoint")
		r.s("ItemType", "File")
	case "Exchange":
		r.s("MailboxOwnerUPN", u.upn)
		r.s("Client_IPAddress", ip)
		r.s("ClientInfoString", "Client=OWA;Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36")
		r.s("OriginatingServer", "BY5PR04MB6995 (15.20.7025.000)")
		r.s("ResultStatus", "True")
	case "MicrosoftTeams":
		r.s("TeamName", one(r.rng, []string{"Finance", "Engineering", "All Company", "Sales EMEA"}))
		r.s("ChatName", "")
	}
}

func genOfficeActivity(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	ws := make([]float64, len(officeOps))
	for i, o := range officeOps {
		ws[i] = o.w
	}
	mix := newWeighted(officeOps, ws)
	tl := w.timeline()
	v := w.attacker.victim
	story := []stamped{{tl.inboxRule, func(r row, t table.DateTime) {
		w.fillOffice(r, officeOps[11], v, w.attacker.travelIP+":51422")
		r.s("Parameters", `[{"Name":"AlwaysDeleteOutlookRulesBlob","Value":"False"},{"Name":"Force","Value":"False"},{"Name":"ForwardTo","Value":"a.wong.backup@protonmail.com"},{"Name":"Name","Value":"."},{"Name":"StopProcessingRules","Value":"True"},{"Name":"MarkAsRead","Value":"True"}]`)
		r.s("OfficeObjectId", `contoso.onmicrosoft.com\`+v.display+`\.`)
	}}}
	for j := range 120 {
		story = append(story, stamped{tl.massDownload + table.DateTime(j)*table.DateTime(4*table.Second), func(r row, t table.DateTime) {
			w.fillOffice(r, officeOps[3], v, w.attacker.travelIP)
			f := fmt.Sprintf("Statement_%04d.pdf", 1000+j)
			r.s("SourceFileName", f)
			r.s("SourceFileExtension", "pdf")
			r.s("OfficeObjectId", "https://contoso.sharepoint.com/sites/Finance/Shared Documents/Statements/"+f)
			r.s("UserAgent", userAgents[4])
		}})
	}
	people := w.people()
	return timedTable(w, "OfficeActivity", schema, n, business, func(r row, t table.DateTime) {
		u := people[r.rng.IntN(len(people))]
		w.fillOffice(r, mix.pick(r.rng), u, u.homeIP)
	}, story)
}

type azOp struct {
	value, name, provider, resourceType string
	w                                   float64
}

var azureOps = []azOp{
	{"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", "Create or Update Virtual Machine", "MICROSOFT.COMPUTE", "virtualMachines", 4},
	{"MICROSOFT.COMPUTE/VIRTUALMACHINES/START/ACTION", "Start Virtual Machine", "MICROSOFT.COMPUTE", "virtualMachines", 3},
	{"MICROSOFT.COMPUTE/VIRTUALMACHINES/DEALLOCATE/ACTION", "Deallocate Virtual Machine", "MICROSOFT.COMPUTE", "virtualMachines", 3},
	{"MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE", "Create or Update Security Rule", "MICROSOFT.NETWORK", "networkSecurityGroups", 1},
	{"MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION", "List Storage Account Keys", "MICROSOFT.STORAGE", "storageAccounts", 2},
	{"MICROSOFT.KEYVAULT/VAULTS/WRITE", "Update Key Vault", "MICROSOFT.KEYVAULT", "vaults", 0.5},
	{"MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE", "Create Deployment", "MICROSOFT.RESOURCES", "deployments", 3},
	{"MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE", "Create or update resource diagnostic setting", "MICROSOFT.INSIGHTS", "diagnosticSettings", 0.5},
	{"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE", "Create role assignment", "MICROSOFT.AUTHORIZATION", "roleAssignments", 0.3},
	{"MICROSOFT.WEB/SITES/RESTART/ACTION", "Restart Web App", "MICROSOFT.WEB", "sites", 1},
}

func (w *world) fillAzure(r row, op azOp, caller, ip, status string) {
	r.s("SourceSystem", "Azure")
	r.s("OperationNameValue", op.value)
	r.s("OperationName", op.name)
	r.s("ResourceProviderValue", op.provider)
	r.s("ResourceProvider", op.provider)
	r.s("CategoryValue", "Administrative")
	r.s("Category", "Administrative")
	r.s("Level", "Informational")
	r.s("ActivityStatusValue", status)
	r.s("ActivityStatus", status)
	r.s("ActivitySubstatusValue", map[string]string{"Success": "OK", "Start": "", "Accept": "Accepted", "Failure": "Forbidden"}[status])
	r.s("Caller", caller)
	r.s("CallerIpAddress", ip)
	r.s("CorrelationId", guid(r.rng))
	r.s("EventDataId", guid(r.rng))
	r.s("OperationId", guid(r.rng))
	rg := one(r.rng, []string{"contoso-prod-rg", "contoso-vdi-rg", "contoso-dev-rg"})
	res := strings.ToLower(one(r.rng, w.windows).short)
	rid := "/subscriptions/" + w.subscription + "/resourceGroups/" + rg + "/providers/" + op.provider + "/" + op.resourceType + "/" + res
	r.s("ResourceGroup", strings.ToUpper(rg))
	r.s("Resource", res)
	r.s("ResourceId", rid)
	r.s("_ResourceId", strings.ToLower(rid))
	r.s("SubscriptionId", w.subscription)
	r.s("Hierarchy", w.aadTenant+"/"+w.subscription)
	r.t("EventSubmissionTimestamp", r.b.dtAt(r.i))
	auth := map[string]any{"action": strings.ToLower(op.value), "scope": rid}
	r.s("Authorization", table.DynamicJSON(auth))
	r.d("Authorization_d", auth)
	claims := map[string]any{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": caller, "ipaddr": ip, "appid": "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"}
	r.s("Claims", table.DynamicJSON(claims))
	r.d("Claims_d", claims)
	props := map[string]any{"eventCategory": "Administrative", "entity": rid, "message": strings.ToLower(op.value), "hierarchy": w.aadTenant + "/" + w.subscription}
	r.s("Properties", table.DynamicJSON(props))
	r.d("Properties_d", props)
	r.s("HTTPRequest", table.DynamicJSON(map[string]any{"clientIpAddress": ip, "method": "PUT"}))
}

// dtAt reads back the TimeGenerated already set in row i.
func (b *builder) dtAt(i int) table.DateTime {
	return table.DateTime(b.dt("TimeGenerated").ints[i])
}

func genAzureActivity(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	ws := make([]float64, len(azureOps))
	for i, o := range azureOps {
		ws[i] = o.w
	}
	mix := newWeighted(azureOps, ws)
	tl := w.timeline()
	v := w.attacker.victim
	story := []stamped{
		{tl.roleAssigned + table.DateTime(10*table.Minute), func(r row, t table.DateTime) {
			w.fillAzure(r, azureOps[8], v.upn, w.attacker.travelIP, "Success")
		}},
		{tl.roleAssigned + table.DateTime(14*table.Minute), func(r row, t table.DateTime) {
			w.fillAzure(r, azureOps[4], v.upn, w.attacker.travelIP, "Success")
		}},
	}
	admins := []*user{w.userNamed("bob.smith"), w.userNamed("henry.nguyen"), w.userNamed("erin.kim")}
	return timedTable(w, "AzureActivity", schema, n, business, func(r row, t table.DateTime) {
		u := one(r.rng, admins)
		status := one(r.rng, []string{"Start", "Success", "Success", "Accept"})
		if r.rng.IntN(40) == 0 {
			status = "Failure"
		}
		w.fillAzure(r, mix.pick(r.rng), u.upn, u.homeIP, status)
	}, story)
}

var kvOps = []string{"SecretGet", "SecretGet", "SecretList", "KeyGet", "VaultGet", "Authentication", "CertificateGet", "SecretSet"}

func genAzureDiagnostics(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	tl := w.timeline()
	web := w.hostNamed("WEB01")
	var story []stamped
	for t := tl.c2Start; t < tl.c2End; t += table.DateTime(20 * table.Minute) {
		story = append(story, stamped{t, func(r row, t table.DateTime) {
			w.fillFirewall(r, web.ip, w.attacker.c2IP, 443, "Allow")
		}})
	}
	kvID := "/SUBSCRIPTIONS/" + strings.ToUpper(w.subscription) + "/RESOURCEGROUPS/CONTOSO-PROD-RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/CONTOSO-KV"
	return timedTable(w, "AzureDiagnostics", schema, n, machine, func(r row, t table.DateTime) {
		if r.rng.IntN(2) == 0 {
			h := one(r.rng, w.hosts)
			svc := remoteServices[r.rng.IntN(len(remoteServices))]
			action := "Allow"
			if r.rng.IntN(15) == 0 {
				action = "Deny"
			}
			w.fillFirewall(r, h.ip, svc.ip, svc.port, action)
			return
		}
		op := one(r.rng, kvOps)
		r.s("SourceSystem", "Azure")
		r.s("Category", "AuditEvent")
		r.s("OperationName", op)
		r.s("OperationVersion", "7.4")
		r.s("ResourceProvider", "MICROSOFT.KEYVAULT")
		r.s("ResourceType", "VAULTS")
		r.s("Resource", "CONTOSO-KV")
		r.s("ResourceGroup", "CONTOSO-PROD-RG")
		r.g("SubscriptionId", w.subscription)
		r.s("_ResourceId", strings.ToLower(kvID))
		r.s("ResultSignature", "OK")
		r.s("ResultType", "Success")
		r.n64("DurationMs", int64(5+r.rng.IntN(80)))
		r.s("CallerIPAddress", one(r.rng, w.hosts).ip)
		r.s("id_s", "https://contoso-kv.vault.azure.net/secrets/"+one(r.rng, []string{"sql-password", "storage-key", "api-token"}))
		r.s("requestUri_s", "https://contoso-kv.vault.azure.net/secrets?api-version=7.4")
		r.s("clientInfo_s", "azsdk-net-Security.KeyVault.Secrets/4.5.0 (.NET 6.0.25; Microsoft Windows 10.0.17763)")
		r.f("httpStatusCode_d", 200)
		r.g("identity_claim_appid_g", "9b3f3d7a-1c2e-4b6f-8d1a-2f7c5e9a0b11")
		r.s("identity_claim_ipaddr_s", "")
		r.g("properties_tenantId_g", w.aadTenant)
		r.g("Tenant_g", w.aadTenant)
		r.bo("isAccessPolicyMatch_b", true)
		r.s("CorrelationId", guid(r.rng))
	}, story)
}

func (w *world) fillFirewall(r row, src, dst string, port int64, action string) {
	r.s("SourceSystem", "Azure")
	r.s("Category", "AzureFirewallNetworkRule")
	r.s("OperationName", "AzureFirewallNetworkRuleLog")
	r.s("ResourceProvider", "MICROSOFT.NETWORK")
	r.s("ResourceType", "AZUREFIREWALLS")
	r.s("Resource", "CONTOSO-FW")
	r.s("ResourceGroup", "CONTOSO-HUB-RG")
	r.g("SubscriptionId", w.subscription)
	r.s("_ResourceId", "/subscriptions/"+w.subscription+"/resourcegroups/contoso-hub-rg/providers/microsoft.network/azurefirewalls/contoso-fw")
	r.s("msg_s", r.in.s(fmt.Sprintf("TCP request from %s:%d to %s:%d. Action: %s", src, 49152+r.rng.IntN(16000), dst, port, action)))
}

type tiKind struct {
	threat, desc string
}

var tiKinds = []tiKind{{"Botnet", "Botnet C2 server"}, {"C2", "Command and control infrastructure"}, {"Malware", "Malware distribution"},
	{"Phishing", "Credential phishing site"}, {"Scanner", "Mass scanning host"}, {"Proxy", "Anonymizing proxy / Tor exit node"}}

func genThreatIntelligence(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	rng := newRand(w.seed, "ThreatIntelligenceIndicator/iocs", 0)
	type ioc struct{ ip, domain, url, hash string }
	var iocs []ioc
	// The indicators our stories hit, then internet noise.
	iocs = append(iocs, ioc{ip: w.attacker.c2IP}, ioc{domain: w.attacker.c2Domain}, ioc{url: "https://" + w.attacker.c2Domain + "/a.ps1"},
		ioc{ip: w.attacker.sprayIP}, ioc{ip: w.attacker.travelIP})
	for _, ip := range externalIPs[1:10] {
		iocs = append(iocs, ioc{ip: ip})
	}
	for len(iocs) < max(40, n/8) {
		switch rng.IntN(4) {
		case 0, 1:
			iocs = append(iocs, ioc{ip: fmt.Sprintf("%d.%d.%d.%d", 23+rng.IntN(200), rng.IntN(255), rng.IntN(255), 1+rng.IntN(253))})
		case 2:
			iocs = append(iocs, ioc{domain: fmt.Sprintf("%s-%s.%s", one(rng, []string{"secure", "login", "update", "cdn", "mail", "account"}), hexString(rng, 6), one(rng, []string{"com", "net", "xyz", "top", "ru"}))})
		default:
			iocs = append(iocs, ioc{hash: hexString(rng, 64)})
		}
	}
	return timedTable(w, "ThreatIntelligenceIndicator", schema, n, flat, func(r row, t table.DateTime) {
		i := r.rng.IntN(len(iocs))
		if r.rng.IntN(4) == 0 {
			i = r.rng.IntN(5) // our indicators are refreshed often
		}
		x := iocs[i]
		k := tiKinds[i%len(tiKinds)]
		if i < 3 {
			k = tiKinds[1]
		} else if i < 5 {
			k = tiKinds[4]
		}
		r.s("SourceSystem", one(r.rng, []string{"Microsoft Emerging Threat Feed", "SecurityGraph", "Azure Sentinel"}))
		r.s("IndicatorId", r.in.s(fmt.Sprintf("%X", int64(i)*7919+1000003)))
		r.s("ExternalIndicatorId", r.in.s(fmt.Sprintf("indicator--%08x-0000-4000-8000-%012x", i, i*977)))
		r.s("ThreatType", k.threat)
		r.s("Description", k.desc)
		r.s("Action", "alert")
		r.bo("Active", true)
		r.f("ConfidenceScore", float64(50+(i*37)%50))
		r.n32("ThreatSeverity", int64(1+i%5))
		r.s("TrafficLightProtocolLevel", one(r.rng, []string{"Amber", "Green", "White"}))
		r.t("ExpirationDateTime", t+table.DateTime(table.FromDuration(30*24*time.Hour)))
		r.s("Tags", `["`+strings.ToLower(k.threat)+`"]`)
		r.s("IndicatorProvider", "Microsoft Threat Intelligence")
		r.bo("PassiveOnly", false)
		r.bo("KillChainC2", k.threat == "C2" || k.threat == "Botnet")
		r.bo("KillChainReconnaissance", k.threat == "Scanner")
		r.bo("KillChainDelivery", k.threat == "Phishing" || k.threat == "Malware")
		switch {
		case x.ip != "":
			r.s("NetworkIP", x.ip)
			r.s("NetworkDestinationIP", x.ip)
		case x.domain != "":
			r.s("DomainName", x.domain)
		case x.url != "":
			r.s("Url", x.url)
		default:
			r.s("FileHashValue", x.hash)
			r.s("FileHashType", "SHA256")
		}
	}, nil)
}
