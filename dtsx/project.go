package dtsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx/protect"
)

// Project is an SSIS project in the project deployment model: its
// connection managers and parameters, read from a folder, a .dtproj or an
// .ispac.
type Project struct {
	// File is the folder, .dtproj or .ispac the project was read from.
	File            string
	Name            string
	ProtectionLevel ProtectionLevel
	Connections     []*ConnectionManager
	Parameters      []*Parameter
	// PackageNames lists the packages the project names (manifest order),
	// or the .dtsx files of a folder.
	PackageNames []string
	// Packages holds the packages of an .ispac, loaded; it is empty for a
	// folder or .dtproj, whose packages are files of their own.
	Packages    []*Package
	Diagnostics Diagnostics
}

// LoadProject reads a project from a folder (its .conmgr files and
// Project.params), a .dtproj (the files its manifest names, beside it) or an
// .ispac (everything inside). It is Options{}.LoadProject.
func LoadProject(path string) (*Project, error) { return Options{}.LoadProject(path) }

// LoadProject reads a project from a folder (its .conmgr files and
// Project.params), a .dtproj (the files its manifest names, beside it) or an
// .ispac (everything inside, packages included). The password decrypts the
// members protected with it; when it is wrong (by the manifest's
// PasswordVerifier or by any member) the load fails with an *Error of code
// CodeWrongPassword that errors.Is(err, ErrWrongPassword) matches.
func (o Options) LoadProject(path string) (*Project, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	switch {
	case st.IsDir():
		return o.loadProjectDir(path)
	case strings.EqualFold(filepath.Ext(path), ".ispac"):
		return o.loadIspac(path)
	case strings.EqualFold(filepath.Ext(path), ".dtproj"):
		return o.loadDtproj(path)
	}
	return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeUnsupportedFileType, File: path,
		Message: "a project is a folder, a .dtproj or an .ispac", Hint: "give the project's folder (dtsx --project; dtexec reads the project files beside the package, or /Proj with its .ispac)"}}
}

// ProjectBeside returns the project formed by the .conmgr and .params files
// in the folder of the package at pkgPath, or nil when there are none. It
// is Options{}.ProjectBeside.
func ProjectBeside(pkgPath string) (*Project, error) { return Options{}.ProjectBeside(pkgPath) }

// ProjectBeside returns the project formed by the .conmgr and .params files
// in the folder of the package at pkgPath, or nil when there are none.
func (o Options) ProjectBeside(pkgPath string) (*Project, error) {
	dir := filepath.Dir(pkgPath)
	cms, _ := filepath.Glob(filepath.Join(dir, "*.conmgr"))
	params, _ := filepath.Glob(filepath.Join(dir, "*.params"))
	if len(cms) == 0 && len(params) == 0 {
		return nil, nil
	}
	return o.loadProjectDir(dir)
}

func (o Options) loadProjectDir(dir string) (*Project, error) {
	pr := &Project{File: dir, Name: filepath.Base(dir), ProtectionLevel: EncryptSensitiveWithUserKey}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fileError(dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			continue
		}
		switch ext := strings.ToLower(filepath.Ext(name)); ext {
		case ".conmgr", ".params":
			path := filepath.Join(dir, name)
			data, err := os.ReadFile(path)
			if err != nil {
				pr.Diagnostics = append(pr.Diagnostics, fileError(path, err).Diagnostic)
				continue
			}
			if err := pr.add(o, path, ext, data); err != nil {
				return nil, err
			}
		case ".dtsx":
			pr.PackageNames = append(pr.PackageNames, name)
		}
	}
	pr.checkNames()
	return pr, nil
}

// add loads one project member (.conmgr or .params) into the project. A
// member that cannot be loaded becomes a diagnostic, except for a wrong
// password, which is returned: the whole project is then unusable.
func (pr *Project) add(o Options, file, ext string, data []byte) error {
	switch ext {
	case ".conmgr":
		cm, diags, err := o.LoadConnectionManager(file, data)
		pr.Diagnostics = append(pr.Diagnostics, diags...)
		if err != nil {
			return pr.memberError(err)
		}
		pr.Connections = append(pr.Connections, cm)
	case ".params":
		ps, diags, err := o.LoadParameters(file, data)
		pr.Diagnostics = append(pr.Diagnostics, diags...)
		if err != nil {
			return pr.memberError(err)
		}
		pr.Parameters = append(pr.Parameters, ps...)
	}
	return nil
}

