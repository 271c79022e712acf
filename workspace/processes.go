package workspace

// proc is a process creation seen on Windows machines: the new process, its parent, a command
// line, who runs it, and how often.
type proc struct {
	path, parent, cmd string
	system            bool    // runs as the machine account (SYSTEM)
	roles             string  // machine roles it runs on: any, server, workstation, dc, web
	weight            float64 // relative frequency
}

// name is the file name of the process ("svchost.exe").
func (p proc) name() string { return baseName(p.path) }

func baseName(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '\\' || path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

const (
	mma   = `C:\Program Files\Microsoft Monitoring Agent\Agent\MonitoringHost.exe`
	dsc   = `C:\Program Files\Microsoft Monitoring Agent\Agent\Health Service State\ICT 2\CMF-64\DesiredStateConfiguration\DscRun.exe`
	sys32 = `C:\Windows\System32\`
)

// processCatalog: what a normal day of 4688 events looks like. Agents and Windows itself
// dominate; people add browsers, Office and the occasional admin tool.
var processCatalog = []proc{
	{dsc, mma, `"` + dsc + `" GetInventory "C:\Program Files\Microsoft Monitoring Agent\Agent\Health Service State\ICT 2\work\Registry.mof" "C:\Program Files\Microsoft Monitoring Agent\Agent\Health Service State\ICT 2\work"`, true, "any", 14},
	{dsc, mma, `"` + dsc + `" GetInventory "C:\Program Files\Microsoft Monitoring Agent\Agent\Health Service State\ICT 2\work\Services.mof" "C:\Program Files\Microsoft Monitoring Agent\Agent\Health Service State\ICT 2\work"`, true, "any", 8},
	{sys32 + "conhost.exe", dsc, `\??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1`, true, "any", 22},
	{sys32 + "cscript.exe", mma, `"C:\Windows\system32\cscript.exe" /nologo "C:\Program Files\Microsoft Monitoring Agent\Agent\Health Service State\Monitoring Host Temporary Files 3\1401\GetComputerInfo.vbs"`, true, "any", 6},
	{sys32 + "svchost.exe", sys32 + "services.exe", `C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule`, true, "any", 4},
	{sys32 + "svchost.exe", sys32 + "services.exe", `C:\Windows\System32\svchost.exe -k wsappx -p -s ClipSVC`, true, "any", 2},
	{sys32 + "svchost.exe", sys32 + "services.exe", `C:\Windows\system32\svchost.exe -k LocalServiceNetworkRestricted -p -s wscsvc`, true, "any", 1},
	{sys32 + "taskhostw.exe", sys32 + "svchost.exe", `taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly`, true, "any", 3},
	{sys32 + `wbem\WmiPrvSE.exe`, sys32 + "svchost.exe", `C:\Windows\system32\wbem\wmiprvse.exe -secured -Embedding`, true, "any", 6},
	{sys32 + "sppsvc.exe", sys32 + "services.exe", `C:\Windows\system32\sppsvc.exe`, true, "any", 1},
	{sys32 + "backgroundTaskHost.exe", sys32 + "svchost.exe", `"C:\Windows\system32\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider`, false, "workstation", 3},
	{sys32 + "SearchProtocolHost.exe", sys32 + "SearchIndexer.exe", `"C:\Windows\system32\SearchProtocolHost.exe" Global\UsGthrFltPipeMssGthrPipe1_ Global\UsGthrCtrlFltPipeMssGthrPipe1 1 -2147483646 "Software\Microsoft\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\ProgramData\Microsoft\Search\Data\Temp\usgthrsvc" "DownLevelDaemon"`, true, "any", 3},
	{`C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.23110.3-0\MpCmdRun.exe`, sys32 + "svchost.exe", `"C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.23110.3-0\MpCmdRun.exe" SignatureUpdate -ScheduleJob -RestrictPrivileges`, true, "any", 2},
	{`C:\Windows\SoftwareDistribution\Download\Install\AM_Delta_Patch_1.403.2751.0.exe`, `C:\Windows\System32\wuauclt.exe`, `"C:\Windows\SoftwareDistribution\Download\Install\AM_Delta_Patch_1.403.2751.0.exe" WD /q`, true, "any", 1},
	{sys32 + "wermgr.exe", sys32 + "svchost.exe", `C:\Windows\system32\wermgr.exe -upload`, true, "any", 1},
	{sys32 + "dllhost.exe", sys32 + "svchost.exe", `C:\Windows\system32\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}`, true, "any", 2},
	{`C:\Packages\Plugins\Microsoft.Azure.Security.Monitoring.AzureSecurityWindowsAgent\2.18.0.1\AzureSecurityPack\MonAgentLauncher.exe`, `C:\WindowsAzure\GuestAgent_2.7.41491.1102_2023-11-14_102336\WaAppAgent.exe`, `MonAgentLauncher.exe -useenv`, true, "server", 2},
	{`C:\WindowsAzure\GuestAgent_2.7.41491.1102_2023-11-14_102336\CollectGuestLogs.exe`, `C:\WindowsAzure\GuestAgent_2.7.41491.1102_2023-11-14_102336\WaAppAgent.exe`, `"CollectGuestLogs.exe" -Mode:ga -FileName:D:\CollectGuestLogsTemp\VMAgentLogs.zip`, true, "any", 1},
	{sys32 + "gpupdate.exe", sys32 + "svchost.exe", `gpupdate.exe /target:computer`, true, "any", 0.5},
	{sys32 + "lsass.exe", sys32 + "wininit.exe", `C:\Windows\system32\lsass.exe`, true, "dc", 0.05},
	{sys32 + "dfsrs.exe", sys32 + "services.exe", `C:\Windows\system32\DFSRs.exe`, true, "dc", 0.4},
	{sys32 + "ntfrsutl.exe", sys32 + "svchost.exe", `ntfrsutl.exe version`, true, "dc", 0.2},
	{`C:\Windows\System32\inetsrv\w3wp.exe`, sys32 + "svchost.exe", `c:\windows\system32\inetsrv\w3wp.exe -ap "DefaultAppPool" -v "v4.0" -l "webengine4.dll" -a \\.\pipe\iisipm5fd1a0ec-5d3b-4cfc-a1ed-2b6a9a5e4a8f -h "C:\inetpub\temp\apppools\DefaultAppPool\DefaultAppPool.config" -w "" -m 0`, true, "web", 1},
	{`C:\Program Files\Microsoft SQL Server\MSSQL15.MSSQLSERVER\MSSQL\Binn\sqlservr.exe`, sys32 + "services.exe", `"C:\Program Files\Microsoft SQL Server\MSSQL15.MSSQLSERVER\MSSQL\Binn\sqlservr.exe" -sMSSQLSERVER`, true, "server", 0.2},
	// People.
	{`C:\Windows\explorer.exe`, sys32 + "userinit.exe", `C:\Windows\Explorer.EXE`, false, "workstation", 0.8},
	{`C:\Program Files\Google\Chrome\Application\chrome.exe`, `C:\Windows\explorer.exe`, `"C:\Program Files\Google\Chrome\Application\chrome.exe"`, false, "workstation", 2},
	{`C:\Program Files\Google\Chrome\Application\chrome.exe`, `C:\Program Files\Google\Chrome\Application\chrome.exe`, `"C:\Program Files\Google\Chrome\Application\chrome.exe" --type=renderer --display-capture-permissions-policy-allowed --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --renderer-client-id=48 --mojo-platform-channel-handle=4780 /prefetch:1`, false, "workstation", 5},
	{`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, `C:\Windows\explorer.exe`, `"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default`, false, "workstation", 2},
	{`C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`, `C:\Windows\explorer.exe`, `"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE"`, false, "workstation", 0.6},
	{`C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`, `C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`, `"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE" /n "C:\Users\%USER%\AppData\Local\Microsoft\Windows\INetCache\Content.Outlook\7Y2KQ0ZD\Q3 forecast.docx" /o ""`, false, "workstation", 0.5},
	{`C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE`, `C:\Windows\explorer.exe`, `"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE" "\\FS01\Finance\Budget 2024.xlsx"`, false, "workstation", 0.5},
	{`C:\Users\%USER%\AppData\Local\Microsoft\Teams\current\Teams.exe`, `C:\Windows\explorer.exe`, `"C:\Users\%USER%\AppData\Local\Microsoft\Teams\current\Teams.exe" --type=renderer --autoplay-policy=no-user-gesture-required --disable-background-timer-throttling`, false, "workstation", 1.5},
	{`C:\Users\%USER%\AppData\Local\Microsoft\OneDrive\OneDrive.exe`, `C:\Windows\explorer.exe`, `"C:\Users\%USER%\AppData\Local\Microsoft\OneDrive\OneDrive.exe" /background`, false, "workstation", 0.6},
	{sys32 + "notepad.exe", `C:\Windows\explorer.exe`, `"C:\Windows\system32\NOTEPAD.EXE" C:\Users\%USER%\Desktop\notes.txt`, false, "workstation", 0.3},
	{sys32 + "cmd.exe", `C:\Windows\explorer.exe`, `"C:\Windows\system32\cmd.exe"`, false, "any", 0.4},
	{sys32 + "ipconfig.exe", sys32 + "cmd.exe", `ipconfig  /all`, false, "any", 0.15},
	{sys32 + "mstsc.exe", `C:\Windows\explorer.exe`, `"C:\Windows\system32\mstsc.exe" /v:JBOX00`, false, "workstation", 0.2},
	{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, `C:\Windows\explorer.exe`, `"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"`, false, "any", 0.3},
	{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, sys32 + "svchost.exe", `powershell.exe -ExecutionPolicy Bypass -NoProfile -File C:\Scripts\Backup-Databases.ps1`, false, "server", 0.2},
	{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, mma, `"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoLogo -NonInteractive -ExecutionPolicy Bypass -Command "& {Get-WmiObject -Class Win32_OperatingSystem | Select-Object Caption, Version}"`, true, "any", 0.8},
	{`C:\Program Files\Git\cmd\git.exe`, `C:\Program Files\Microsoft VS Code\Code.exe`, `"C:\Program Files\Git\cmd\git.exe" fetch --all`, false, "workstation", 0.4},
	{sys32 + "net.exe", sys32 + "cmd.exe", `net  use Z: \\FS01\Shared`, false, "workstation", 0.1},
	{sys32 + "net1.exe", sys32 + "net.exe", `C:\Windows\system32\net1  use Z: \\FS01\Shared`, false, "workstation", 0.1},
	{sys32 + "whoami.exe", sys32 + "cmd.exe", `whoami`, false, "any", 0.03},
	{sys32 + "schtasks.exe", sys32 + "cmd.exe", `schtasks  /query /fo LIST /v`, false, "server", 0.05},
	{sys32 + "sc.exe", sys32 + "cmd.exe", `sc  query wuauserv`, false, "server", 0.05},
	{sys32 + "certutil.exe", sys32 + "cmd.exe", `certutil  -verify -urlfetch C:\certs\web01.cer`, false, "web", 0.02},
}
