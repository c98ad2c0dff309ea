package override

import "github.com/dtsx-run/dtsx/dtsx"

// ConnectionTypes lists the properties of a connection manager's type, as
// *connections.Registry does: the connection string keys of an SMTP
// manager, a file manager's FileUsageType. Nil means none.
type ConnectionTypes interface {
	Properties(def *dtsx.ConnectionManager) []dtsx.Property
}

// TaskTypes lists the properties of a task's type, as *tasks.Registry
// does: the Send Mail task's SmtpConnection, FromLine, ... Nil means none.
type TaskTypes interface {
	Properties(def *dtsx.Executable) []dtsx.Property
}

// Types are the connection manager and task types Set knows the
// properties of; runtime.OverrideTypes gives the built-in ones. A nil
// field knows no type: only the properties every connection manager or
// executable has, and those the package persists, can then be set.
type Types struct {
	Connections ConnectionTypes
	Tasks       TaskTypes
}

// connection returns the properties of cm's type.
func (t Types) connection(cm *dtsx.ConnectionManager) []dtsx.Property {
	if t.Connections == nil {
		return nil
	}
	return t.Connections.Properties(cm)
}

// task returns the properties of x's type.
func (t Types) task(x *dtsx.Executable) []dtsx.Property {
	if t.Tasks == nil {
		return nil
	}
	return t.Tasks.Properties(x)
}