// memberError returns err when it is a wrong password, and otherwise
// records it as a diagnostic of the project.
func (pr *Project) memberError(err error) error {
	if errors.Is(err, ErrWrongPassword) {
		return err
	}
	pr.Diagnostics = append(pr.Diagnostics, asDiagnostic(err))
	return nil
}

// checkNames reports project connection managers that share a name or DTSID.
func (pr *Project) checkNames() {
	names, ids := map[string]string{}, map[string]string{}
	for _, cm := range pr.Connections {
		if prev, ok := names[strings.ToLower(cm.Name)]; ok {
			pr.Diagnostics = append(pr.Diagnostics, Diagnostic{Severity: SeverityError, Code: CodeDuplicateName, File: cm.File,
				Path: cm.RefID, Message: "connection manager " + quote(cm.Name) + " is also defined in " + prev,
				Hint: "a project holds one connection manager of each name; remove one file"})
		}
		names[strings.ToLower(cm.Name)] = cm.File
		key := strings.ToUpper(strings.Trim(cm.DTSID, "{}"))
		if prev, ok := ids[key]; ok && key != "" {
			pr.Diagnostics = append(pr.Diagnostics, Diagnostic{Severity: SeverityError, Code: CodeDuplicateID, File: cm.File,
				Path: cm.RefID, Message: "DTSID " + cm.DTSID + " is also used by " + prev,
				Hint: "give one of the connection managers a new GUID"})
		}
		ids[key] = cm.File
	}
}

func asDiagnostic(err error) Diagnostic {
	if e, ok := err.(*Error); ok {
		return e.Diagnostic
	}
	return Diagnostic{Severity: SeverityError, Code: CodeProjectFile, Message: err.Error()}
}

// LoadConnectionManager loads a stand-alone connection manager (.conmgr).
// It is Options{}.LoadConnectionManager.
func LoadConnectionManager(file string, data []byte) (*ConnectionManager, Diagnostics, error) {
	return Options{}.LoadConnectionManager(file, data)
}

// LoadConnectionManager loads a stand-alone connection manager (.conmgr),
// decrypting it or its sensitive values with the password.
func (o Options) LoadConnectionManager(file string, data []byte) (*ConnectionManager, Diagnostics, error) {
	f, lerr := readXML(file, data)
	if lerr != nil {
		return nil, nil, lerr
	}
	doc := f.doc
	u, lerr := o.unlock(file, doc)
	if lerr != nil {
		return nil, nil, lerr
	}
	if err := checkRoot(file, doc.Root(), "ConnectionManager", NamespaceDTS); err != nil {
		return nil, nil, err
	}
	var diags Diagnostics
	l := &loader{file: file, lines: f.linesUnless(u.whole), format: 8, diags: &diags, ids: map[string]string{}, unlocked: u}
	cm := l.connectionManager(doc.Root(), "Project")
	l.flushDamaged()
	return cm, diags, nil
}

// LoadParameters loads a project parameters file (Project.params). It is
// Options{}.LoadParameters.
func LoadParameters(file string, data []byte) ([]*Parameter, Diagnostics, error) {
	return Options{}.LoadParameters(file, data)
}

// LoadParameters loads a project parameters file (Project.params),
// decrypting it or its sensitive values with the password.
func (o Options) LoadParameters(file string, data []byte) ([]*Parameter, Diagnostics, error) {
	f, lerr := readXML(file, data)
	if lerr != nil {
		return nil, nil, lerr
	}
	doc := f.doc
	u, lerr := o.unlock(file, doc)
	if lerr != nil {
		return nil, nil, lerr
	}
	if err := checkRoot(file, doc.Root(), "Parameters", NamespaceSSIS); err != nil {
		return nil, nil, err
	}
	var diags Diagnostics
	l := &loader{file: file, lines: f.linesUnless(u.whole), diags: &diags, unlocked: u}
	var out []*Parameter
	for _, e := range doc.Root().ChildElements() {
		if e.Tag != "Parameter" {
			continue
		}
		p := l.projectParameter(e)
		if t, ok := p.Property("DataType"); ok {
			code, okInt := parseInt(t)
			dt, okType := FromTypeCode(code)
			if !okInt || !okType {
				diags = append(diags, Diagnostic{Severity: SeverityError, Code: CodeBadValue, File: file, Path: p.RefID,
					Line: lineOf(l.lines, e), Message: "DataType " + quote(t) + " is not a .NET TypeCode",
					Hint: "use 18 (String), 9 (Int32), 3 (Boolean), ..."})
			}
			p.DataType = dt
		}
		out = append(out, p)
	}
	l.flushDamaged()
	return out, diags, nil
}

