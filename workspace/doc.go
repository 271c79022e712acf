// Package workspace provides tables for the embedded engine: a generated demo workspace of
// Microsoft Sentinel / Azure Monitor tables, and loaders for real log files.
//
// # The demo workspace
//
// Demo generates twenty tables with the columns and types of the Azure Monitor table reference
// (SecurityEvent with all its columns, SecurityAlert, SigninLogs, AADNonInteractiveUserSignInLogs,
// AuditLogs, Syslog, CommonSecurityLog, Heartbeat, OfficeActivity, AzureActivity,
// AzureDiagnostics, DnsEvents, W3CIISLog, ThreatIntelligenceIndicator, DeviceProcessEvents,
// DeviceNetworkEvents, DeviceFileEvents, DeviceEvents, Event, Perf). The data covers the 14 days
// before DemoOptions.Now, follows the working day and week, and is the same for the same Seed
// and Now. Tables are generated on first use.
//
// It describes Contoso: a dozen Windows machines (DC01, DC02, FS01, SQL01, WEB01, APP01, the
// workgroup JBOX00 and VICTIM00, four workstations), four Linux machines, a dozen people and two
// service accounts. SecurityEvent's mix follows a real workspace's (4688 > 8002 > 4624 > 4634 >
// 4672, then 4625, 4663, 4648, 4776, 4769 ...), and internet brute force hits the exposed
// machines all the time.
//
// An attack runs through the tables, about two days before Now: a password spray from
// 45.227.255.206 against Azure AD and against WEB01's RDP, a successful logon as alice.wong,
// reconnaissance, encoded PowerShell and a reverse shell, an lsass dump with comsvcs.dll, a new
// account helpdesk_tmp added to Domain Admins, PsExec to FS01, the Security log cleared, and
// C2 traffic to 185.220.101.47 (cdn-update-check.net) until Now. About twenty hours before Now,
// alice's cloud account is used from Moscow an hour after Seattle (after MFA fatigue), forwards
// her mail, downloads files and grants Global Administrator. SecurityAlert holds an alert for
// each step, besides daily noise.
//
// # Files
//
// LoadDir, LoadFile and Load read CSV, TSV, JSON arrays, JSON lines and query API responses
// ({"tables": [...]}, as `kqlkernel query --format json` writes), inferring column types and
// undoing what exports do: pandas index columns, " [UTC]" header suffixes, US and portal date
// formats, <Col>_dynamic/<Col>_string pairs. Hex ids ("0x1610") and numbers with leading zeros
// stay strings.
//
// Tables a Workspace returns are read-only and shared between queries. Columns no event fills,
// and columns with one value in the whole table, are Const vectors.
package workspace
