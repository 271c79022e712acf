package workspace

import (
	"fmt"
	"strconv"
	"time"

	"github.com/kqlkernel/kqlkernel/table"
)

type app struct{ name, id, resource string }

var aadApps = []app{
	{"Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"},
	{"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams Services"},
	{"Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"},
	{"Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Windows Azure Service Management API"},
	{"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Graph"},
	{"OfficeHome", "4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"},
	{"My Apps", "2793995e-0a7d-40d7-bd35-6968ba142197", "Microsoft Graph"},
	{"Azure CLI", "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Windows Azure Service Management API"},
}

var nonInteractiveApps = []app{
	{"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams Services"},
	{"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Graph"},
	{"OneDrive SyncEngine", "ab9b8c07-8f02-4f72-87fa-80105867a763", "Office 365 SharePoint Online"},
	{"Microsoft Authentication Broker", "29d9ed98-a469-4536-ade2-f981bc1d605e", "Windows Azure Active Directory"},
	{"Outlook Mobile", "27922004-5251-4030-b22d-91ecd9a37ea4", "Office 365 Exchange Online"},
}

var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 Edg/119.0.2151.72",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0",
	"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)",
}

type loc struct {
	city, state, country string
	lat, lon             float64
}

func (l loc) dynamic() map[string]any {
	return map[string]any{"city": l.city, "state": l.state, "countryOrRegion": l.country,
		"geoCoordinates": map[string]any{"latitude": l.lat, "longitude": l.lon}}
}

var (
	sprayLoc  = loc{"Sao Paulo", "Sao Paulo", "BR", -23.55, -46.63}
	travelLoc = loc{"Moscow", "Moscow", "RU", 55.75, 37.62}
)

type signinOutcome struct {
	code, desc, reason string
	w                  float64
}

var signinOutcomes = []signinOutcome{
	{"0", "", "", 88},
	{"50074", "Strong Authentication is required.", "Strong Authentication is required.", 4},
	{"50140", "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.", "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.", 3},
	{"50126", "Invalid username or password or Invalid on-premise username or password.", "Error validating credentials due to invalid username or password.", 2.5},
	{"50125", "Sign-in was interrupted due to a password reset or password registration entry.", "Sign-in was interrupted due to a password reset or password registration entry.", 0.5},
	{"53003", "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.", "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.", 0.7},
	{"50057", "User account is disabled. The account has been disabled by an administrator.", "User account is disabled. The account has been disabled by an administrator.", 0.3},
	{"500121", "Authentication failed during strong authentication request.", "Authentication failed during strong authentication request.", 0.4},
	{"50076", "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access.", "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access.", 1.3},
}

var signinOutcomeMix = func() *weighted[signinOutcome] {
	ws := make([]float64, len(signinOutcomes))
	for i, o := range signinOutcomes {
		ws[i] = o.w
	}
	return newWeighted(signinOutcomes, ws)
}()

// signin is one sign-in to fill into SigninLogs or AADNonInteractiveUserSignInLogs.
type signin struct {
	u           *user
	a           app
	ip          string
	l           loc
	outcome     signinOutcome
	clientApp   string
	agent       string
	risk        string // none, low, medium, high
	riskEvents  string
	mfa         bool
	os, browser string
	interactive bool
	compliant   bool
	mfaDenied   bool // the user declined the MFA prompt
}

func (w *world) userLoc(u *user) loc { return loc{u.city, u.state, u.country, u.lat, u.lon} }

func (w *world) randomSignin(r row, interactive bool) signin {
	rng := r.rng
	people := w.people()
	u := people[rng.IntN(len(people))]
	apps := aadApps
	if !interactive {
		apps = nonInteractiveApps
	}
	s := signin{u: u, a: one(rng, apps), ip: u.homeIP, l: w.userLoc(u), outcome: signinOutcomes[0], interactive: interactive,
		clientApp: "Browser", agent: one(rng, userAgents), risk: "none", riskEvents: "[]", os: "Windows 10", browser: "Chrome 119.0.0", compliant: true}
	if interactive {
		s.outcome = signinOutcomeMix.pick(rng)
	} else if rng.IntN(40) == 0 {
		s.outcome = signinOutcomes[1+rng.IntN(2)]
	}
	if rng.IntN(3) == 0 {
		s.clientApp = "Mobile Apps and Desktop clients"
		s.browser = "Rich Client 5.2.1"
	}
	if rng.IntN(5) == 0 {
		s.ip, s.os, s.browser, s.compliant = fmt.Sprintf("172.%d.%d.%d", 56+rng.IntN(8), rng.IntN(255), 1+rng.IntN(250)), "Ios 17.1.2", "Mobile Safari", false
	}
	s.mfa = s.outcome.code == "0" && rng.IntN(3) == 0
	return s
}