// projectParameter reads an SSIS:Parameter, whose properties are
// <SSIS:Property SSIS:Name="X"> children of SSIS:Properties.
func (l *loader) projectParameter(e *etree.Element) *Parameter {
	props := firstChild(e, "Properties")
	if props == nil {
		props = e
	}
	p := &Parameter{Object: Object{Element: props}, Scope: "Project"}
	p.Name = attrValue(e, "Name")
	p.DTSID, _ = p.Property("ID")
	p.Description, _ = p.Property("Description")
	p.RefID = "Project.Parameters[" + p.Name + "]"
	p.Required, _ = p.boolProperty("Required", false)
	p.Sensitive, _ = p.boolProperty("Sensitive", false)
	if v := p.propertyElement("Value"); v != nil {
		locked, why := v, protectedValue(v)
		if enc := firstChild(v, "EncryptedData"); enc != nil {
			locked, why = enc, protectedValue(enc)
		}
		if why == "user key" && !p.Sensitive && attrValue(v, "Encrypted") != "1" {
			why = "" // a plain value that happens to look like a DPAPI blob
		}
		if p.Encrypted = why != ""; p.Encrypted {
			l.lockedDiag(p.RefID, e, "the value of project parameter "+quote(p.Name), locked)
		} else {
			p.Value = v.Text()
			p.Decrypted = l.unlocked.isDecrypted(v)
		}
	}
	return p
}

// loadDtproj reads a .dtproj: its embedded manifest and the files it names.
func (o Options) loadDtproj(path string) (*Project, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	doc, lerr := parseXML(path, data)
	if lerr != nil {
		return nil, lerr
	}
	u, lerr := o.unlock(path, doc)
	if lerr != nil {
		return nil, lerr
	}
	pr := &Project{File: path, Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)),
		ProtectionLevel: EncryptSensitiveWithUserKey}
	dir := filepath.Dir(path)
	manifest := doc.FindElement("//Manifest/Project")
	if manifest == nil {
		// Package deployment model (SQL 2008 and before): packages only.
		for _, n := range doc.FindElements("//DtsPackage/Name") {
			pr.PackageNames = append(pr.PackageNames, n.Text())
		}
		return pr, nil
	}
	pr.readManifest(path, manifest)
	pr.damaged(path, u)
	for _, n := range pr.memberNames(manifest) {
		f := filepath.Join(dir, n)
		b, err := os.ReadFile(f)
		if err != nil {
			pr.Diagnostics = append(pr.Diagnostics, Diagnostic{Severity: SeverityWarning, Code: CodeProjectFile, File: path,
				Message: "the project names " + quote(n) + " but it cannot be read: " + unwrapPathError(err),
				Hint:    "restore the file beside the .dtproj, or remove it from the project"})
			continue
		}
		if err := pr.add(o, f, strings.ToLower(filepath.Ext(n)), b); err != nil {
			return nil, err
		}
	}
	pr.checkNames()
	return pr, nil
}

// readManifest takes the project's name, protection level and package list
// from an SSIS:Project manifest element.
func (pr *Project) readManifest(file string, m *etree.Element) {
	if _, ok := protect.Detect(m); ok {
		pr.Diagnostics = append(pr.Diagnostics, Diagnostic{Severity: SeverityError, Code: CodeEncryptedPackage, File: file,
			Message: "the project manifest is encrypted with the project password (EncryptAllWithPassword)", Hint: hintPassword})
		return
	}
	if pl, ok := attr(m, "ProtectionLevel"); ok {
		if lvl, ok := ParseProtectionLevel(pl); ok {
			pr.ProtectionLevel = lvl
		} else {
			pr.Diagnostics = append(pr.Diagnostics, Diagnostic{Severity: SeverityError, Code: CodeBadValue, File: file,
				Message: "unknown project ProtectionLevel " + quote(pl), Hint: "use one of " + strings.Join(protectionNames[:], ", ")})
		}
	}
	if props := firstChild(m, "Properties"); props != nil {
		o := Object{Element: props}
		if n, ok := o.Property("Name"); ok && n != "" {
			pr.Name = n
		}
	}
	if pk := firstChild(m, "Packages"); pk != nil {
		for _, e := range pk.ChildElements() {
			pr.PackageNames = append(pr.PackageNames, attrValue(e, "Name"))
		}
	}
}

// damaged reports the encrypted values of a manifest that could not be
// decrypted.
func (pr *Project) damaged(file string, u *unlocked) {
	var diags Diagnostics
	l := &loader{file: file, diags: &diags, unlocked: u}
	l.flushDamaged()
	pr.Diagnostics = append(pr.Diagnostics, diags...)
}

