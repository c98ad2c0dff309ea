package dtsx

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// loader walks one file's tree into the model, collecting diagnostics.
type loader struct {
	file   string
	format int
	// lines holds the line of each element read from the file; nil when
	// the file was decrypted whole, so that its lines say nothing.
	lines map[*etree.Element]int32
	pkg   *Package
	diags *Diagnostics
	// ids maps upper-cased DTSIDs to the path of the object that has it.
	ids map[string]string
	// unlocked tells which elements were decrypted with the password.
	unlocked *unlocked
}

func (l *loader) add(d Diagnostic) {
	d.File = l.file
	if l.pkg != nil {
		l.pkg.Diagnostics = append(l.pkg.Diagnostics, d)
	} else if l.diags != nil {
		*l.diags = append(*l.diags, d)
	}
}

// diag records a diagnostic at path, on the line of the element at (the
// object's own, usually); a nil at gives no line.
func (l *loader) diag(sev Severity, code, path string, at *etree.Element, msg, hint string) {
	l.add(Diagnostic{Severity: sev, Code: code, Path: path, Line: lineOf(l.lines, at), Message: msg, Hint: hint})
}

func (l *loader) badValue(o *Executable, prop, val, want string) {
	l.diag(SeverityError, CodeBadValue, o.RefID, o.Element,
		fmt.Sprintf("property %s has the value %q, which is not %s", prop, val, want), "correct the value in the package")
}

// claimID records a DTSID and reports a duplicate.
func (l *loader) claimID(o *Object, kind string) {
	if o.DTSID == "" {
		return
	}
	key := strings.ToUpper(strings.Trim(o.DTSID, "{} "))
	if prev, ok := l.ids[key]; ok {
		l.add(Diagnostic{Severity: SeverityError, Code: CodeDuplicateID, Path: o.RefID,
			Line:    lineOf(l.lines, o.Element),
			Message: fmt.Sprintf("%s has DTSID %s, already used by %s", kind, o.DTSID, prev),
			Hint:    "references by DTSID would be ambiguous; give one of them a new GUID"})
		return
	}
	l.ids[key] = o.RefID
}

// isCollection reports the wrapper elements of formats 6 and 8, whose
// children are handled as if they were the parent's own.
func isCollection(tag string) bool {
	switch tag {
	case "Executables", "Variables", "PrecedenceConstraints", "EventHandlers", "ConnectionManagers",
		"PackageParameters", "Configurations":
		return true
	}
	return false
}