func (w *world) fillSignin(r row, s signin, t table.DateTime) {
	nonInteractive := !r.has("AppliedConditionalAccessPolicies") // the non-interactive table has strings, not dynamics
	r.s("SourceSystem", "Azure AD")
	r.s("OperationName", "Sign-in activity")
	r.s("OperationVersion", "1.0")
	r.s("Category", map[bool]string{true: "SignInLogs", false: "NonInteractiveUserSignInLogs"}[s.interactive])
	r.s("Level", "4")
	r.t("CreatedDateTime", t)
	r.s("Identity", s.u.display)
	r.s("UserDisplayName", s.u.display)
	r.s("UserPrincipalName", s.u.upn)
	r.s("AlternateSignInName", s.u.upn)
	r.s("UserId", s.u.objectID)
	r.s("UserType", "Member")
	r.s("AppDisplayName", s.a.name)
	r.s("AppId", s.a.id)
	r.s("ResourceDisplayName", s.a.resource)
	r.s("ResourceIdentity", "00000003-0000-0000-c000-000000000000")
	r.s("ResourceTenantId", w.aadTenant)
	r.s("HomeTenantId", w.aadTenant)
	r.s("IPAddress", s.ip)
	r.s("Location", s.l.country)
	r.s("ClientAppUsed", s.clientApp)
	r.s("UserAgent", s.agent)
	r.s("ResultType", s.outcome.code)
	r.s("ResultDescription", s.outcome.desc)
	r.s("ResultSignature", map[bool]string{true: "SUCCESS", false: "None"}[s.outcome.code == "0"])
	r.s("CorrelationId", guid(r.rng))
	r.s("Id", guid(r.rng))
	r.s("OriginalRequestId", guid(r.rng))
	r.s("UniqueTokenIdentifier", hexString(r.rng, 22))
	r.s("TokenIssuerType", "AzureAD")
	r.s("AuthenticationProtocol", "none")
	r.s("CrossTenantAccessType", "none")
	r.s("SignInIdentifierType", "")
	r.s("RiskDetail", "none")
	r.s("RiskLevelAggregated", s.risk)
	r.s("RiskLevelDuringSignIn", s.risk)
	r.s("RiskState", map[bool]string{true: "none", false: "atRisk"}[s.risk == "none"])
	r.s("RiskEventTypes", s.riskEvents)
	r.s("RiskEventTypes_V2", s.riskEvents)
	r.s("AutonomousSystemNumber", r.in.s(fmt.Sprint(7000+len(s.ip)*37)))
	r.s("NetworkLocationDetails", "[]")
	r.s("ProcessingTimeInMilliseconds", r.in.s(fmt.Sprint(50+r.rng.IntN(300))))
	r.s("AuthenticationRequirement", map[bool]string{true: "multiFactorAuthentication", false: "singleFactorAuthentication"}[s.mfa])
	r.s("ConditionalAccessStatus", map[bool]string{true: "success", false: "notApplied"}[s.mfa])
	if s.outcome.code == "53003" {
		r.s("ConditionalAccessStatus", "failure")
	}
	r.n64("DurationMs", 0)
	r.bo("IsInteractive", s.interactive)
	r.bo("IsRisky", s.risk != "none")
	r.s("AuthenticationDetails", authDetails(s, t))
	r.s("AuthenticationProcessingDetails", `[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is CAE Token","value":"False"}]`)
	r.s("SessionLifetimePolicies", "[]")
	r.s("AuthenticationContextClassReferences", "[]")
	r.s("AuthenticationMethodsUsed", "")
	r.s("AuthenticationRequirementPolicies", `[{"requirementProvider":"user","detail":"Per-user MFA"}]`)
	r.s("ServicePrincipalId", "")
	r.s("ResourceGroup", "Microsoft.aadiam")
	// The dynamic values repeat across rows: build each combination once and share it
	// (tables are read-only), which keeps generation fast and the table small.
	key := s.u.sam + "|" + s.l.city + "|" + s.os + "|" + s.browser + "|" + s.outcome.code + "|" + strconv.FormatBool(s.compliant) + strconv.FormatBool(s.mfa) + strconv.FormatBool(s.mfaDenied)
	dv, ok := r.cache[key].(*signinDynamics)
	if !ok {
		dv = newSigninDynamics(s)
		r.cache[key] = dv
	}
	location, device, status, mfa, policies := dv.values[0], dv.values[1], dv.values[2], dv.values[3], dv.values[4]
	if nonInteractive {
		r.s("LocationDetails", dv.texts[0])
		r.s("DeviceDetail", dv.texts[1])
		r.s("Status", dv.texts[2])
		r.s("MfaDetail", dv.texts[3])
		r.s("ConditionalAccessPolicies", dv.texts[4])
		r.d("AppliedEventListeners", []any{})
		return
	}
	r.d("LocationDetails", location)
	r.d("DeviceDetail", device)
	r.d("Status", status)
	r.d("MfaDetail", mfa)
	r.d("ConditionalAccessPolicies", policies)
	r.s("AppliedConditionalAccessPolicies", "[]")
	r.d("AppliedEventListeners", []any{})
	r.s("AADTenantId", w.aadTenant)
	r.s("Resource", "Microsoft.aadiam")
	r.s("ResourceProvider", "Microsoft.aadiam")
	r.s("ResourceId", "/tenants/"+w.aadTenant+"/providers/Microsoft.aadiam")
	r.s("SignInIdentifier", s.u.upn)
	r.s("IPAddressFromResourceProvider", "")
	r.s("RiskLevel", "")
	r.s("ServicePrincipalName", "")
	r.bo("FlaggedForReview", false)
}

