package dtsx

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// Object holds what every persisted SSIS object has: its element, its
// element path and its identity. Properties are read the same way in every
// format: an attribute (formats 6 and 8) or a <DTS:Property DTS:Name="X">
// child (formats 2 and 3, and PackageFormatVersion in all formats).
type Object struct {
	Element *etree.Element `json:"-"`
	// RefID is the element path: DTS:refId in formats 6 and 8, built the same
	// way from object names in formats 2 and 3 (Package\Container\Task).
	RefID        string
	Name         string
	DTSID        string
	CreationName string
	Description  string

	format int
}

func newObject(e *etree.Element, format int) Object {
	o := Object{Element: e, format: format}
	o.Name, _ = o.Property("ObjectName")
	o.DTSID, _ = o.Property("DTSID")
	o.CreationName, _ = o.Property("CreationName")
	o.Description, _ = o.Property("Description")
	if r, ok := attr(e, "refId"); ok {
		o.RefID = r
	}
	return o
}

// Property returns the persisted value of the named property and whether it
// is present. Omitted properties (formats 6 and 8 omit defaults) report false.
func (o *Object) Property(name string) (string, bool) {
	if o.Element == nil {
		return "", false
	}
	if v, ok := attr(o.Element, name); ok {
		return v, true
	}
	if p := o.propertyElement(name); p != nil {
		return p.Text(), true
	}
	return "", false
}

func (o *Object) propertyElement(name string) *etree.Element {
	for _, c := range o.Element.Child {
		if ce, ok := c.(*etree.Element); ok && ce.Tag == "Property" && attrValue(ce, "Name") == name {
			return ce
		}
	}
	return nil
}

// SetProperty changes the persisted value of a property in the tree, in the
// form the file's format uses, so that a save writes it back.
func (o *Object) SetProperty(name, value string) {
	if a := o.attrPtr(name); a != nil {
		a.Value = value
		return
	}
	if p := o.propertyElement(name); p != nil {
		p.SetText(value)
		return
	}
	if o.format >= 6 || o.format == 0 {
		space := o.Element.Space
		if space == "" {
			space = "DTS"
		}
		o.Element.CreateAttr(space+":"+name, value)
		return
	}
	p := o.Element.CreateElement(o.Element.Space + ":Property")
	if o.Element.Space == "" {
		p.Space = ""
		p.Tag = "Property"
	}
	p.CreateAttr(o.Element.Space+":Name", name)
	p.SetText(value)
}

func (o *Object) attrPtr(key string) *etree.Attr {
	for i := range o.Element.Attr {
		if o.Element.Attr[i].Key == key && o.Element.Attr[i].Space != "xmlns" {
			return &o.Element.Attr[i]
		}
	}
	return nil
}

// boolProperty reads a boolean property with a default for an omitted one.
// A value that is not a boolean is returned in bad.
func (o *Object) boolProperty(name string, def bool) (v bool, bad string) {
	s, ok := o.Property(name)
	if !ok {
		return def, ""
	}
	b, ok := parseBool(s)
	if !ok {
		return def, s
	}
	return b, ""
}

// intProperty reads an integer property with a default for an omitted one.
func (o *Object) intProperty(name string, def int) (v int, bad string) {
	s, ok := o.Property(name)
	if !ok || strings.TrimSpace(s) == "" {
		return def, ""
	}
	n, ok := parseInt(s)
	if !ok {
		return def, s
	}
	return n, ""
}

// PropertyExpression is a <DTS:PropertyExpression DTS:Name="P">expr</...>:
// the expression that sets property P at run time.
type PropertyExpression struct {
	Name       string
	Expression string
}

func propertyExpressions(e *etree.Element) []PropertyExpression {
	var out []PropertyExpression
	for _, c := range e.ChildElements() {
		if c.Tag == "PropertyExpression" {
			out = append(out, PropertyExpression{Name: attrValue(c, "Name"), Expression: c.Text()})
		}
	}
	return out
}