// executable reads an executable element (package, container, task or
// event handler) and everything below it. refID is the path to use when the
// element has no DTS:refId (formats 2 and 3).
func (l *loader) executable(e *etree.Element, parent *Executable, refID string) *Executable {
	x := &Executable{Object: newObject(e, l.format), Parent: parent}
	if x.RefID == "" {
		x.RefID = refID
	}
	x.ExecutableType, _ = x.Property("ExecutableType")
	x.Expressions = propertyExpressions(e)
	var bad string
	x.Disabled, bad = x.boolProperty("Disabled", false)
	if bad != "" {
		l.badValue(x, "Disabled", bad, "True or False")
	}
	if od := firstChild(e, "ObjectData"); od != nil {
		x.ObjectData = firstElement(od)
		l.secrets(od, x.RefID, x.Element, "a sensitive property of "+quote(x.Name))
	}
	l.claimID(&x.Object, "executable "+quote(x.Name))
	var constraints []*etree.Element
	var walk func(parent *etree.Element)
	walk = func(parent *etree.Element) {
		for _, c := range parent.ChildElements() {
			switch c.Tag {
			case "Executable":
				if _, isRef := attr(c, "IDREF"); isRef {
					continue // a format 2/3 constraint end, never a task
				}
				name := (&Object{Element: c}).name()
				x.Executables = append(x.Executables, l.executable(c, x, x.RefID+`\`+name))
			case "EventHandler":
				o := Object{Element: c}
				ev, _ := o.Property("EventName")
				h := l.executable(c, x, x.RefID+".EventHandlers["+ev+"]")
				h.EventName = ev
				if h.EventName == "" {
					h.EventName = h.CreationName
				}
				x.EventHandlers = append(x.EventHandlers, h)
			case "Variable":
				x.Variables = append(x.Variables, l.variable(c, x))
			case "PrecedenceConstraint":
				constraints = append(constraints, c)
			default:
				if isCollection(c.Tag) {
					walk(c)
				}
			}
		}
	}
	walk(e)
	names := map[string]bool{}
	for _, c := range x.Executables {
		if names[c.RefID] {
			l.diag(SeverityError, CodeDuplicateName, c.RefID, c.Element,
				"two executables of "+quote(x.RefID)+" are named "+quote(c.Name),
				"precedence constraints and paths would be ambiguous; rename one of them")
		}
		names[c.RefID] = true
	}
	for _, c := range constraints {
		x.Constraints = append(x.Constraints, l.constraint(c, x))
	}
	return x
}

// name returns an object's ObjectName, or its DTSID when it has none.
func (o *Object) name() string {
	if n, ok := o.Property("ObjectName"); ok && n != "" {
		return n
	}
	id, _ := o.Property("DTSID")
	return id
}

func (l *loader) variable(e *etree.Element, owner *Executable) *Variable {
	v := &Variable{Object: newObject(e, l.format)}
	v.Namespace, _ = v.Property("Namespace")
	v.Expression, _ = v.Property("Expression")
	v.RefID = owner.RefID + ".Variables[" + v.Namespace + "::" + v.Name + "]"
	var bad string
	if v.EvaluateAsExpression, bad = v.boolProperty("EvaluateAsExpression", false); bad != "" {
		l.diag(SeverityError, CodeBadValue, v.RefID, v.Element, "EvaluateAsExpression is "+quote(bad), "use True or False")
	}
	if v.ReadOnly, bad = v.boolProperty("ReadOnly", false); bad != "" {
		l.diag(SeverityError, CodeBadValue, v.RefID, v.Element, "ReadOnly is "+quote(bad), "use True or False")
	}
	if vv := firstChild(e, "VariableValue"); vv != nil {
		if protectedValue(vv) != "" {
			l.lockedDiag(v.RefID, v.Element, "the value of variable "+quote(v.QualifiedName()), vv)
		} else {
			v.Value = vv.Text()
		}
		if dt, ok := parseInt(attrValue(vv, "DataType")); ok {
			v.DataType = DataType(dt)
		}
	} else if enc := firstChild(e, "EncryptedData"); enc != nil {
		l.lockedDiag(v.RefID, v.Element, "the value of variable "+quote(v.QualifiedName()), enc)
	}
	return v
}

func (l *loader) constraint(e *etree.Element, owner *Executable) *PrecedenceConstraint {
	c := &PrecedenceConstraint{Object: newObject(e, l.format)}
	if c.RefID == "" {
		c.RefID = owner.RefID + ".PrecedenceConstraints[" + c.Name + "]"
	}
	c.Expression, _ = c.Property("Expression")
	v, bad := c.intProperty("Value", int(Success))
	if bad != "" || v < 0 || v > 2 {
		l.diag(SeverityError, CodeBadValue, c.RefID, c.Element, fmt.Sprintf("Value is %q", firstNonEmpty(bad, fmt.Sprint(v))),
			"use 0 (Success), 1 (Failure) or 2 (Completion)")
	}
	c.Value = ConstraintValue(v)
	op, bad := c.intProperty("EvalOp", int(EvalConstraint))
	if bad != "" || op < 1 || op > 4 {
		l.diag(SeverityError, CodeBadValue, c.RefID, c.Element, fmt.Sprintf("EvalOp is %q", firstNonEmpty(bad, fmt.Sprint(op))),
			"use 1 (Expression), 2 (Constraint), 3 (ExpressionAndConstraint) or 4 (ExpressionOrConstraint)")
	}
	c.EvalOp = EvalOp(op)
	if c.LogicalAnd, bad = c.boolProperty("LogicalAnd", false); bad != "" {
		l.diag(SeverityError, CodeBadValue, c.RefID, c.Element, "LogicalAnd is "+quote(bad), "use True or False")
	}
	c.FromRef, _ = attr(e, "From")
	c.ToRef, _ = attr(e, "To")
	for _, end := range e.ChildElements() { // formats 2 and 3
		if end.Tag != "Executable" {
			continue
		}
		id, ok := attr(end, "IDREF")
		if !ok {
			continue
		}
		if from, _ := parseBool(attrValue(end, "IsFrom")); from {
			c.FromRef = id
		} else {
			c.ToRef = id
		}
	}
	c.From = l.sibling(owner, c.FromRef)
	c.To = l.sibling(owner, c.ToRef)
	for _, end := range []struct {
		name string
		ref  string
		exe  *Executable
	}{{"From", c.FromRef, c.From}, {"To", c.ToRef, c.To}} {
		if end.exe == nil {
			l.diag(SeverityError, CodeDanglingConstraint, c.RefID, c.Element,
				fmt.Sprintf("the constraint's %s end %s is not an executable of %s", end.name, quote(end.ref), owner.RefID),
				"reconnect the constraint in the designer or remove it")
		}
	}
	return c
}

// sibling finds an executable of owner by refId (formats 6 and 8) or DTSID
// (formats 2 and 3).
func (l *loader) sibling(owner *Executable, ref string) *Executable {
	if ref == "" {
		return nil
	}
	for _, x := range owner.Executables {
		if x.RefID == ref || (x.DTSID != "" && strings.EqualFold(x.DTSID, ref)) {
			return x
		}
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// packageParts reads the children only a package has: connection managers,
// parameters and configurations.
func (l *loader) packageParts(root *etree.Element) {
	p := l.pkg
	names := map[string]bool{}
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			switch c.Tag {
			case "ConnectionManager":
				cm := l.connectionManager(c, "Package")
				if names[strings.ToLower(cm.Name)] {
					l.diag(SeverityError, CodeDuplicateName, cm.RefID, cm.Element,
						"two connection managers are named "+quote(cm.Name), "rename one of them")
				}
				names[strings.ToLower(cm.Name)] = true
				p.Connections = append(p.Connections, cm)
			case "PackageParameter":
				p.Parameters = append(p.Parameters, l.packageParameter(c))
			case "Configuration":
				cf := &Configuration{Object: newObject(c, l.format)}
				cf.RefID = "Package.Configurations[" + cf.Name + "]"
				t, bad := cf.intProperty("ConfigurationType", 0)
				if bad == "" && (t < 0 || t > 10) {
					bad = fmt.Sprint(t)
				}
				if bad != "" {
					l.diag(SeverityError, CodeBadValue, cf.RefID, cf.Element, "ConfigurationType is "+quote(bad), "use a number from 0 to 10")
				}
				cf.Type = ConfigurationType(t)
				cf.String, _ = cf.Property("ConfigurationString")
				cf.Variable, _ = cf.Property("ConfigurationVariable")
				p.Configurations = append(p.Configurations, cf)
			default:
				if isCollection(c.Tag) {
					walk(c)
				}
			}
		}
	}
	walk(root)
}

// connectionManager reads a DTS:ConnectionManager of a package (scope
// "Package") or of a .conmgr file (scope "Project").
func (l *loader) connectionManager(e *etree.Element, scope string) *ConnectionManager {
	cm := &ConnectionManager{Object: newObject(e, l.format), File: l.file, Project: scope == "Project"}
	if cm.RefID == "" {
		cm.RefID = scope + ".ConnectionManagers[" + cm.Name + "]"
	}
	cm.Expressions = propertyExpressions(e)
	var bad string
	if cm.DelayValidation, bad = cm.boolProperty("DelayValidation", false); bad != "" {
		l.diag(SeverityError, CodeBadValue, cm.RefID, cm.Element, "DelayValidation is "+quote(bad), "use True or False")
	}
	if cm.Name == "" {
		l.diag(SeverityError, CodeMissingProperty, cm.RefID, cm.Element, "the connection manager has no ObjectName", "name it in the designer")
	}
	if cm.CreationName == "" {
		l.diag(SeverityError, CodeMissingProperty, cm.RefID, cm.Element,
			"connection manager "+quote(cm.Name)+" has no CreationName, so its type is unknown",
			"set DTS:CreationName (SMTP, FILE, OLEDB, ...)")
	}
	if od := firstChild(e, "ObjectData"); od != nil {
		cm.ObjectData = firstElement(od)
	}
	if in := cm.ObjectData; in != nil {
		inner := Object{Element: in}
		cm.ConnectionString, _ = inner.Property("ConnectionString")
		// The password of a connection string is persisted apart, as a
		// sensitive DTS:Password child; SSIS puts it back at run time.
		if pw := firstChild(in, "Password"); pw != nil && in.Tag == "ConnectionManager" &&
			protectedValue(pw) == "" && strings.TrimSpace(pw.Text()) != "" {
			cm.ConnectionString = withConnValue(cm.ConnectionString, firstNonEmpty(attrValue(pw, "Name"), "Password"), pw.Text())
		}
	}
	l.claimID(&cm.Object, "connection manager "+quote(cm.Name))
	if cm.ObjectData != nil {
		cm.Secrets = l.secrets(cm.ObjectData, cm.RefID, cm.Element, "a sensitive value of connection manager "+quote(cm.Name))
	}
	return cm
}

// secrets lists the sensitive values below e, without their values, and
// reports those that cannot be used here at the line of their owner's
// element. what names their owner in the diagnostics ("a sensitive value of
// connection manager \"X\"").
func (l *loader) secrets(e *etree.Element, path string, owner *etree.Element, what string) []Secret {
	var out []Secret
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			if c.Tag == "EncryptedData" {
				out = append(out, Secret{Name: "(encrypted with the package password)", Encrypted: true})
				l.lockedDiag(path, owner, what, c)
				continue
			}
			if s, ok := attr(c, "Sensitive"); ok && s == "1" {
				name := attrValue(c, "Name")
				sec := Secret{Name: name, Empty: strings.TrimSpace(c.Text()) == "", Decrypted: l.unlocked.isDecrypted(c)}
				if protectedValue(c) != "" {
					sec.Encrypted = true // .conmgr files omit Encrypted="1" on DPAPI blobs
					if name != "" {
						l.lockedDiag(path, owner, "the "+name+" of "+strings.TrimPrefix(what, "a sensitive value of "), c)
					} else {
						l.lockedDiag(path, owner, what, c)
					}
				}
				out = append(out, sec)
				continue
			}
			walk(c)
		}
	}
	walk(e)
	return out
}

// packageParameter reads a DTS:PackageParameter (formats 6 and 8).
func (l *loader) packageParameter(e *etree.Element) *Parameter {
	p := &Parameter{Object: newObject(e, l.format), Scope: "Package"}
	p.RefID = "Package.Parameters[" + p.Name + "]"
	if dt, ok := parseInt(attrValue(e, "DataType")); ok {
		p.DataType = DataType(dt)
	}
	var bad string
	if p.Required, bad = p.boolProperty("Required", false); bad != "" {
		l.diag(SeverityError, CodeBadValue, p.RefID, p.Element, "Required is "+quote(bad), "use True or False")
	}
	if p.Sensitive, bad = p.boolProperty("Sensitive", false); bad != "" {
		l.diag(SeverityError, CodeBadValue, p.RefID, p.Element, "Sensitive is "+quote(bad), "use True or False")
	}
	var locked *etree.Element // the value's element, when it stays encrypted
	for _, c := range e.ChildElements() {
		switch {
		case c.Tag == "Property" && attrValue(c, "Name") == "ParameterValue":
			if inner := firstChild(c, "Property"); inner != nil { // sensitive: wrapped once more
				if protectedValue(inner) != "" {
					locked = inner
				} else {
					p.Value = inner.Text()
					p.Decrypted = l.unlocked.isDecrypted(inner)
				}
			} else if enc := firstChild(c, "EncryptedData"); enc != nil {
				locked = enc
			} else {
				p.Value = c.Text()
				p.Decrypted = l.unlocked.isDecrypted(c)
			}
		case c.Tag == "EncryptedData":
			locked = c
		}
	}
	if locked != nil {
		p.Encrypted = true
		l.lockedDiag(p.RefID, p.Element, "the value of parameter "+quote(p.Name), locked)
	}
	l.claimID(&p.Object, "parameter "+quote(p.Name))
	return p
}

// withConnValue returns the connection string cs with key=value added at
// its end, unless cs already sets key (or its synonym Password/Pwd).
func withConnValue(cs, key, value string) string {
	for _, k := range connKeys(cs) {
		if strings.EqualFold(k, key) || (isPasswordKey(k) && isPasswordKey(key)) {
			return cs
		}
	}
	out := strings.TrimRight(cs, " \t\r\n")
	if out != "" && !strings.HasSuffix(out, ";") {
		out += ";"
	}
	return out + key + "=" + quoteConnValue(value) + ";"
}

func isPasswordKey(k string) bool {
	return strings.EqualFold(k, "Password") || strings.EqualFold(k, "Pwd")
}

// connKeys lists the keys of a connection string (key=value pairs separated
// by semicolons; values may be quoted with " or ', a quote doubled inside).
func connKeys(cs string) []string {
	var keys []string
	for i := 0; i < len(cs); {
		for i < len(cs) && (cs[i] == ';' || cs[i] == ' ' || cs[i] == '\t' || cs[i] == '\r' || cs[i] == '\n') {
			i++
		}
		eq := strings.IndexByte(cs[i:], '=')
		if eq < 0 {
			break
		}
		keys = append(keys, strings.TrimSpace(cs[i:i+eq]))
		i += eq + 1
		for i < len(cs) && (cs[i] == ' ' || cs[i] == '\t') {
			i++
		}
		if i < len(cs) && (cs[i] == '"' || cs[i] == '\'') {
			q := cs[i]
			for i++; i < len(cs); i++ {
				if cs[i] == q {
					if i+1 < len(cs) && cs[i+1] == q {
						i++
						continue
					}
					i++
					break
				}
			}
		}
		if semi := strings.IndexByte(cs[i:], ';'); semi >= 0 {
			i += semi + 1
		} else {
			break
		}
	}
	return keys
}

// quoteConnValue quotes a connection-string value when it needs it.
func quoteConnValue(v string) string {
	if v == "" || (!strings.ContainsAny(v, ";\"'") && strings.TrimSpace(v) == v) {
		return v
	}
	if !strings.Contains(v, `"`) {
		return `"` + v + `"`
	}
	if !strings.Contains(v, "'") {
		return "'" + v + "'"
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}
