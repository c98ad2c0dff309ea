package assess

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/connections/smtp"
	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/internal/runner"
	"github.com/dtsx-run/dtsx/runtime"
)

// analysis reads what a prepared package needs of this machine: the
// connection managers its enabled executables use, the servers and
// credentials they need, the Windows paths they name and the parameters
// they lack.
type analysis struct {
	prep    *runner.Prepared
	capture bool
	// text holds every attribute value and text of the enabled
	// executables (not the connection managers' definitions), lower-cased,
	// each between NUL bytes: a manager is used when its DTSID or its name
	// is there.
	text string
	// paths are the Windows paths those values are, in document order.
	paths []string
}

// skipped are the elements the scan of an executable does not enter: the
// executables and event handlers below it (scanned on their own, when
// enabled), the connection managers' definitions, configurations and log
// providers.
var skipped = map[string]bool{"Executable": true, "EventHandler": true, "ConnectionManager": true,
	"ConnectionManagers": true, "Configuration": true, "Configurations": true, "LogProvider": true, "LogProviders": true}

func newAnalysis(prep *runner.Prepared, capture bool) *analysis {
	a := &analysis{prep: prep, capture: capture}
	var b strings.Builder
	seen := map[string]bool{}
	add := func(v string) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		b.WriteByte(0)
		b.WriteString(strings.ToLower(v))
		if looksLikePath(v) && !seen[v] {
			seen[v] = true
			a.paths = append(a.paths, v)
		}
	}
	var scan func(e *etree.Element, top bool)
	scan = func(e *etree.Element, top bool) {
		if !top && skipped[e.Tag] {
			return
		}
		for _, at := range e.Attr {
			add(at.Value)
		}
		for _, c := range e.Child {
			switch c := c.(type) {
			case *etree.Element:
				scan(c, false)
			case *etree.CharData:
				add(c.Data)
			}
		}
	}
	prep.Package.Executable.Walk(func(x *dtsx.Executable) bool {
		if x.Disabled {
			return false
		}
		if x.Element != nil {
			scan(x.Element, true)
		}
		return true
	})
	b.WriteByte(0)
	a.text = b.String()
	return a
}

// looksLikePath reports a value that is a Windows path, not a script's
// text that starts with a comment (//) or a statement: one line, no longer
// than Windows' MAX_PATH, a drive letter or a \\server\share.
func looksLikePath(v string) bool {
	return len(v) <= 260 && !strings.ContainsAny(v, "\r\n") && !strings.HasPrefix(v, "//") && runtime.IsWindowsPath(v)
}

// uses reports whether the enabled executables refer to the manager: by
// its DTSID, by Package.ConnectionManagers[Name], or by its name alone
// (format 2 and 3, and the Execute SQL task's Connection).
func (a *analysis) uses(def *dtsx.ConnectionManager) bool {
	if id := strings.ToLower(def.DTSID); id != "" && strings.Contains(a.text, id) {
		return true
	}
	name := strings.ToLower(def.Name)
	return name != "" && (strings.Contains(a.text, "\x00"+name+"\x00") || strings.Contains(a.text, "["+name+"]"))
}

// fileTypes are the connection manager types that name a file or folder.
var fileTypes = map[string]bool{"FILE": true, "FLATFILE": true, "MULTIFILE": true, "MULTIFLATFILE": true, "CACHE": true}

