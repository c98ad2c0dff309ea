package override

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/connstr"
	"github.com/dtsx-run/dtsx/dtsx"
)

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

// connectionProps are the properties of every connection manager, kept on
// its DTS:ConnectionManager element.
var connectionProps = []string{"ConnectionString", "Description", "DelayValidation", "Name"}

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
		b, ok := dtsx.ParseBool(s.value)
		if !ok {
			return s.badValue(prop, "Boolean", "expected True, False, 1, 0 or -1", false)
		}
		cm.SetProperty("DelayValidation", formatBool(b, format))
		cm.DelayValidation = b
		return nil
	}
	props := s.types.connection(cm)
	if p, ok := dtsx.FindProperty(props, prop); ok {
		if p.Check != nil {
			if err := p.Check(s.value); err != nil {
				return s.badValue(p.Name, p.Type, err.Error(), p.Sensitive)
			}
		}
		if p.Key {
			if b, ok := dtsx.ParseBool(s.value); ok && p.Boolean {
				s.value = formatBool(b, 8) // True or False, as SSIS writes the string
			}
			// The aliases of a key are the other spellings of its keyword
			// (a database manager's ServerName is Data Source, Server,
			// Host, ... as its provider reads them): each is rewritten.
			return s.setConnStrKey(cm, append([]string{p.Stored()}, p.Aliases...), format)
		}
		if e := findPropHolder(cm.ObjectData, p.Stored()); e != nil {
			setProp(e, p.Stored(), s.value, format)
			return nil
		}
		if cm.ObjectData != nil {
			setProp(cm.ObjectData, p.Stored(), s.value, format)
			return nil
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
	for _, p := range props {
		known = appendNew(known, p.Name)
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