// signinDynamics are a sign-in's LocationDetails, DeviceDetail, Status, MfaDetail and
// ConditionalAccessPolicies, as values and as JSON text.
type signinDynamics struct {
	values [5]any
	texts  [5]string
}

func newSigninDynamics(s signin) *signinDynamics {
	device := map[string]any{"deviceId": "", "operatingSystem": s.os, "browser": s.browser, "isCompliant": s.compliant, "isManaged": s.compliant}
	if s.compliant {
		device["trustType"] = "Azure AD joined"
		device["deviceId"] = s.u.objectID[:24] + "0c1f55ab5e7d"
		device["displayName"] = s.u.workstation.short
	}
	status := map[string]any{"errorCode": atoi(s.outcome.code)}
	if s.mfaDenied {
		status["additionalDetails"] = "MFA denied; user declined the authentication"
	}
	if s.outcome.code != "0" {
		status["failureReason"] = s.outcome.reason
	} else if s.mfa {
		status["additionalDetails"] = "MFA requirement satisfied by claim in the token"
	}
	var mfa any = map[string]any{}
	if s.mfa {
		mfa = map[string]any{"authMethod": "Mobile app notification", "authDetail": nil}
	}
	policies := []any{map[string]any{"id": "b0b1a3f1-0000-4c8e-9f6a-0c5e0f0d5d11", "displayName": "Require MFA for admins and risky sign-ins",
		"enforcedGrantControls": []any{"Mfa"}, "enforcedSessionControls": []any{}, "result": map[bool]string{true: "success", false: "notApplied"}[s.mfa]}}
	d := &signinDynamics{values: [5]any{s.l.dynamic(), device, status, mfa, policies}}
	for i, v := range d.values {
		d.texts[i] = table.DynamicJSON(v)
	}
	return d
}