// connections lists the managers the package uses, by name.
func (a *analysis) connections() []Connection {
	out := []Connection{}
	for _, m := range a.prep.Build.Connections.All() {
		def := m.Definition()
		if !a.uses(def) {
			continue
		}
		c := Connection{Name: def.Name, Type: def.CreationName, Kind: "other", Project: def.Project}
		switch m := m.(type) {
		case *database.Manager:
			cfg := m.Config()
			c.Kind, c.Server = "database", cfg.Server()
			if cfg.Provider.Family != database.FamilySQLite {
				c.Host = cfg.Host
			}
		case *smtp.Manager:
			c.Kind, c.Server, c.Host = "smtp", m.Config.Server, m.Config.Server
		default:
			if fileTypes[strings.ToUpper(def.CreationName)] || runtime.IsWindowsPath(def.ConnectionString) {
				c.Kind = "file"
			}
			c.Server = strings.TrimSpace(def.ConnectionString)
			if strings.ContainsAny(c.Server, "=@") {
				c.Server = "" // a connection string or a URL, not a file: it may hold a secret
			}
		}
		c.Refused = c.Host != "" && !a.allowed(c.Host)
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// needs returns what the package needs before it runs: for the managers
// it uses, their servers and credentials; the Windows paths it names that
// do not map to anything here; its required parameters without a value.
func (a *analysis) needs() []Need {
	var out []Need
	for _, m := range a.prep.Build.Connections.All() {
		def := m.Definition()
		if !a.uses(def) {
			continue
		}
		switch m := m.(type) {
		case *database.Manager:
			out = append(out, a.databaseNeeds(def, m.Config())...)
		case *smtp.Manager:
			out = append(out, a.smtpNeeds(def, m.Config)...)
		default:
			if cs := strings.TrimSpace(def.ConnectionString); runtime.IsWindowsPath(cs) {
				out = append(out, a.pathNeeds(cs, def.RefID, creates(def))...)
			}
		}
	}
	for _, p := range a.paths {
		out = append(out, a.pathNeeds(p, a.prep.Package.RefID, false)...)
	}
	return append(out, a.parameterNeeds()...)
}

// databaseNeeds: a server a run must reach (assess dials nothing, so it
// cannot tell one is there), allowed by the fence; a Windows login's
// credential; a password that is not in the connection string.
func (a *analysis) databaseNeeds(def *dtsx.ConnectionManager, cfg *database.Config) []Need {
	if cfg.Provider.Family == database.FamilySQLite {
		if runtime.IsWindowsPath(cfg.Path) {
			return a.pathNeeds(cfg.Path, def.RefID, !cfg.FailIfMissing)
		}
		return nil
	}
	var out []Need
	host := cfg.Host
	if host != "" {
		detail := fmt.Sprintf("connection manager %q reaches the database server %s: it must be reachable from here", def.Name, cfg.Server()) +
			a.refusal(host)
		out = append(out, Need{Kind: NeedServer, Subject: cfg.Server(), Path: def.RefID,
			Detail: detail + fmt.Sprintf("; or point the manager elsewhere with --conn '%s;...'", def.Name)})
	}
	switch {
	case cfg.Integrated:
		out = append(out, Need{Kind: NeedCredentials, Subject: def.Name, Path: def.RefID,
			Detail: "Windows authentication (Integrated Security): a Kerberos keytab or ticket cache (KRB5_CLIENT_KTNAME, KRB5CCNAME), or a user and password for " +
				fmt.Sprintf("%q in --credentials", def.Name)})
	case cfg.User != "" && !cfg.HasPassword():
		out = append(out, Need{Kind: NeedCredentials, Subject: def.Name, Path: def.RefID,
			Detail: fmt.Sprintf("the password of user %s: in --credentials (keyed %q) or in the connection string with --conn", cfg.User, def.Name)})
	}
	return out
}

// smtpNeeds: in capture mode nothing; else the server, allowed by the
// fence, and for Windows authentication a credential.
func (a *analysis) smtpNeeds(def *dtsx.ConnectionManager, cfg *smtp.Config) []Need {
	if a.capture || cfg == nil {
		return nil
	}
	var out []Need
	if cfg.Server != "" {
		detail := fmt.Sprintf("connection manager %q sends mail through %s: it must be reachable from here", def.Name, cfg.Server) +
			a.refusal(cfg.Server)
		out = append(out, Need{Kind: NeedServer, Subject: cfg.Server, Path: def.RefID, Detail: detail + "; or run with --capture"})
	}
	if cfg.UseWindowsAuthentication {
		out = append(out, Need{Kind: NeedCredentials, Subject: def.Name, Path: def.RefID,
			Detail: fmt.Sprintf("UseWindowsAuthentication: a user and password for %q in --credentials (NTLM), or a Kerberos keytab; none is needed with --capture", def.Name)})
	}
	return out
}

// allowed reports whether the job's egress fence lets a run reach host
// (no fence: anything).
func (a *analysis) allowed(host string) bool {
	return a.prep.Fence == nil || a.prep.Fence.Allows(host)
}

// refusal says, when the fence refuses host, which list does and how to
// allow it; "" when it is allowed.
func (a *analysis) refusal(host string) string {
	if a.allowed(host) {
		return ""
	}
	return fmt.Sprintf(", and allowed (%s: add %s there, or give --allowed-hosts)", a.prep.Fence.Refusal(host), host)
}

// pathNeeds: a Windows path whose local mapping is not here must be
// mapped; a path the run may create (create) needs only its folder.
func (a *analysis) pathNeeds(p, ref string, create bool) []Need {
	local := a.prep.Job.Paths.Local(p, filepath.Dir(a.prep.Package.File))
	if exists(local) || (create && exists(filepath.Dir(local))) {
		return nil
	}
	return []Need{{Kind: NeedPath, Subject: p, Path: ref,
		Detail: fmt.Sprintf("maps to %s, which is not here: map it with --path-map '%s=DIR' (or DTSX_PATH_MAP; UNC paths: --unc-root)", local, pathPrefix(p))}}
}

// creates reports a file connection manager whose file or folder a run may
// create: a FILE manager of FileUsageType 1 (create file) or 3 (create
// folder), and a flat file, which a destination writes.
func creates(def *dtsx.ConnectionManager) bool {
	switch strings.ToUpper(def.CreationName) {
	case "FLATFILE", "MULTIFLATFILE":
		return true
	case "FILE":
		if def.ObjectData != nil {
			u, _ := (&dtsx.Object{Element: def.ObjectData}).Property("FileUsageType")
			return u == "1" || u == "3"
		}
	}
	return false
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// pathPrefix is the drive and first folder of a Windows path (C:\Data), or
// the server and share of a UNC path (\\server\share): what --path-map
// usually maps.
func pathPrefix(p string) string {
	sep := func(r rune) bool { return r == '\\' || r == '/' }
	if strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//") {
		parts := strings.FieldsFunc(p, sep)
		if len(parts) >= 2 {
			return `\\` + parts[0] + `\` + parts[1]
		}
		return p
	}
	parts := strings.FieldsFunc(p, sep)
	if len(parts) >= 2 {
		return parts[0] + `\` + parts[1]
	}
	return p
}

// parameterNeeds: a required parameter with no value that the job's
// --param does not give.
func (a *analysis) parameterNeeds() []Need {
	var params []*dtsx.Parameter
	if a.prep.Project != nil {
		params = append(params, a.prep.Project.Parameters...)
	}
	params = append(params, a.prep.Package.Parameters...)
	var out []Need
	for _, p := range params {
		_, given := a.prep.Params[p.QualifiedName()]
		if _, ok := a.prep.Params[p.Name]; ok || given {
			continue
		}
		if p.Encrypted && !p.Decrypted {
			out = append(out, Need{Kind: NeedSecret, Subject: p.QualifiedName(), Path: p.RefID,
				Detail: fmt.Sprintf("its value is encrypted in the file and cannot be decrypted here: give it with --param '%s=VALUE' (or the package password)", p.QualifiedName())})
			continue
		}
		if !p.Required || strings.TrimSpace(p.Value) != "" {
			continue
		}
		out = append(out, Need{Kind: NeedParameter, Subject: p.QualifiedName(), Path: p.RefID,
			Detail: fmt.Sprintf("required and without a value: give it with --param '%s=VALUE'", p.QualifiedName())})
	}
	return out
}

// secretNeeds: each sensitive value that could not be decrypted here
// (EncryptSensitiveWithUserKey: Windows DPAPI) must be supplied again.
// Those of connection managers the package does not use are left out.
func (a *analysis) secretNeeds(diags dtsx.Diagnostics) []Need {
	unused := map[string]bool{}
	for _, m := range a.prep.Build.Connections.All() {
		if def := m.Definition(); !a.uses(def) {
			unused[def.RefID] = true
		}
	}
	var out []Need
	for _, d := range diags {
		if d.Code == dtsx.CodeSensitiveNotLoaded && !unused[d.Path] && !strings.Contains(d.Path, ".Parameters[") { // parameterNeeds has those
			out = append(out, Need{Kind: NeedSecret, Subject: d.Path, Path: d.Path, Detail: d.Message + "; " + d.Hint})
		}
	}
	return out
}
