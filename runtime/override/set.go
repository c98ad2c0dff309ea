package override

import (
	"sort"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/connstr"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

// Set writes value at path p of pkg, in the XML tree and in the typed
// model (Variable.Value, ConnectionManager.ConnectionString, ...), as
// dtexec's /Set does. The errors are *NotFoundError (the path names
// nothing; the message lists what exists), *ValueError (the value does not
// fit the property's type) and *UnsupportedError.
//
// Variables are set whether or not they are ReadOnly: ReadOnly stops tasks
// and scripts from writing a variable while the package runs, not the
// configuration of its value. A variable evaluated as an expression takes
// the value, but the expression replaces it at run time (ApplyConfigFile
// warns about it).
func Set(pkg *dtsx.Package, p Path, value string) error {
	_, err := apply(pkg, nil, p, value)
	return err
}

// SetInProject is Set for a package of a project: a connection manager the
// package does not have is looked up among the project's, and
// $Project::Name parameters are set on the project. pr may be nil.
func SetInProject(pkg *dtsx.Package, pr *dtsx.Project, p Path, value string) error {
	_, err := apply(pkg, pr, p, value)
	return err
}

// setter carries one Set through the resolution.
type setter struct {
	pkg   *dtsx.Package
	pr    *dtsx.Project
	path  Path
	value string
	// notes are things worth a warning that do not stop the Set.
	notes []string
}

func apply(pkg *dtsx.Package, pr *dtsx.Project, p Path, value string) ([]string, error) {
	s := &setter{pkg: pkg, pr: pr, path: p, value: value}
	err := s.apply()
	return s.notes, err
}

// pathText is the path as given, without $Sensitive::, for messages.
func (s *setter) pathText() string {
	raw := strings.TrimSpace(s.path.Raw)
	if raw == "" {
		q := s.path
		q.Sensitive = false
		return q.String()
	}
	if s.path.Sensitive && len(raw) >= len(sensitivePrefix) && strings.EqualFold(raw[:len(sensitivePrefix)], sensitivePrefix) {
		raw = strings.TrimSpace(raw[len(sensitivePrefix):])
	}
	return raw
}

func (s *setter) notFound(kind, name, in string, known []string, hint string) error {
	return &NotFoundError{Path: s.pathText(), Kind: kind, Name: name, In: in, Known: known, Hint: hint}
}

func (s *setter) badValue(prop, typ, reason string, sensitive bool) error {
	e := &ValueError{Path: s.pathText(), Property: prop, Type: typ, Value: s.value, Reason: reason}
	if sensitive || s.path.Sensitive || connstr.IsSensitiveKey(s.path.Property) {
		e.Value, e.Hidden = "", true
		if v := strings.TrimSpace(s.value); v != "" {
			e.Reason = strings.ReplaceAll(e.Reason, v, "(hidden)")
		}
	}
	return e
}

func (s *setter) unsupported(msg, hint string) error {
	return &UnsupportedError{Path: s.pathText(), Msg: msg, Hint: hint}
}

func (s *setter) apply() error {
	if s.pkg == nil || s.pkg.Executable == nil {
		return s.unsupported("no package is loaded", "")
	}
	if s.path.Root == "Project" {
		return s.unsupported("project paths (\\Project...) are ssisUnit's, not dtexec's",
			`set a project connection manager through \Package.Connections[Name] and a project parameter through \Package.Variables[$Project::Name]`)
	}
	if s.path.Root != "Package" {
		return s.unsupported("the path has no root; build it with ParsePath", "")
	}
	exe, err := s.resolveSteps()
	if err != nil {
		return err
	}
	switch s.path.Kind {
	case KindExecutable:
		return s.executable(exe)
	case KindVariable:
		return s.variable(exe)
	case KindConnection:
		return s.connection()
	case KindParameter:
		return s.parameter()
	case KindLogProvider:
		return s.unsupported("log providers are not run by this runtime", "log with dtexec /ConsoleLog or dtsx run --log")
	case KindForEachEnumerator:
		return s.unsupported("Foreach enumerators cannot be configured yet", "set the variables or property expressions the enumerator reads instead")
	}
	return s.unsupported("unknown kind of path", "")
}

// label names an executable in messages: its path with the root written
// as in property paths.
func label(x *dtsx.Executable) string {
	var parts []string
	for c := x; c != nil; c = c.Parent {
		switch {
		case c.Parent == nil:
			parts = append(parts, `\Package`)
		case c.IsEventHandler():
			parts = append(parts, ".EventHandlers["+c.EventName+"]")
		default:
			parts = append(parts, `\`+c.Name)
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}

// pick finds the one of names equal to want: exactly, else ignoring case
// when that is unambiguous. It returns the index or -1.
func pick(n int, name func(int) string, want string) int {
	fold := -1
	for i := 0; i < n; i++ {
		if name(i) == want {
			return i
		}
		if strings.EqualFold(name(i), want) {
			if fold >= 0 {
				fold = -2 // ambiguous
			} else if fold == -1 {
				fold = i
			}
		}
	}
	if fold < 0 {
		return -1
	}
	return fold
}

// resolveSteps walks the path's steps from the package down.
func (s *setter) resolveSteps() (*dtsx.Executable, error) {
	cur := s.pkg.Executable
	for _, st := range s.path.Steps {
		if st.EventHandler {
			i := pick(len(cur.EventHandlers), func(i int) string { return cur.EventHandlers[i].EventName }, st.Name)
			if i < 0 {
				var known []string
				for _, h := range cur.EventHandlers {
					known = append(known, h.EventName)
				}
				return nil, s.notFound("event handler", st.Name, label(cur), known, "")
			}
			cur = cur.EventHandlers[i]
			continue
		}
		i := pick(len(cur.Executables), func(i int) string { return cur.Executables[i].Name }, st.Name)
		if i < 0 {
			var known []string
			for _, x := range cur.Executables {
				known = append(known, x.Name)
			}
			return nil, s.notFound("executable", strconv.Quote(st.Name), label(cur), known, "")
		}
		cur = cur.Executables[i]
	}
	return cur, nil
}

// ---- variables ----

func (s *setter) variable(exe *dtsx.Executable) error {
	want := s.path.Name
	ns, name, qualified := strings.Cut(want, "::")
	if !qualified {
		ns, name = "", want
	}
	if qualified && strings.EqualFold(ns, "System") {
		return s.unsupported("System variables are set by the runtime while the package runs",
			"they cannot be configured; use a User variable")
	}
	vars := exe.Variables
	idx := -1
	if qualified {
		idx = pick(len(vars), func(i int) string { return vars[i].QualifiedName() }, ns+"::"+name)
	} else {
		// No namespace (\package.variables[myvariable]): User first, else
		// the one variable of that name.
		idx = pick(len(vars), func(i int) string { return vars[i].QualifiedName() }, "User::"+name)
		if idx < 0 {
			idx = pick(len(vars), func(i int) string { return vars[i].Name }, name)
		}
	}
	if idx < 0 {
		var known []string
		for _, v := range vars {
			known = append(known, v.QualifiedName())
		}
		hint := ""
		if exe.Parent == nil {
			hint = `a variable of a container or task is reached through its path: \Package\Container.Variables[User::X]`
		}
		return s.notFound("variable", want, label(exe), known, hint)
	}
	v := vars[idx]
	format := s.pkg.Format
	prop := s.path.Property
	switch strings.ToLower(prop) {
	case "value":
		return s.variableValue(v)
	case "description", "expression":
		canon := map[string]string{"description": "Description", "expression": "Expression"}[strings.ToLower(prop)]
		setProp(v.Element, canon, s.value, format)
		if canon == "Description" {
			v.Description = s.value
		} else {
			v.Expression = s.value
		}
	case "name":
		if strings.TrimSpace(s.value) == "" {
			return s.badValue(prop, "name", "a variable needs a name", false)
		}
		setProp(v.Element, "ObjectName", s.value, format)
		v.Name = s.value
	case "namespace":
		if strings.TrimSpace(s.value) == "" || strings.EqualFold(s.value, "System") {
			return s.badValue(prop, "namespace", "use User or a namespace of your own", false)
		}
		setProp(v.Element, "Namespace", s.value, format)
		v.Namespace = s.value
	case "evaluateasexpression", "readonly", "raisechangedevent":
		b, ok := parseBool(s.value)
		if !ok {
			return s.badValue(prop, "Boolean", "expected True, False, 1, 0 or -1", false)
		}
		canon := map[string]string{"evaluateasexpression": "EvaluateAsExpression", "readonly": "ReadOnly",
			"raisechangedevent": "RaiseChangedEvent"}[strings.ToLower(prop)]
		setProp(v.Element, canon, formatBool(b, format), format)
		switch canon {
		case "EvaluateAsExpression":
			v.EvaluateAsExpression = b
		case "ReadOnly":
			v.ReadOnly = b
		}
	case "includeindebugdump":
		// Persisted as 6789 (include) or 2345 (exclude); configurations
		// give a Boolean.
		val := strings.TrimSpace(s.value)
		if val != "6789" && val != "2345" {
			b, ok := parseBool(val)
			if !ok {
				return s.badValue(prop, "Boolean", "expected True, False, 1, 0 or -1", false)
			}
			val = map[bool]string{true: "6789", false: "2345"}[b]
		}
		setProp(v.Element, "IncludeInDebugDump", val, format)
	default:
		return s.notFound("property", prop, label(exe)+".Variables["+v.QualifiedName()+"]", variableProps, "")
	}
	return nil
}

var variableProps = []string{"Value", "Description", "EvaluateAsExpression", "Expression", "IncludeInDebugDump",
	"Name", "Namespace", "RaiseChangedEvent", "ReadOnly"}

// variableValue sets DTS:VariableValue, checked against the variable's type.
func (s *setter) variableValue(v *dtsx.Variable) error {
	vv := firstChild(v.Element, "VariableValue")
	t := v.DataType
	if vv == nil {
		t = dtsx.TypeString // a variable saved without a value: SSIS makes it a String
	}
	persisted, reason := convert(t, s.value, "-1", "0")
	if reason != "" {
		return s.badValue(s.path.Property, t.String(), reason+" (variable "+v.QualifiedName()+" is of type "+t.String()+")", false)
	}
	if vv == nil {
		space := v.Element.Space
		if space == "" {
			space = "DTS"
		}
		vv = v.Element.CreateElement(space + ":VariableValue")
		vv.CreateAttr(space+":DataType", strconv.Itoa(int(dtsx.TypeString)))
		v.DataType = dtsx.TypeString
	}
	vv.SetText(persisted)
	v.Value = persisted
	if v.EvaluateAsExpression {
		s.notes = append(s.notes, "variable "+v.QualifiedName()+" is evaluated as an expression; the expression replaces this value at run time")
	}
	return nil
}

func firstChild(e *etree.Element, tag string) *etree.Element {
	for _, c := range e.ChildElements() {
		if c.Tag == tag {
			return c
		}
	}
	return nil
}

// ---- parameters ----

func (s *setter) parameter() error {
	if prop := s.path.Property; prop != "" && !strings.EqualFold(prop, "Value") {
		return s.unsupported("only the value of a parameter can be set, not its "+prop, `use \Package.Variables[$`+s.path.Scope+"::"+s.path.Name+"]")
	}
	var params []*dtsx.Parameter
	in := `\Package`
	if s.path.Scope == "Project" {
		if s.pr == nil {
			return s.unsupported("$Project:: parameters belong to the project, and no project was given",
				"run the package from its project (.ispac, .dtproj or folder)")
		}
		params, in = s.pr.Parameters, "the project"
	} else {
		params = s.pkg.Parameters
	}
	i := pick(len(params), func(i int) string { return params[i].Name }, s.path.Name)
	if i < 0 {
		var known []string
		for _, p := range params {
			known = append(known, p.QualifiedName())
		}
		return s.notFound("parameter", "$"+s.path.Scope+"::"+s.path.Name, in, known, "")
	}
	p := params[i]
	persisted, reason := convert(p.DataType, s.value, "True", "False")
	if reason != "" {
		return s.badValue("Value", p.DataType.String(), reason+" (parameter "+p.QualifiedName()+" is of type "+p.DataType.String()+")", p.Sensitive)
	}
	if p.Scope == "Project" {
		setParamValue(p.Element, "Value", persisted, p.DataType, "SSIS")
	} else {
		setParamValue(p.Element, "ParameterValue", persisted, p.DataType, "DTS")
	}
	p.Value, p.Encrypted = persisted, false
	return nil
}

// setParamValue writes a parameter value: the text of its
// <P:Property P:Name="name">, replacing the encrypted or sensitive forms
// (a nested Property, EncryptedData) with the plain value.
func setParamValue(e *etree.Element, name, value string, t dtsx.DataType, defSpace string) {
	space := e.Space
	if space == "" {
		space = defSpace
	}
	pe := findPropElem(e, name)
	if pe == nil {
		pe = e.CreateElement(space + ":Property")
		if defSpace == "DTS" {
			pe.CreateAttr(space+":DataType", strconv.Itoa(int(t)))
		}
		pe.CreateAttr(space+":Name", name)
	}
	for _, c := range pe.ChildElements() {
		pe.RemoveChild(c)
	}
	pe.SetText(value)
}

// ---- connection managers ----

func (s *setter) findConnection() (*dtsx.ConnectionManager, error) {
	want := strings.TrimSpace(s.path.Name)
	var all []*dtsx.ConnectionManager
	all = append(all, s.pkg.Connections...)
	if s.pr != nil {
		all = append(all, s.pr.Connections...)
	}
	byID := func() *dtsx.ConnectionManager {
		id := strings.Trim(want, "{}")
		for _, cm := range all {
			if cm.DTSID != "" && strings.EqualFold(strings.Trim(cm.DTSID, "{}"), id) {
				return cm
			}
		}
		return nil
	}
	if strings.HasPrefix(want, "{") {
		if cm := byID(); cm != nil {
			return cm, nil
		}
	}
	if i := pick(len(all), func(i int) string { return all[i].Name }, s.path.Name); i >= 0 {
		return all[i], nil
	}
	if !strings.HasPrefix(want, "{") && len(want) == 36 {
		if cm := byID(); cm != nil {
			return cm, nil
		}
	}
	var known []string
	for _, cm := range all {
		known = append(known, cm.Name)
	}
	how := "by name"
	if strings.HasPrefix(want, "{") {
		how = "by DTSID, then by name"
	}
	in := `\Package`
	if s.pr != nil {
		in = `\Package and its project`
	}
	return nil, s.notFound("connection manager", strconv.Quote(s.path.Name), in, known, "looked up "+how)
}

// connectionKeys maps run-time property names to connection string keys,
// per connection manager type; the first key is the one written when the
// string has none of them.
var oledbKeys = map[string][]string{
	"servername":     {"Data Source", "Server", "Address", "Addr", "Network Address"},
	"initialcatalog": {"Initial Catalog", "Database"},
	"username":       {"User ID", "UID", "User"},
	"password":       {"Password", "PWD"},
}

// smtpKeys lists the SMTP connection string keys a property can name: the
// four of SSIS, then the dtsx extensions.
var smtpKeys = []string{
	smtp.KeySmtpServer, smtp.KeyUseWindowsAuthentication, smtp.KeyEnableSsl, smtp.KeyTimeout,
	smtp.KeyPort, smtp.KeyTLSMode, smtp.KeyAuthMechanism, smtp.KeyUserName, smtp.KeyDomain, smtp.KeyPassword,
	smtp.KeyTrustServerCertificate, smtp.KeyAllowInsecureAuth, smtp.KeyRetainSameConnection,
	smtp.KeyServicePrincipalName, smtp.KeyKeytab, smtp.KeyCAFile, smtp.KeyRetry, smtp.KeyRetryDelay,
}

// smtpBoolKeys are the SMTP keys whose values are booleans.
var smtpBoolKeys = map[string]bool{
	smtp.KeyUseWindowsAuthentication: true, smtp.KeyEnableSsl: true, smtp.KeyTrustServerCertificate: true,
	smtp.KeyAllowInsecureAuth: true, smtp.KeyRetainSameConnection: true,
}

// connectionProps are the properties of every connection manager, kept on
// its DTS:ConnectionManager element.
var connectionProps = []string{"ConnectionString", "Description", "DelayValidation", "Name"}

func isOLEDBLike(creation string) bool {
	c := strings.ToUpper(creation)
	return c == "OLEDB" || strings.HasPrefix(c, "ADO.NET") || c == "ODBC" || strings.HasPrefix(c, "MSOLAP")
}

func (s *setter) connection() error {
	cm, err := s.findConnection()
	if err != nil {
		return err
	}
	prop := s.path.Property
	format := s.pkg.Format
	if cm.Project {
		format = 8 // .conmgr files are written in the format of packages 6 and 8
	}
	isSMTP := strings.EqualFold(cm.CreationName, "SMTP")
	switch strings.ToLower(prop) {
	case "connectionstring":
		return s.setConnectionString(cm, s.value, format)
	case "description":
		cm.SetProperty("Description", s.value)
		cm.Description = s.value
		return nil
	case "name":
		if strings.TrimSpace(s.value) == "" {
			return s.badValue(prop, "name", "a connection manager needs a name", false)
		}
		cm.SetProperty("ObjectName", s.value)
		cm.Name = s.value
		return nil
	case "delayvalidation":
		b, ok := parseBool(s.value)
		if !ok {
			return s.badValue(prop, "Boolean", "expected True, False, 1, 0 or -1", false)
		}
		cm.SetProperty("DelayValidation", formatBool(b, format))
		cm.DelayValidation = b
		return nil
	}
	if isSMTP {
		for _, k := range smtpKeys {
			if strings.EqualFold(k, prop) {
				if err := (&smtp.Config{}).Set(k, s.value); err != nil {
					return s.badValue(k, "SMTP "+k, err.Error(), connstr.IsSensitiveKey(k))
				}
				if b, ok := parseBool(s.value); ok && smtpBoolKeys[k] {
					s.value = formatBool(b, 8) // True or False, as SSIS writes the string
				}
				return s.setConnStrKey(cm, []string{k}, format)
			}
		}
	}
	if isOLEDBLike(cm.CreationName) {
		if keys, ok := oledbKeys[strings.ToLower(prop)]; ok {
			return s.setConnStrKey(cm, keys, format)
		}
	}
	// A property of the type's own payload: an attribute or a Property
	// child of ObjectData or below (HTTP's ServerURL, FILE's FileUsageType).
	if e := findPropHolder(cm.ObjectData, prop); e != nil {
		setProp(e, prop, s.value, format)
		return nil
	}
	if hasProp(cm.Element, prop) {
		cm.SetProperty(prop, s.value)
		return nil
	}
	known := append([]string(nil), connectionProps...)
	switch {
	case isSMTP:
		known = append(known, smtpKeys...)
	case isOLEDBLike(cm.CreationName):
		known = append(known, "ServerName", "InitialCatalog", "UserName", "Password")
	}
	known = appendNew(known, payloadProps(cm.ObjectData)...)
	return s.notFound("property", prop, `\Package.Connections[`+cm.Name+"] ("+cm.CreationName+")", known, "")
}

// appendNew appends the names not already in list (ignoring case).
func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		dup := false
		for _, l := range list {
			if strings.EqualFold(l, n) {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, n)
		}
	}
	return list
}

// payloadNoise are attributes of payload elements that are not properties.
var payloadNoise = map[string]bool{"Name": true, "Sensitive": true, "Encrypted": true, "DataType": true, "refId": true}

// findPropHolder returns the element at or below e that persists the
// property, skipping sub-objects that have names of their own (flat file
// columns).
func findPropHolder(e *etree.Element, prop string) *etree.Element {
	if e == nil {
		return nil
	}
	if !payloadNoise[prop] && hasProp(e, prop) {
		return e
	}
	for _, c := range e.ChildElements() {
		if c.Tag == "Property" || hasProp(c, "ObjectName") || hasProp(c, "DTSID") {
			continue
		}
		if h := findPropHolder(c, prop); h != nil {
			return h
		}
	}
	return nil
}

// payloadProps lists the properties persisted at or below e, as
// findPropHolder finds them.
func payloadProps(e *etree.Element) []string {
	if e == nil {
		return nil
	}
	var out []string
	for _, n := range propNames(e) {
		if !payloadNoise[n] && !strings.EqualFold(n, "ConnectionString") {
			out = append(out, n)
		}
	}
	for _, c := range e.ChildElements() {
		if c.Tag == "Property" || hasProp(c, "ObjectName") || hasProp(c, "DTSID") {
			continue
		}
		out = append(out, payloadProps(c)...)
	}
	return out
}

// setConnectionString writes a manager's connection string where its type
// keeps it: on the ObjectData payload (SmtpConnectionManager, the inner
// DTS:ConnectionManager).
func (s *setter) setConnectionString(cm *dtsx.ConnectionManager, cs string, format int) error {
	if cm.ObjectData == nil {
		od := cm.Element.CreateElement(cm.Element.Space + ":ObjectData")
		inner := od.CreateElement(cm.Element.Space + ":ConnectionManager")
		cm.ObjectData = inner
	}
	holder := findPropHolder(cm.ObjectData, "ConnectionString")
	if holder == nil {
		holder = cm.ObjectData
	}
	setProp(holder, "ConnectionString", cs, format)
	cm.ConnectionString = cs
	return nil
}

// setConnStrKey rewrites one key of the manager's connection string: every
// pair whose key is one of keys (ignoring case) takes the value, or keys[0]
// is appended.
func (s *setter) setConnStrKey(cm *dtsx.ConnectionManager, keys []string, format int) error {
	pairs, err := connstr.Parse(cm.ConnectionString)
	if err != nil {
		return s.unsupported("the connection string of "+strconv.Quote(cm.Name)+" does not parse ("+err.Error()+"), so one key of it cannot be changed",
			"set the whole ConnectionString instead")
	}
	found := false
	for i := range pairs {
		for _, k := range keys {
			if strings.EqualFold(strings.TrimSpace(pairs[i].Key), k) {
				pairs[i].Value = s.value
				found = true
			}
		}
	}
	if !found {
		pairs = append(pairs, connstr.Pair{Key: keys[0], Value: s.value})
	}
	return s.setConnectionString(cm, connstr.Format(pairs), format)
}

// ---- executables ----

type propKind int

const (
	kString propKind = iota
	kBool
	kInt
)

// execProp is a property of every executable (or of the package only),
// with the name it is persisted under.
type execProp struct {
	persisted   string
	kind        propKind
	packageOnly bool
}

var execProps = map[string]execProp{
	"description":                   {"Description", kString, false},
	"name":                          {"ObjectName", kString, false},
	"disable":                       {"Disabled", kBool, false},
	"disabled":                      {"Disabled", kBool, false},
	"delayvalidation":               {"DelayValidation", kBool, false},
	"failpackageonfailure":          {"FailPackageOnFailure", kBool, false},
	"failparentonfailure":           {"FailParentOnFailure", kBool, false},
	"forceexecutionvalue":           {"ForceExecValue", kBool, false},
	"forceexecvalue":                {"ForceExecValue", kBool, false},
	"forceexecutionresult":          {"ForceExecutionResult", kInt, false},
	"maxerrorcount":                 {"MaxErrorCount", kInt, false},
	"isolationlevel":                {"ISOLevel", kInt, false},
	"isolevel":                      {"ISOLevel", kInt, false},
	"transactionoption":             {"TransactionOption", kInt, false},
	"loggingmode":                   {"LoggingMode", kInt, false},
	"localeid":                      {"LocaleID", kInt, false},
	"maxconcurrentexecutables":      {"MaxConcurrentExecutables", kInt, true},
	"checkpointfilename":            {"CheckpointFileName", kString, true},
	"checkpointusage":               {"CheckpointUsage", kInt, true},
	"savecheckpoints":               {"SaveCheckpoints", kBool, true},
	"enableconfig":                  {"EnableConfig", kBool, true},
	"suppressconfigurationwarnings": {"SuppressConfigurationWarnings", kBool, true},
	"offlinemode":                   {"OfflineMode", kBool, true},
	"versioncomments":               {"VersionComments", kString, true},
}

// sendMailProps maps the Send Mail task's run-time property names to the
// attributes of SendMailTask:SendMailTaskData.
var sendMailProps = []struct{ prop, attr string }{
	{"SmtpConnection", "SMTPServer"}, {"FromLine", "From"}, {"ToLine", "To"}, {"CCLine", "CC"}, {"BCCLine", "BCC"},
	{"Subject", "Subject"}, {"MessageSourceType", "MessageSourceType"}, {"MessageSource", "MessageSource"},
	{"Priority", "Priority"}, {"FileAttachments", "FileAttachments"},
}

func isSendMail(x *dtsx.Executable) bool {
	t := strings.ToLower(x.ShortType())
	return t == "microsoft.sendmailtask" || strings.HasSuffix(t, ".sendmailtask") || t == "stock:sendmailtask"
}

func (s *setter) executable(x *dtsx.Executable) error {
	prop := s.path.Property
	format := s.pkg.Format
	isRoot := x.Parent == nil
	if ep, ok := execProps[strings.ToLower(prop)]; ok && (isRoot || !ep.packageOnly) {
		return s.execProp(x, prop, ep, format)
	}
	if isSendMail(x) && x.ObjectData != nil {
		for _, m := range sendMailProps {
			if !strings.EqualFold(m.prop, prop) && !strings.EqualFold(m.attr, prop) {
				continue
			}
			switch m.prop {
			case "Priority":
				if _, ok := sendmail.ParsePriority(s.value); !ok {
					return s.badValue(m.prop, "Priority", "expected High, Normal or Low (1, 3, 5)", false)
				}
			case "MessageSourceType":
				if _, ok := sendmail.ParseMessageSourceType(s.value); !ok {
					return s.badValue(m.prop, "MessageSourceType", "expected DirectInput, FileConnection or Variable (0, 1, 2)", false)
				}
			}
			od := x.ObjectData
			if a := findAttr(od, m.attr); a != nil {
				a.Value = s.value
			} else if od.Space != "" {
				od.CreateAttr(od.Space+":"+m.attr, s.value)
			} else {
				od.CreateAttr(m.attr, s.value)
			}
			return nil
		}
	}
	if x.ObjectData != nil {
		if a := findAttr(x.ObjectData, prop); a != nil && !payloadNoise[a.Key] {
			a.Value = s.value
			return nil
		}
	}
	if hasProp(x.Element, prop) && !strings.EqualFold(prop, "DTSID") && !strings.EqualFold(prop, "refId") {
		setProp(x.Element, prop, s.value, format)
		return nil
	}
	var known []string
	for k, ep := range execProps {
		if (isRoot || !ep.packageOnly) && k == strings.ToLower(canonicalExecName(ep.persisted)) {
			known = append(known, canonicalExecName(ep.persisted))
		}
	}
	sort.Strings(known)
	if isSendMail(x) {
		for _, m := range sendMailProps {
			known = append(known, m.prop)
		}
	} else if x.ObjectData != nil {
		for _, a := range x.ObjectData.Attr {
			if a.Space != "xmlns" && !payloadNoise[a.Key] {
				known = appendNew(known, a.Key)
			}
		}
	}
	return s.notFound("property", prop, label(x), known, "")
}

func canonicalExecName(persisted string) string {
	switch persisted {
	case "ObjectName":
		return "Name"
	case "Disabled":
		return "Disable"
	case "ForceExecValue":
		return "ForceExecutionValue"
	case "ISOLevel":
		return "IsolationLevel"
	}
	return persisted
}

func (s *setter) execProp(x *dtsx.Executable, prop string, ep execProp, format int) error {
	val := s.value
	switch ep.kind {
	case kBool:
		b, ok := parseBool(val)
		if !ok {
			return s.badValue(prop, "Boolean", "expected True, False, 1, 0 or -1", false)
		}
		val = formatBool(b, format)
		if ep.persisted == "Disabled" {
			x.Disabled = b
		}
		if ep.persisted == "EnableConfig" {
			s.pkg.EnableConfig = b
		}
	case kInt:
		n, err := strconv.Atoi(strings.TrimSpace(val))
		if err != nil {
			return s.badValue(prop, "Int32", "expected a whole number", false)
		}
		if ep.persisted == "MaxConcurrentExecutables" {
			if n == 0 || n < -1 {
				return s.badValue(prop, "MaxConcurrentExecutables", "expected -1 (processors + 2) or a positive number", false)
			}
			s.pkg.MaxConcurrentExecutables = n
		}
		val = strconv.Itoa(n)
	case kString:
		if ep.persisted == "ObjectName" {
			if strings.TrimSpace(val) == "" {
				return s.badValue(prop, "name", "an executable needs a name", false)
			}
			x.Name = val
		}
		if ep.persisted == "Description" {
			x.Description = val
		}
	}
	setProp(x.Element, ep.persisted, val, format)
	return nil
}
