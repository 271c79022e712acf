package workspace

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
)

// The column lists and types of the generated tables, from the Azure Monitor table reference
// (copied from ../shared/data/schemas; see its SOURCE file).
//
//go:embed schemas/*.tsv
var schemaFS embed.FS

// TableSchema describes one table for completion and inspection.
type TableSchema struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Columns     []ColumnSchema `json:"columns"`
}

// ColumnSchema is one column: its name, KQL type and (when known) a description.
type ColumnSchema struct {
	Name        string     `json:"name"`
	Type        table.Type `json:"-"`
	TypeName    string     `json:"type"`
	Description string     `json:"description,omitempty"`
}

// tableDescriptions are one-line summaries shown by completion.
var tableDescriptions = map[string]string{
	"SecurityEvent":                   "Security events collected from Windows machines by the Log Analytics agent (logons, process creation, account changes).",
	"SecurityAlert":                   "Alerts raised by Microsoft Sentinel analytics rules and connected security products.",
	"SigninLogs":                      "Azure Active Directory interactive user sign-ins.",
	"AADNonInteractiveUserSignInLogs": "Azure Active Directory sign-ins done by a client on behalf of a user, without user interaction.",
	"AuditLogs":                       "Azure Active Directory audit log: changes to users, groups, roles, applications and policies.",
	"Syslog":                          "Syslog messages from Linux machines.",
	"CommonSecurityLog":               "CEF messages from firewalls, proxies and other security appliances.",
	"Heartbeat":                       "Agent heartbeats: one row per machine per minute.",
	"OfficeActivity":                  "Office 365 audit events (Exchange, SharePoint, OneDrive, Teams).",
	"AzureActivity":                   "Azure subscription activity log: control-plane operations on resources.",
	"AzureDiagnostics":                "Resource logs of Azure services (Key Vault, Firewall, SQL, Application Gateway ...).",
	"DnsEvents":                       "DNS server events: lookups and server configuration.",
	"W3CIISLog":                       "IIS web server access logs in W3C format.",
	"ThreatIntelligenceIndicator":     "Threat intelligence indicators (IPs, domains, URLs, file hashes).",
	"DeviceProcessEvents":             "Microsoft Defender for Endpoint: process creation and related events.",
	"DeviceNetworkEvents":             "Microsoft Defender for Endpoint: network connections.",
	"DeviceFileEvents":                "Microsoft Defender for Endpoint: file creation, modification and other file system events.",
	"DeviceEvents":                    "Microsoft Defender for Endpoint: miscellaneous events (security controls, API calls, ...).",
	"Event":                           "Windows event log events other than Security (System, Application ...).",
	"Perf":                            "Performance counters from Windows and Linux machines.",
}

// columnDescriptions describe the columns queries use most; the rest have none.
var columnDescriptions = map[string]string{
	"TimeGenerated":      "When the record was created (UTC).",
	"TenantId":           "The Log Analytics workspace ID.",
	"Type":               "The name of the table.",
	"Computer":           "The name of the computer the event came from.",
	"Account":            "The account the event is about (DOMAIN\\name).",
	"AccountType":        "User or Machine.",
	"EventID":            "The Windows event ID (4624 logon, 4625 failed logon, 4688 process creation ...).",
	"Activity":           "The event ID and its description.",
	"CommandLine":        "The command line of the new process (4688).",
	"NewProcessName":     "The full path of the new process (4688).",
	"ParentProcessName":  "The full path of the parent process (4688).",
	"LogonType":          "The kind of logon: 2 interactive, 3 network, 4 batch, 5 service, 7 unlock, 10 remote interactive, 11 cached.",
	"IpAddress":          "The source address of a logon.",
	"UserPrincipalName":  "The user's sign-in name (user@domain).",
	"IPAddress":          "The client IP address.",
	"ResultType":         "0 for success, else the Azure AD error code.",
	"AppDisplayName":     "The application the user signed in to.",
	"Location":           "The country or region of the sign-in.",
	"SyslogMessage":      "The text of the message.",
	"Facility":           "The syslog facility.",
	"SeverityLevel":      "The syslog severity.",
	"AlertName":          "The name of the alert.",
	"AlertSeverity":      "High, Medium, Low or Informational.",
	"Entities":           "JSON list of the entities (hosts, accounts, IPs, processes) involved.",
	"ExtendedProperties": "JSON object of the alert's other properties.",
	"OperationName":      "The operation that was performed.",
	"DeviceName":         "The fully qualified name of the device.",
	"ProcessCommandLine": "The command line of the process.",
	"RemoteIP":           "The remote IP address.",
}

