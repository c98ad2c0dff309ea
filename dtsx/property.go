package dtsx

import "strings"

// Property describes a property that a connection manager type or a task
// type lets configurations, dtexec's /Set and property expressions set:
// the names it answers to, where it is persisted and which values it takes.
// The types list theirs (connections.Configurable, tasks.Configurable); it
// lives here, below both, so that whoever writes packages can read the
// lists without knowing the types.
type Property struct {
	// Name is the run-time name, as property paths and property
	// expressions give it (SmtpServer, SmtpConnection).
	Name string
	// Aliases are other names that set the property: the editor's names,
	// the spellings other writers persist.
	Aliases []string
	// Persisted is the name the property is saved under when that is not
	// Name: the Send Mail task's SmtpConnection is its SMTPServer
	// attribute.
	Persisted string
	// Key is true for a key of the connection string (an SMTP connection
	// manager's Port), false for an attribute of the object's ObjectData.
	Key bool
	// Boolean is true for a True/False property.
	Boolean bool
	// Sensitive is true for a value that must not be shown (a password).
	Sensitive bool
	// Type names what the property takes in messages: "SMTP Port",
	// "Priority".
	Type string
	// Check returns why value does not fit the property, or nil. A nil
	// Check takes any value.
	Check func(value string) error
}

// Matches reports whether name names the property: its Name, its
// Persisted name or one of its Aliases, without regard to case.
func (p Property) Matches(name string) bool {
	if strings.EqualFold(name, p.Name) || (p.Persisted != "" && strings.EqualFold(name, p.Persisted)) {
		return true
	}
	for _, a := range p.Aliases {
		if strings.EqualFold(name, a) {
			return true
		}
	}
	return false
}

// Stored returns the name the property is persisted under: Persisted, or
// Name when Persisted is empty.
func (p Property) Stored() string {
	if p.Persisted != "" {
		return p.Persisted
	}
	return p.Name
}

// FindProperty returns the property of props that name names (exactly
// first, then ignoring case, as Matches does).
func FindProperty(props []Property, name string) (Property, bool) {
	for _, p := range props {
		if p.Name == name || p.Persisted == name {
			return p, true
		}
	}
	for _, p := range props {
		if p.Matches(name) {
			return p, true
		}
	}
	return Property{}, false
}