func atoi(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

func authDetails(s signin, t table.DateTime) string {
	ok := s.outcome.code == "0"
	d := fmt.Sprintf(`[{"authenticationStepDateTime":"%s","authenticationMethod":"Password","authenticationMethodDetail":"Password Hash Sync","succeeded":%t,"authenticationStepResultDetail":"%s","authenticationStepRequirement":"Primary authentication","StatusSequence":0,"RequestSequence":0}]`,
		t, ok, map[bool]string{true: "Correct password", false: "Invalid username or password or Invalid on-premise username or password."}[ok])
	return d
}

func genSigninLogs(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	tl := w.timeline()
	victim := w.attacker.victim
	var story []stamped
	// Password spray against every account through legacy IMAP, then success for alice.
	people := w.people()
	span := int64(tl.aadSprayEnd - tl.aadSpray)
	for round := range 4 {
		for j, u := range people {
			t := tl.aadSpray + table.DateTime(span*int64(round*len(people)+j)/int64(4*len(people)))
			u := u
			story = append(story, stamped{t, func(r row, t table.DateTime) {
				w.fillSignin(r, signin{u: u, a: aadApps[0], ip: w.attacker.sprayIP, l: sprayLoc, outcome: signinOutcomes[3],
					clientApp: "IMAP4", agent: "python-requests/2.28.1", risk: "medium", riskEvents: `["passwordSpray"]`,
					os: "", browser: "", interactive: true}, t)
			}})
		}
	}
	story = append(story, stamped{tl.aadSprayEnd + table.DateTime(3*table.Minute), func(r row, t table.DateTime) {
		w.fillSignin(r, signin{u: victim, a: aadApps[0], ip: w.attacker.sprayIP, l: sprayLoc, outcome: signinOutcomes[0],
			clientApp: "IMAP4", agent: "python-requests/2.28.1", risk: "high", riskEvents: `["passwordSpray"]`, interactive: true}, t)
	}})
	// A distributed password-cracking attempt on the CEO's account: a botnet, many countries.
	grace := w.userNamed("grace.lee")
	botLocs := []loc{{"Hanoi", "Hanoi", "VN", 21.03, 105.85}, {"Lagos", "Lagos", "NG", 6.52, 3.38}, {"Sao Paulo", "Sao Paulo", "BR", -23.55, -46.63},
		{"Jakarta", "Jakarta", "ID", -6.2, 106.85}, {"Kyiv", "Kyiv", "UA", 50.45, 30.52}, {"Caracas", "Distrito Capital", "VE", 10.48, -66.9}}
	crackStart := w.ago(30 * time.Hour)
	for j := range 45 {
		l := botLocs[j%len(botLocs)]
		ip := externalIPs[(j*7)%len(externalIPs)]
		story = append(story, stamped{crackStart + table.DateTime(j)*table.DateTime(9*table.Minute), func(r row, t table.DateTime) {
			w.fillSignin(r, signin{u: grace, a: aadApps[j%3], ip: ip, l: l, outcome: signinOutcomes[3],
				clientApp: "Browser", agent: userAgents[j%len(userAgents)], risk: "low", riskEvents: "[]", os: "Windows 10", browser: "Chrome 119.0.0", interactive: true}, t)
		}})
	}
	// Impossible travel: Seattle, then Moscow within the hour.
	story = append(story, stamped{tl.travelHome, func(r row, t table.DateTime) {
		w.fillSignin(r, signin{u: victim, a: aadApps[5], ip: victim.homeIP, l: w.userLoc(victim), outcome: signinOutcomes[0],
			clientApp: "Browser", agent: userAgents[0], risk: "none", riskEvents: "[]", os: "Windows 10", browser: "Chrome 119.0.0", interactive: true, compliant: true, mfa: true}, t)
	}})
	// MFA fatigue: prompts pushed to alice's phone, declined, then accepted.
	mfaDenied := signinOutcome{"500121", "Authentication failed during strong authentication request.", "Authentication failed during strong authentication request.", 0}
	for j := range 4 {
		story = append(story, stamped{tl.travelAway - table.DateTime(12-3*j)*table.DateTime(table.Minute), func(r row, t table.DateTime) {
			w.fillSignin(r, signin{u: victim, a: aadApps[5], ip: w.attacker.travelIP, l: travelLoc, outcome: mfaDenied, mfaDenied: true,
				clientApp: "Browser", agent: userAgents[4], risk: "medium", riskEvents: `["unfamiliarFeatures"]`, os: "Windows 10", browser: "Firefox 120.0", interactive: true}, t)
		}})
	}
	for j, a := range []app{aadApps[5], aadApps[0], aadApps[3]} {
		a := a
		story = append(story, stamped{tl.travelAway + table.DateTime(j)*table.DateTime(2*table.Minute), func(r row, t table.DateTime) {
			w.fillSignin(r, signin{u: victim, a: a, ip: w.attacker.travelIP, l: travelLoc, outcome: signinOutcomes[0],
				clientApp: "Browser", agent: userAgents[4], risk: "high", riskEvents: `["impossibleTravel","unfamiliarFeatures"]`, os: "Windows 10", browser: "Firefox 120.0", interactive: true}, t)
		}})
	}
	return timedTable(w, "SigninLogs", schema, n, business, func(r row, t table.DateTime) {
		w.fillSignin(r, w.randomSignin(r, true), t)
	}, story)
}

func genAADNonInteractive(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	tl := w.timeline()
	victim := w.attacker.victim
	var story []stamped
	for j := range 20 {
		story = append(story, stamped{tl.travelAway + table.DateTime(j)*table.DateTime(3*table.Minute), func(r row, t table.DateTime) {
			w.fillSignin(r, signin{u: victim, a: nonInteractiveApps[j%len(nonInteractiveApps)], ip: w.attacker.travelIP, l: travelLoc, outcome: signinOutcomes[0],
				clientApp: "Browser", agent: userAgents[4], risk: "none", riskEvents: "[]", os: "Windows 10", browser: "Firefox 120.0"}, t)
		}})
	}
	// The stolen session keeps refreshing its tokens from Moscow until now.
	for t := tl.travelAway + table.DateTime(table.Hour); t < w.now; t += table.DateTime(55 * table.Minute) {
		story = append(story, stamped{t, func(r row, t table.DateTime) {
			w.fillSignin(r, signin{u: victim, a: nonInteractiveApps[1], ip: w.attacker.travelIP, l: travelLoc, outcome: signinOutcomes[0],
				clientApp: "Browser", agent: userAgents[4], risk: "none", riskEvents: "[]", os: "Windows 10", browser: "Firefox 120.0"}, t)
		}})
	}
	return timedTable(w, "AADNonInteractiveUserSignInLogs", schema, n, business, func(r row, t table.DateTime) {
		w.fillSignin(r, w.randomSignin(r, false), t)
	}, story)
}

type auditOp struct {
	name, category, service, targetType string
	w                                   float64
}

var auditOps = []auditOp{
	{"Update user", "UserManagement", "Core Directory", "User", 20},
	{"Update StsRefreshTokenValidFrom Timestamp", "UserManagement", "Core Directory", "User", 10},
	{"Add member to group", "GroupManagement", "Core Directory", "Group", 8},
	{"Remove member from group", "GroupManagement", "Core Directory", "Group", 3},
	{"Reset password (self-service)", "UserManagement", "Self-service Password Management", "User", 2},
	{"User registered security info", "UserManagement", "Authentication Methods", "User", 2},
	{"Update application", "ApplicationManagement", "Core Directory", "Application", 3},
	{"Update service principal", "ApplicationManagement", "Core Directory", "ServicePrincipal", 3},
	{"Add app role assignment grant to user", "ApplicationManagement", "Core Directory", "ServicePrincipal", 2},
	{"Consent to application", "ApplicationManagement", "Core Directory", "ServicePrincipal", 0.5},
	{"Update device", "Device", "Core Directory", "Device", 6},
	{"Update policy", "Policy", "Core Directory", "Policy", 0.5},
	{"Add user", "UserManagement", "Core Directory", "User", 0.3},
	{"Delete user", "UserManagement", "Core Directory", "User", 0.2},
}

var auditOpMix = func() *weighted[auditOp] {
	ws := make([]float64, len(auditOps))
	for i, o := range auditOps {
		ws[i] = o.w
	}
	return newWeighted(auditOps, ws)
}()

func (w *world) fillAudit(r row, op auditOp, by *user, ip string, target string, props []any, t table.DateTime) {
	r.s("SourceSystem", "Azure AD")
	r.s("OperationName", op.name)
	r.s("ActivityDisplayName", op.name)
	r.t("ActivityDateTime", t)
	r.s("Category", op.category)
	r.s("LoggedByService", op.service)
	r.s("OperationVersion", "1.0")
	r.s("Result", "success")
	r.s("ResultSignature", "None")
	r.s("ResultType", "")
	r.s("ResultReason", "")
	r.s("ResultDescription", "")
	r.n64("DurationMs", 0)
	r.s("Level", "4")
	r.s("Location", "")
	r.s("Identity", "")
	r.s("AADTenantId", w.aadTenant)
	r.s("AADOperationType", map[bool]string{true: "Add", false: "Update"}[op.name[:3] == "Add"])
	r.s("CorrelationId", guid(r.rng))
	r.s("Id", "Directory_"+guid(r.rng))
	r.s("Resource", "Microsoft.aadiam")
	r.s("ResourceProvider", "Microsoft.aadiam")
	r.s("ResourceGroup", "Microsoft.aadiam")
	r.s("ResourceId", "/tenants/"+w.aadTenant+"/providers/Microsoft.aadiam")
	if by != nil {
		r.d("InitiatedBy", map[string]any{"user": map[string]any{"id": by.objectID, "displayName": nil, "userPrincipalName": by.upn, "ipAddress": ip, "roles": []any{}}})
		r.s("Identity", by.display)
	} else {
		r.d("InitiatedBy", map[string]any{"app": map[string]any{"displayName": "Microsoft Substrate Management", "appId": nil, "servicePrincipalId": "0f5e5a1c-5c4f-4a0e-a0a5-3c9d2c1ea5b1", "servicePrincipalName": nil}})
		r.s("Identity", "Microsoft Substrate Management")
	}
	if props == nil {
		props = []any{}
	}
	tr := map[string]any{"id": guid(r.rng), "displayName": nil, "type": op.targetType, "modifiedProperties": props, "administrativeUnits": []any{}}
	if op.targetType == "User" {
		tr["userPrincipalName"] = target
	} else {
		tr["displayName"] = target
	}
	r.d("TargetResources", []any{tr})
	r.d("AdditionalDetails", []any{map[string]any{"key": "User-Agent", "value": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36"}})
}

func genAuditLogs(w *world, schema table.Schema, n int, _ float64) (*builder, error) {
	tl := w.timeline()
	victim := w.attacker.victim
	newUPN := "helpdesk.tmp@contoso.com"
	story := []stamped{
		{tl.roleAssigned - table.DateTime(6*table.Minute), func(r row, t table.DateTime) {
			w.fillAudit(r, auditOp{name: "Add user", category: "UserManagement", service: "Core Directory", targetType: "User"}, victim, w.attacker.travelIP, newUPN,
				[]any{map[string]any{"displayName": "AccountEnabled", "oldValue": "[]", "newValue": "[true]"}}, t)
		}},
		{tl.roleAssigned, func(r row, t table.DateTime) {
			w.fillAudit(r, auditOp{name: "Add member to role", category: "RoleManagement", service: "Core Directory", targetType: "User"}, victim, w.attacker.travelIP, newUPN,
				[]any{map[string]any{"displayName": "Role.DisplayName", "oldValue": nil, "newValue": `"Global Administrator"`},
					map[string]any{"displayName": "Role.TemplateId", "oldValue": nil, "newValue": `"62e90394-69f5-4237-9190-012177145e10"`}}, t)
		}},
		{tl.inboxRule - table.DateTime(2*table.Minute), func(r row, t table.DateTime) {
			w.fillAudit(r, auditOp{name: "User registered security info", category: "UserManagement", service: "Authentication Methods", targetType: "User"}, victim, w.attacker.travelIP, victim.upn, nil, t)
		}},
	}
	people := w.people()
	return timedTable(w, "AuditLogs", schema, n, business, func(r row, t table.DateTime) {
		op := auditOpMix.pick(r.rng)
		target := one(r.rng, people)
		var by *user
		if r.rng.IntN(3) > 0 {
			by = w.userNamed(one(r.rng, []string{"bob.smith", "henry.nguyen", "adm-bsmith"}))
			if op.service == "Self-service Password Management" || op.service == "Authentication Methods" {
				by = target
			}
		}
		name := target.upn
		switch op.targetType {
		case "Group":
			name = one(r.rng, []string{"Finance Team", "All Employees", "VPN Users", "Engineering", "SharePoint Admins"})
		case "Application", "ServicePrincipal":
			name = one(r.rng, []string{"Contoso Expenses", "Salesforce", "ServiceNow", "GitHub Enterprise", "Zoom"})
		case "Device":
			name = one(r.rng, w.windows).short
		case "Policy":
			name = "Require MFA for admins and risky sign-ins"
		}
		ip := ""
		if by != nil {
			ip = by.homeIP
		}
		w.fillAudit(r, op, by, ip, name, nil, t)
	}, story)
}