// loadSchemas parses the embedded TSV files; the order of columns is the reference page's,
// with TenantId and TimeGenerated moved to the front as Log Analytics shows them.
func loadSchemas() (map[string]table.Schema, error) {
	entries, err := schemaFS.ReadDir("schemas")
	if err != nil {
		return nil, fmt.Errorf("workspace: reading embedded schemas: %w", err)
	}
	out := make(map[string]table.Schema, len(entries))
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".tsv")
		data, err := schemaFS.ReadFile("schemas/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("workspace: reading schema %s: %w", name, err)
		}
		var cols table.Schema
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		first := true
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if first {
				first = false
				continue
			}
			if line == "" {
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) != 2 {
				return nil, fmt.Errorf("workspace: schema %s: bad line %q", name, line)
			}
			t, ok := table.ParseType(f[1])
			if !ok {
				return nil, fmt.Errorf("workspace: schema %s: column %s has unknown type %q", name, f[0], f[1])
			}
			cols = append(cols, table.ColumnSchema{Name: f[0], Type: t})
		}
		for _, x := range extraColumns[name] {
			if !hasColumn(cols, x.Name) {
				cols = append(cols, x)
			}
		}
		if !hasColumn(cols, "TenantId") {
			cols = append(cols, table.ColumnSchema{Name: "TenantId", Type: table.TypeString})
		}
		out[name] = orderColumns(name, cols)
	}
	return out, nil
}

// extraColumns are real columns the reference pages leave out. Every Log Analytics table has
// TenantId (a standard column; the pages of ten of our tables omit it), SecurityAlert has
// SourceSystem, and AzureDiagnostics grows a column for every field a resource logs: these are
// the ones Sentinel's queries read (Key Vault access policies, Application Gateway, AAD claims).
var extraColumns = map[string][]table.ColumnSchema{
	"SecurityAlert": {{Name: "SourceSystem", Type: table.TypeString}},
	// MG, the management group id of the legacy agent, is in real rows of these tables (the
	// seed notebook's SecurityEvent, msticpy's Heartbeat and Syslog exports).
	"SecurityEvent": {{Name: "MG", Type: table.TypeString}},
	"Heartbeat":     {{Name: "MG", Type: table.TypeString}},
	"Syslog":        {{Name: "MG", Type: table.TypeString}},
	"Event":         {{Name: "MG", Type: table.TypeString}},
	"AzureDiagnostics": {
		{Name: "ResourceId", Type: table.TypeString},
		{Name: "identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g", Type: table.TypeGUID},
		{Name: "identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_name_s", Type: table.TypeString},
		{Name: "originalRequestUriWithArgs_s", Type: table.TypeString},
		{Name: "listenerName_s", Type: table.TypeString},
		{Name: "addedAccessPolicy_ObjectId_g", Type: table.TypeGUID},
		{Name: "addedAccessPolicy_Permissions_keys_s", Type: table.TypeString},
		{Name: "addedAccessPolicy_Permissions_secrets_s", Type: table.TypeString},
		{Name: "addedAccessPolicy_Permissions_certificates_s", Type: table.TypeString},
		{Name: "removedAccessPolicy_ObjectId_g", Type: table.TypeGUID},
		{Name: "removedAccessPolicy_Permissions_keys_s", Type: table.TypeString},
		{Name: "removedAccessPolicy_Permissions_secrets_s", Type: table.TypeString},
		{Name: "removedAccessPolicy_Permissions_certificates_s", Type: table.TypeString},
	},
}

func hasColumn(s table.Schema, name string) bool {
	for _, c := range s {
		if c.Name == name {
			return true
		}
	}
	return false
}

// securityEventOrder is the column order of a real SecurityEvent row (the seed notebook's
// `take 1`); columns of the reference that it lacks follow in reference order.
var securityEventOrder = strings.Fields(`TenantId TimeGenerated SourceSystem Account AccountType Computer
EventSourceName Channel Task Level EventData EventID Activity`)

// securityAlertOrder is the column order Log Analytics shows for SecurityAlert (the seed
// notebook's output), not the reference page's alphabetical one.
var securityAlertOrder = []string{"TenantId", "TimeGenerated", "DisplayName", "AlertName",
	"AlertSeverity", "Description", "ProviderName", "VendorName", "VendorOriginalId",
	"SystemAlertId", "ResourceId", "SourceComputerId", "AlertType", "ConfidenceLevel",
	"ConfidenceScore", "IsIncident", "StartTime", "EndTime", "ProcessingEndTime",
	"RemediationSteps", "ExtendedProperties", "Entities", "SourceSystem",
	"WorkspaceSubscriptionId", "WorkspaceResourceGroup", "ExtendedLinks", "ProductName",
	"ProductComponentName", "AlertLink", "Status", "CompromisedEntity", "Tactics", "Techniques",
	"SubTechniques", "Type"}

func orderColumns(name string, cols table.Schema) table.Schema {
	front := []string{"TenantId", "TimeGenerated"}
	switch name {
	case "SecurityEvent":
		front = securityEventOrder
	case "SecurityAlert":
		front = securityAlertOrder
	}
	rank := map[string]int{}
	for i, f := range front {
		rank[f] = i - len(front) // negative: before everything else
	}
	idx := make([]int, len(cols))
	for i := range cols {
		idx[i] = i
	}
	key := func(i int) int {
		if r, ok := rank[cols[i].Name]; ok {
			return r
		}
		return i
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) < key(idx[b]) })
	out := make(table.Schema, len(cols))
	for i, j := range idx {
		out[i] = cols[j]
	}
	return out
}

func describe(name string, s table.Schema) TableSchema {
	ts := TableSchema{Name: name, Description: tableDescriptions[name], Columns: make([]ColumnSchema, len(s))}
	for i, c := range s {
		ts.Columns[i] = ColumnSchema{Name: c.Name, Type: c.Type, TypeName: c.Type.String(), Description: columnDescriptions[c.Name]}
	}
	return ts
}