// Executable is a package, container, task or event handler.
type Executable struct {
	Object
	ExecutableType string
	Disabled       bool
	// EventName is set on event handlers (OnError, OnPostExecute, ...).
	EventName     string
	Expressions   []PropertyExpression
	Variables     []*Variable
	Executables   []*Executable
	Constraints   []*PrecedenceConstraint
	EventHandlers []*Executable
	// ObjectData is the task's own payload (the first element inside
	// DTS:ObjectData, such as SendMailTask:SendMailTaskData), or nil.
	ObjectData *etree.Element `json:"-"`
	Parent     *Executable    `json:"-"`
}

// IsEventHandler reports whether e is an event handler.
func (e *Executable) IsEventHandler() bool { return e.EventName != "" }

// Type returns the type that identifies what e is: its ExecutableType, or
// its CreationName when the type is not persisted.
func (e *Executable) Type() string {
	if e.ExecutableType != "" {
		return e.ExecutableType
	}
	return e.CreationName
}

// ShortType returns Type without the assembly part of an assembly-qualified
// name ("Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask, ...").
func (e *Executable) ShortType() string { return ShortType(e.Type()) }

// ShortType drops the assembly part of an assembly-qualified type name.
func ShortType(t string) string {
	if i := strings.IndexByte(t, ','); i > 0 {
		return t[:i]
	}
	return t
}

// Walk calls fn for e and every executable below it, event handlers
// included, depth first in document order. It stops descending where fn
// returns false.
func (e *Executable) Walk(fn func(*Executable) bool) {
	if !fn(e) {
		return
	}
	for _, c := range e.Executables {
		c.Walk(fn)
	}
	for _, h := range e.EventHandlers {
		h.Walk(fn)
	}
}

// ObjectDataAttr returns an attribute of the task payload, whatever its
// prefix (SendMailTask:To, SQLTask:Connection, ...).
func (e *Executable) ObjectDataAttr(key string) (string, bool) {
	if e.ObjectData == nil {
		return "", false
	}
	return attr(e.ObjectData, key)
}

// ConnectionManager is a connection manager of a package or a project.
type ConnectionManager struct {
	Object
	// File is the file the manager was read from (a package or a .conmgr).
	File string
	// Project is true for project connection managers (.conmgr, .ispac).
	Project          bool
	DelayValidation  bool
	ConnectionString string
	Expressions      []PropertyExpression
	// ObjectData is the type's own payload (SmtpConnectionManager, the nested
	// DTS:ConnectionManager, ...), or nil.
	ObjectData *etree.Element `json:"-"`
	// Secrets lists the sensitive values persisted for the manager.
	Secrets []Secret
}

// Secret describes a sensitive value as it was found; it never holds the
// value itself.
type Secret struct {
	Name string
	// Encrypted is true for DPAPI or password-encrypted values, which need
	// a key this runtime may not have.
	Encrypted bool
	// Empty is true when the value was not saved (DontSaveSensitive).
	Empty bool
	// Decrypted is true when the value was encrypted with the package
	// password and was decrypted on load (Options.Password): it is in the
	// tree, in clear, and a connection's Password is in its
	// ConnectionString.
	Decrypted bool
}

// Variable is a package, container or task variable.
type Variable struct {
	Object
	Namespace            string
	DataType             DataType
	Value                string
	EvaluateAsExpression bool
	Expression           string
	ReadOnly             bool
}

// QualifiedName returns Namespace::Name, as expressions name it.
func (v *Variable) QualifiedName() string { return v.Namespace + "::" + v.Name }

// Parameter is a package or project parameter.
type Parameter struct {
	Object
	// Scope is "Package" or "Project", as in @[$Package::P].
	Scope     string
	DataType  DataType
	Value     string
	Required  bool
	Sensitive bool
	// Encrypted is true when the persisted value is encrypted and so not in
	// Value.
	Encrypted bool
	// Decrypted is true when the value was encrypted with the package
	// password and was decrypted on load (Options.Password), into Value.
	Decrypted bool
}

// QualifiedName returns $Scope::Name, as expressions name it.
func (p *Parameter) QualifiedName() string { return "$" + p.Scope + "::" + p.Name }

// ConstraintValue is the execution result a precedence constraint tests.
type ConstraintValue int

