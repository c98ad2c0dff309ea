package filesystem

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
)

// Operation is DTSFileSystemOperation, with its numbers.
type Operation int

// The operations of the File System Task.
const (
	CopyFile               Operation = 0
	MoveFile               Operation = 1
	DeleteFile             Operation = 2
	RenameFile             Operation = 3
	SetAttributes          Operation = 4
	CreateDirectory        Operation = 5
	CopyDirectory          Operation = 6
	MoveDirectory          Operation = 7
	DeleteDirectory        Operation = 8
	DeleteDirectoryContent Operation = 9
)

var operationNames = [...]string{"CopyFile", "MoveFile", "DeleteFile", "RenameFile", "SetAttributes",
	"CreateDirectory", "CopyDirectory", "MoveDirectory", "DeleteDirectory", "DeleteDirectoryContent"}

// String returns the SSIS name of the operation.
func (o Operation) String() string { return tasks.EnumName(operationNames[:], o) }

// NeedsDestination reports whether the operation has a destination.
func (o Operation) NeedsDestination() bool {
	switch o {
	case CopyFile, MoveFile, RenameFile, CopyDirectory, MoveDirectory:
		return true
	}
	return false
}

// ParseOperation reads an operation by name (case-insensitive) or number;
// an empty value is CopyFile, which formats 6 and 8 omit.
func ParseOperation(s string) (Operation, bool) {
	return tasks.ParseEnum[Operation](operationNames[:], s)
}

// Attributes is DTSFileSystemAttributes: flags, Normal being none.
type Attributes int

// File attributes, with the numbers of DTSFileSystemAttributes.
const (
	Normal   Attributes = 0
	Archive  Attributes = 1
	Hidden   Attributes = 2
	ReadOnly Attributes = 4
	System   Attributes = 8
)

var attributeNames = []struct {
	a    Attributes
	name string
}{{Archive, "Archive"}, {Hidden, "Hidden"}, {ReadOnly, "ReadOnly"}, {System, "System"}}

// String returns the flags as .NET writes them: "Normal", or names joined
// with ", " ("Hidden, ReadOnly").
func (a Attributes) String() string {
	if a == Normal {
		return "Normal"
	}
	var names []string
	for _, n := range attributeNames {
		if a&n.a != 0 {
			names = append(names, n.name)
		}
	}
	if rest := a &^ (Archive | Hidden | ReadOnly | System); rest != 0 {
		names = append(names, strconv.Itoa(int(rest)))
	}
	return strings.Join(names, ", ")
}

// ParseAttributes reads attributes as persisted ("Normal", "ReadOnly",
// "Hidden, ReadOnly") or as a number (0 to 15); "|" also separates names.
func ParseAttributes(s string) (Attributes, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Normal, true
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 || n > 15 {
			return Normal, false
		}
		return Attributes(n), true
	}
	var a Attributes
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' }) {
		part = strings.TrimSpace(part)
		found := strings.EqualFold(part, "Normal")
		for _, n := range attributeNames {
			if strings.EqualFold(part, n.name) {
				a |= n.a
				found = true
			}
		}
		if !found {
			return Normal, false
		}
	}
	return a, true
}

// Properties are the persisted properties of a File System Task, named as
// the runtime (and property expressions) name them.
type Properties struct {
	Operation Operation
	// OperationName is persisted by formats 2 and 3; it is not used.
	OperationName string
	// Source is a connection manager reference (DTSID or name) or, when
	// IsSourcePathVariable, a variable name (XML TaskSourcePath).
	Source               string
	IsSourcePathVariable bool
	// Destination is the same for the destination (XML
	// TaskDestinationPath).
	Destination               string
	IsDestinationPathVariable bool
	// OverwriteDestinationFile lets an operation replace an existing
	// destination file; for CreateDirectory it is UseDirectoryIfExists
	// (XML TaskOverwriteDestFile).
	OverwriteDestinationFile bool
	// Attributes are what SetAttributes sets (XML TaskFileAttributes).
	Attributes Attributes
}

// parseBool reads True/False as SSIS persists them (and -1/1/0); an empty
// value is False.
func parseBool(s string) (bool, bool) {
	if strings.TrimSpace(s) == "" {
		return false, true
	}
	return dtsx.ParseBool(s)
}

