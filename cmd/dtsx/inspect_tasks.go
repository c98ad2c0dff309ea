package main

import (
	"strconv"
	"strings"

	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/tasks"
	"github.com/dtsx-run/dtsx/tasks/executepackage"
	"github.com/dtsx-run/dtsx/tasks/filesystem"
	"github.com/dtsx-run/dtsx/tasks/process"
	"github.com/dtsx-run/dtsx/tasks/sendmail"
)

// propJSON is one property of a task as inspect shows it.
type propJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// kindOf is the normalised name of an executable's type ("Send Mail task"
// for Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask, ...): SSIS
// Designer's name of the registry's canonical type (dtsx.TypeName), its
// Task or Container in lower case.
func kindOf(reg *tasks.Registry, x *dtsx.Executable) string {
	t := dtsx.ShortType(x.Type())
	if strings.EqualFold(t, "Microsoft.Package") || strings.EqualFold(t, "SSIS.Package.2") || strings.EqualFold(t, "SSIS.Package.3") || x.RefID == "Package" && x.EventName == "" {
		return "Package"
	}
	if x.EventName != "" {
		return "event handler"
	}
	if c, err := reg.Canonical(t); err == nil {
		t = c
	}
	n := dtsx.TypeName(t)
	if w, ok := strings.CutSuffix(n, " Task"); ok {
		return w + " task"
	}
	if w, ok := strings.CutSuffix(n, " Container"); ok {
		return w + " container"
	}
	return n
}

// taskProperties are the main properties of a Send Mail, File System,
// Execute Process, Expression or Execute Package task, in the editor's
// order, with connection references resolved to their managers' names;
// nil for another type.
func taskProperties(kind string, x *dtsx.Executable, cms []*dtsx.ConnectionManager) []propJSON {
	var out []propJSON
	add := func(name, value string) {
		if value != "" {
			out = append(out, propJSON{name, value})
		}
	}
	switch kind {
	case "Send Mail task":
		p, _ := sendmail.ReadProperties(x)
		add("SmtpConnection", connectionName(p.SmtpConnection, cms))
		if cm := findConnection(p.SmtpConnection, cms); cm != nil {
			if cfg, err := smtp.ParseConfig(cm.ConnectionString); err == nil {
				add("SmtpServer", cfg.Address())
			}
		}
		add("From", p.FromLine)
		add("To", p.ToLine)
		add("Cc", p.CCLine)
		add("Bcc", p.BCCLine)
		add("Subject", p.Subject)
		add("Priority", p.Priority.String())
		add("MessageSourceType", p.MessageSourceType.String())
		source := p.MessageSource
		if p.MessageSourceType == sendmail.FileConnection {
			source = connectionName(source, cms)
		}
		add("MessageSource", source)
		add("FileAttachments", strings.Join(p.FileAttachments, " | "))
	case "File System task":
		p, _ := filesystem.ReadProperties(x)
		add("Operation", p.Operation.String())
		add("Source", pathOrVariable(p.Source, p.IsSourcePathVariable, cms))
		add("Destination", pathOrVariable(p.Destination, p.IsDestinationPathVariable, cms))
		add("OverwriteDestination", strconv.FormatBool(p.OverwriteDestinationFile))
		if p.Operation == filesystem.SetAttributes {
			add("Attributes", p.Attributes.String())
		}
	case "Execute Process task":
		p, _ := process.ReadProperties(x)
		add("Executable", p.Executable)
		add("Arguments", process.JoinCommandLine(process.MaskArguments(process.SplitCommandLine(p.Arguments))))
		add("WorkingDirectory", p.WorkingDirectory)
		add("StandardInputVariable", p.StandardInputVariable)
		add("StandardOutputVariable", p.StandardOutputVariable)
		add("StandardErrorVariable", p.StandardErrorVariable)
		add("SuccessValue", strconv.Itoa(p.SuccessValue))
		add("FailTaskIfReturnCodeIsNotSuccessValue", strconv.FormatBool(p.FailTaskIfReturnCodeIsNotSuccessValue))
		if p.TimeOut > 0 {
			add("TimeOut", strconv.Itoa(p.TimeOut))
		}
	case "Expression task":
		e, _ := x.ObjectDataAttr("Expression")
		add("Expression", e)
	case "Execute Package task":
		s, err := executepackage.Read(x)
		if err != nil {
			return nil
		}
		if s.ProjectReference {
			add("PackageName", s.PackageName)
		} else {
			add("Connection", connectionName(s.Connection, cms))
		}
		for _, b := range s.Bindings {
			add("Parameter "+b.Parameter, b.From)
		}
	}
	return out
}

// pathOrVariable names a File System task's source or destination: the
// variable, or the file connection manager.
func pathOrVariable(ref string, variable bool, cms []*dtsx.ConnectionManager) string {
	if variable || ref == "" {
		return ref
	}
	return connectionName(ref, cms)
}

// findConnection is the connection manager a reference names, by DTSID
// then by name, or nil.
func findConnection(ref string, cms []*dtsx.ConnectionManager) *dtsx.ConnectionManager {
	if ref == "" {
		return nil
	}
	for _, cm := range cms {
		if strings.EqualFold(strings.Trim(cm.DTSID, "{}"), strings.Trim(ref, "{}")) {
			return cm
		}
	}
	for _, cm := range cms {
		if strings.EqualFold(cm.Name, ref) {
			return cm
		}
	}
	return nil
}

// connectionName is the name of the connection manager ref names, with
// its type ("SMTP Connection Manager (SMTP)"), or ref and "not found".
func connectionName(ref string, cms []*dtsx.ConnectionManager) string {
	if ref == "" {
		return ""
	}
	cm := findConnection(ref, cms)
	if cm == nil {
		return ref + " (no such connection manager)"
	}
	return cm.Name + " (" + cm.CreationName + ")"
}