// Precedence constraint values (DTSExecResult).
const (
	Success    ConstraintValue = 0
	Failure    ConstraintValue = 1
	Completion ConstraintValue = 2
)

// String returns Success, Failure or Completion.
func (v ConstraintValue) String() string {
	switch v {
	case Success:
		return "Success"
	case Failure:
		return "Failure"
	case Completion:
		return "Completion"
	}
	return strconv.Itoa(int(v))
}

// EvalOp says what a precedence constraint evaluates.
type EvalOp int

// Evaluation operations (DTSPrecedenceEvalOp).
const (
	EvalExpression              EvalOp = 1
	EvalConstraint              EvalOp = 2
	EvalExpressionAndConstraint EvalOp = 3
	EvalExpressionOrConstraint  EvalOp = 4
)

// String returns the operation's SSIS name.
func (o EvalOp) String() string {
	switch o {
	case EvalExpression:
		return "Expression"
	case EvalConstraint:
		return "Constraint"
	case EvalExpressionAndConstraint:
		return "ExpressionAndConstraint"
	case EvalExpressionOrConstraint:
		return "ExpressionOrConstraint"
	}
	return strconv.Itoa(int(o))
}

// PrecedenceConstraint links two sibling executables of a container.
type PrecedenceConstraint struct {
	Object
	// FromRef and ToRef are the references as persisted: refIds in formats
	// 6 and 8, DTSIDs in formats 2 and 3.
	FromRef, ToRef string
	From, To       *Executable `json:"-"`
	Value          ConstraintValue
	EvalOp         EvalOp
	Expression     string
	LogicalAnd     bool
}

// Configuration is a package configuration entry (DTS:Configuration).
type Configuration struct {
	Object
	Type     ConfigurationType
	String   string // ConfigurationString: a file, variable or table
	Variable string // ConfigurationVariable: the target of a parent-variable configuration
}

// ConfigurationType is DTSConfigurationType.
type ConfigurationType int

// Configuration types: those the runtime applies. String names all eleven
// (0 to 10), the registry and SQL Server ones included.
const (
	ConfigTypeParentVariable ConfigurationType = 0
	ConfigTypeFile           ConfigurationType = 1
	ConfigTypeEnvVariable    ConfigurationType = 2
	ConfigTypeIParentVar     ConfigurationType = 4
	ConfigTypeIConfigFile    ConfigurationType = 5
)

var configTypeNames = [...]string{"ParentVariable", "ConfigFile", "EnvVariable", "RegEntry",
	"IParentVariable", "IConfigFile", "IRegEntry", "SqlServer", "IniFile", "ISqlServer", "IIniFile"}

// String returns the type's SSIS name.
func (t ConfigurationType) String() string {
	if t >= 0 && int(t) < len(configTypeNames) {
		return configTypeNames[t]
	}
	return strconv.Itoa(int(t))
}

// ProtectionLevel is DTSProtectionLevel.
type ProtectionLevel int

// Protection levels.
const (
	DontSaveSensitive            ProtectionLevel = 0
	EncryptSensitiveWithUserKey  ProtectionLevel = 1
	EncryptSensitiveWithPassword ProtectionLevel = 2
	EncryptAllWithPassword       ProtectionLevel = 3
	EncryptAllWithUserKey        ProtectionLevel = 4
	ServerStorage                ProtectionLevel = 5
)

var protectionNames = [...]string{"DontSaveSensitive", "EncryptSensitiveWithUserKey",
	"EncryptSensitiveWithPassword", "EncryptAllWithPassword", "EncryptAllWithUserKey", "ServerStorage"}

// String returns the level's SSIS name.
func (l ProtectionLevel) String() string {
	if l >= 0 && int(l) < len(protectionNames) {
		return protectionNames[l]
	}
	return strconv.Itoa(int(l))
}

// ParseProtectionLevel reads a level by number (packages) or name (projects).
func ParseProtectionLevel(s string) (ProtectionLevel, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n < len(protectionNames) {
		return ProtectionLevel(n), true
	}
	for i, name := range protectionNames {
		if strings.EqualFold(s, name) {
			return ProtectionLevel(i), true
		}
	}
	return 0, false
}