// ReadProperties reads a task's FileSystemData. Values that cannot be read
// are reported and left at their defaults.
func ReadProperties(def *dtsx.Executable) (Properties, []tasks.Problem) {
	r := &tasks.Reader{Def: def}
	p := Properties{
		OperationName: r.Get("OperationName"),
		Source:        r.Get("TaskSourcePath"),
		Destination:   r.Get("TaskDestinationPath"),
	}
	tasks.Parse(r, &p.Operation, "TaskOperationType", ParseOperation, "Operation", "is not a File System operation",
		"use one of "+strings.Join(operationNames[:], ", ")+" (0 to 9)")
	tasks.Parse(r, &p.Attributes, "TaskFileAttributes", ParseAttributes, "Attributes", "are not file attributes",
		"use Normal, or a combination of Archive, Hidden, ReadOnly and System")
	for _, b := range []struct {
		xml, prop string
		dst       *bool
	}{
		{"TaskIsSourceVariable", "IsSourcePathVariable", &p.IsSourcePathVariable},
		{"TaskIsDestinationVariable", "IsDestinationPathVariable", &p.IsDestinationPathVariable},
		{"TaskOverwriteDestFile", "OverwriteDestinationFile", &p.OverwriteDestinationFile},
	} {
		tasks.Parse(r, b.dst, b.xml, parseBool, b.prop, "is not True or False", "use True or False")
	}
	return p, r.Problems
}

// canonical maps the names a property can be set by (runtime names,
// editor names, XML names) to the runtime name.
var canonical = map[string]string{
	"operation": "Operation", "taskoperationtype": "Operation",
	"operationname": "OperationName",
	"source":        "Source", "tasksourcepath": "Source", "sourceconnection": "Source", "sourcevariable": "Source",
	"issourcepathvariable": "IsSourcePathVariable", "taskissourcevariable": "IsSourcePathVariable",
	"destination": "Destination", "taskdestinationpath": "Destination", "destinationconnection": "Destination", "destinationvariable": "Destination",
	"isdestinationpathvariable": "IsDestinationPathVariable", "taskisdestinationvariable": "IsDestinationPathVariable",
	"overwritedestinationfile": "OverwriteDestinationFile", "overwritedestination": "OverwriteDestinationFile",
	"taskoverwritedestfile": "OverwriteDestinationFile", "usedirectoryifexists": "OverwriteDestinationFile",
	"attributes": "Attributes", "taskfileattributes": "Attributes",
}

// Canonical returns the runtime name of a property given by any of its
// names, or "" for a name the task does not have.
func Canonical(name string) string { return canonical[strings.ToLower(strings.TrimSpace(name))] }

// Set sets a property by its runtime name (Operation, Source, Destination,
// IsSourcePathVariable, IsDestinationPathVariable,
// OverwriteDestinationFile, Attributes, OperationName), its editor name
// (OverwriteDestination, UseDirectoryIfExists, SourceConnection,
// SourceVariable, ...) or its XML name. Operation and Attributes take names
// or numbers. An unknown name gives an error matching
// tasks.ErrUnknownProperty; on error nothing changes.
func (p *Properties) Set(name, value string) error {
	bad := func(want string) error { return fmt.Errorf("%s %q: %s", Canonical(name), value, want) }
	switch Canonical(name) {
	case "Operation":
		o, ok := ParseOperation(value)
		if !ok || strings.TrimSpace(value) == "" {
			return bad("use one of " + strings.Join(operationNames[:], ", ") + " (0 to 9)")
		}
		p.Operation = o
	case "OperationName":
		p.OperationName = value
	case "Source":
		p.Source = value
	case "Destination":
		p.Destination = value
	case "Attributes":
		a, ok := ParseAttributes(value)
		if !ok {
			return bad("use Normal, or a combination of Archive, Hidden, ReadOnly and System (0 to 15)")
		}
		p.Attributes = a
	case "IsSourcePathVariable", "IsDestinationPathVariable", "OverwriteDestinationFile":
		b, ok := parseBool(value)
		if !ok {
			return bad("use True or False")
		}
		switch Canonical(name) {
		case "IsSourcePathVariable":
			p.IsSourcePathVariable = b
		case "IsDestinationPathVariable":
			p.IsDestinationPathVariable = b
		default:
			p.OverwriteDestinationFile = b
		}
	default:
		return fmt.Errorf("%w %q", tasks.ErrUnknownProperty, name)
	}
	return nil
}