// memberNames lists the .conmgr files a manifest names, and Project.params.
func (pr *Project) memberNames(m *etree.Element) []string {
	var out []string
	if cms := firstChild(m, "ConnectionManagers"); cms != nil {
		for _, e := range cms.ChildElements() {
			out = append(out, attrValue(e, "Name"))
		}
	}
	return append(out, "Project.params")
}

// loadIspac reads a deployment file: a zip of the packages, the project's
// connection managers, Project.params and @Project.manifest.
func (o Options) loadIspac(path string) (*Project, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeProjectFile, File: path,
			Message: "not a readable .ispac (zip) file: " + err.Error(), Hint: "rebuild the project in SSDT"}, Err: err}
	}
	defer zr.Close()
	pr := &Project{File: path, Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)),
		ProtectionLevel: EncryptSensitiveWithUserKey}
	files := append([]*zip.File(nil), zr.File...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for _, f := range files {
		name, err := url.PathUnescape(f.Name)
		if err != nil {
			name = f.Name
		}
		member := path + "!/" + name
		data, err := readZipFile(f)
		if err != nil {
			pr.Diagnostics = append(pr.Diagnostics, Diagnostic{Severity: SeverityError, Code: CodeProjectFile, File: member,
				Message: "cannot read from the .ispac: " + err.Error(), Hint: "rebuild the project in SSDT"})
			continue
		}
		switch ext := strings.ToLower(filepath.Ext(name)); {
		case name == "@Project.manifest":
			doc, lerr := parseXML(member, data)
			if lerr != nil {
				pr.Diagnostics = append(pr.Diagnostics, lerr.Diagnostic)
				continue
			}
			u, lerr := o.unlock(member, doc)
			if lerr != nil {
				if err := pr.memberError(lerr); err != nil {
					return nil, err
				}
				continue
			}
			pr.readManifest(member, doc.Root())
			pr.damaged(member, u)
		case ext == ".conmgr" || ext == ".params":
			if err := pr.add(o, member, ext, data); err != nil {
				return nil, err
			}
		case ext == ".dtsx":
			p, err := o.LoadPackage(member, data)
			if err != nil {
				if err := pr.memberError(err); err != nil {
					return nil, err
				}
				continue
			}
			pr.Packages = append(pr.Packages, p)
		}
	}
	if len(pr.PackageNames) == 0 {
		for _, p := range pr.Packages {
			pr.PackageNames = append(pr.PackageNames, filepath.Base(p.File))
		}
	}
	pr.checkNames()
	return pr, nil
}

// maxMember bounds what one .ispac member may expand to.
const maxMember = 512 << 20

func readZipFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var b bytes.Buffer
	n, err := io.Copy(&b, io.LimitReader(rc, maxMember+1))
	if err != nil {
		return nil, err
	}
	if n > maxMember {
		return nil, fmt.Errorf("member larger than %d MiB", maxMember>>20)
	}
	return b.Bytes(), nil
}

// ConfigFile is a .dtsConfig file: property values to set on a package.
type ConfigFile struct {
	File    string
	Entries []ConfigEntry
}

// ConfigEntry is one <Configuration> of a .dtsConfig.
type ConfigEntry struct {
	// Path is the property path, such as
	// \Package.Connections[Mail Server].Properties[SmtpServer].
	Path      string
	Type      string // ConfiguredType, "Property" in every real file
	ValueType string // String, Boolean, Int32, ...
	Value     string
}

// LoadConfigFile loads a .dtsConfig file.
func LoadConfigFile(file string, data []byte) (*ConfigFile, error) {
	doc, lerr := parseXML(file, data)
	if lerr != nil {
		return nil, lerr
	}
	root := doc.Root()
	if root.Tag != "DTSConfiguration" {
		return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeWrongRoot, File: file, Line: rootLine(root),
			Message: "the root element is <" + root.FullTag() + ">, not <DTSConfiguration>",
			Hint:    "a .dtsConfig file is written by the SSIS package configuration wizard"}}
	}
	cf := &ConfigFile{File: file}
	for _, e := range root.ChildElements() {
		if e.Tag != "Configuration" {
			continue
		}
		ent := ConfigEntry{Path: attrValue(e, "Path"), Type: attrValue(e, "ConfiguredType"), ValueType: attrValue(e, "ValueType")}
		if v := firstChild(e, "ConfiguredValue"); v != nil {
			ent.Value = v.Text()
		}
		cf.Entries = append(cf.Entries, ent)
	}
	return cf, nil
}
