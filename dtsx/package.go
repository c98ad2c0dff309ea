package dtsx

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/beevik/etree"
)

// Package is a loaded .dtsx package: the root executable plus what only a
// package has.
type Package struct {
	*Executable
	// File is the path or name the package was loaded from.
	File string
	// Doc is the XML tree the model is a view of.
	Doc *etree.Document `json:"-"`
	// Format is PackageFormatVersion: 2, 3, 6 or 8.
	Format          int
	ProtectionLevel ProtectionLevel
	// Connections are the package's own connection managers; project
	// managers are merged by the connections package.
	Connections    []*ConnectionManager
	Parameters     []*Parameter
	Configurations []*Configuration
	// EnableConfig is the package's EnableConfig property.
	EnableConfig bool
	// MaxConcurrentExecutables is the package property (-1: cores + 2).
	MaxConcurrentExecutables int
	// Diagnostics are the problems found while loading.
	Diagnostics Diagnostics
	// Encoding is the encoding the file was saved in when it was not UTF-8:
	// "UTF-16LE" or "UTF-16BE" (told by a byte order mark), or the name its
	// XML declaration gives ("windows-1252"). The tree holds UTF-8 whatever
	// it was, and WriteTo writes UTF-8, its declaration saying so.
	Encoding string

	// lines is what Line reads.
	lines *packageLines
}

// WriteTo writes the package's XML tree, with every change made through the
// model and everything the model does not know, to w. It writes UTF-8
// whatever encoding the file was read in (see Encoding): SSIS reads UTF-8,
// and a tree changed through the model may hold characters the original
// single-byte encoding has no byte for.
func (p *Package) WriteTo(w io.Writer) (int64, error) { return p.Doc.WriteTo(w) }

// LoadPackageFile reads and loads the package at path. It is
// Options{}.LoadPackageFile: a package protected with a password loads
// without its sensitive values, or not at all when it is encrypted whole.
func LoadPackageFile(path string) (*Package, error) { return Options{}.LoadPackageFile(path) }

// LoadPackageFile reads and loads the package at path.
func (o Options) LoadPackageFile(path string) (*Package, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	return o.LoadPackage(path, data)
}

// fileError turns an os error into a load *Error.
func fileError(path string, err error) *Error {
	d := Diagnostic{Severity: SeverityError, Code: CodeNotFound, File: path,
		Message: "cannot read the file: " + unwrapPathError(err), Hint: "check the path"}
	if !errors.Is(err, fs.ErrNotExist) {
		d.Code = CodeProjectFile
		d.Hint = "check that the file is readable"
	}
	return &Error{Diagnostic: d, Err: err}
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// packageTypes maps the package ExecutableType of each generation to its
// PackageFormatVersion, used when the version property is missing.
var packageTypes = map[string]int{
	"MSDTS.Package.1": 2, "SSIS.Package.2": 3, "SSIS.Package.3": 6, "Microsoft.Package": 8,
}

// LoadPackage loads a package from its bytes; file names it in diagnostics.
// The error is an *Error when the bytes are not an SSIS package at all;
// otherwise problems are in the returned package's Diagnostics. It is
// Options{}.LoadPackage.
func LoadPackage(file string, data []byte) (*Package, error) {
	return Options{}.LoadPackage(file, data)
}

// LoadPackage loads a package from its bytes; file names it in diagnostics.
// The password, if any, decrypts the package (EncryptAllWithPassword) or its
// sensitive values (EncryptSensitiveWithPassword); a wrong one gives an
// *Error with code CodeWrongPassword that errors.Is(err, ErrWrongPassword)
// matches.
func (o Options) LoadPackage(file string, data []byte) (*Package, error) {
	f, lerr := readXML(file, data)
	if lerr != nil {
		return nil, lerr
	}
	doc := f.doc
	u, lerr := o.unlock(file, doc)
	if lerr != nil {
		return nil, lerr
	}
	root := doc.Root()
	if err := checkRoot(file, root, "Executable", NamespaceDTS); err != nil {
		return nil, err
	}
	p := &Package{File: file, Doc: doc, Encoding: f.encoding, lines: &packageLines{at: f.linesUnless(u.whole)}}
	l := &loader{file: file, lines: p.lines.at, pkg: p, ids: map[string]string{}, unlocked: u}

	pobj := Object{Element: root}
	verText, hasVer := pobj.Property("PackageFormatVersion")
	exeType, _ := pobj.Property("ExecutableType")
	if v, ok := parseInt(verText); ok && hasVer {
		p.Format = v
	} else if v, ok := packageTypes[exeType]; ok {
		p.Format = v
		if hasVer {
			at := pobj.propertyElement("PackageFormatVersion")
			if at == nil {
				at = root // an attribute
			}
			l.diag(SeverityWarning, CodeBadValue, "Package", at,
				"PackageFormatVersion is "+quote(verText)+", not a number; format "+fmt.Sprint(v)+" inferred from ExecutableType "+exeType,
				"re-save the package in SSDT")
		} else {
			l.diag(SeverityWarning, CodeMissingProperty, "Package", nil,
				"PackageFormatVersion is missing; format "+fmt.Sprint(v)+" inferred from ExecutableType "+exeType,
				"re-save the package in SSDT")
		}
	} else {
		return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeUnknownFormat, File: file, Path: "Package",
			Message: fmt.Sprintf("unknown package format (PackageFormatVersion %q, ExecutableType %q)", verText, exeType),
			Hint:    "dtsx reads formats 2, 3, 6 and 8 (SQL Server 2005 to 2022)"}}
	}
	switch p.Format {
	case 2, 3, 6, 8:
	default:
		l.diag(SeverityWarning, CodeUnknownFormat, "Package", nil,
			fmt.Sprintf("PackageFormatVersion %d is not one dtsx knows (2, 3, 6, 8); reading it as the nearest", p.Format),
			"re-save the package for SQL Server 2012 or later")
	}
	l.format = p.Format

	p.Executable = l.executable(root, nil, "Package")
	obj := &p.Object
	pl, bad := obj.intProperty("ProtectionLevel", int(EncryptSensitiveWithUserKey))
	if bad == "" && (pl < 0 || pl > int(ServerStorage)) {
		bad, pl = fmt.Sprint(pl), int(EncryptSensitiveWithUserKey)
	}
	if bad != "" {
		l.badValue(p.Executable, "ProtectionLevel", bad, "a number from 0 to 5")
	}
	p.ProtectionLevel = ProtectionLevel(pl)
	if p.ProtectionLevel == EncryptAllWithUserKey {
		l.diag(SeverityError, CodeEncryptedPackage, "Package", nil,
			"the package is encrypted with the Windows user key of whoever saved it (EncryptAllWithUserKey) and cannot be decrypted here",
			hintUserKey)
	}
	p.EnableConfig, bad = obj.boolProperty("EnableConfig", false)
	if bad != "" {
		l.badValue(p.Executable, "EnableConfig", bad, "True or False")
	}
	p.MaxConcurrentExecutables, bad = obj.intProperty("MaxConcurrentExecutables", -1)
	if bad == "" && (p.MaxConcurrentExecutables == 0 || p.MaxConcurrentExecutables < -1) {
		bad, p.MaxConcurrentExecutables = fmt.Sprint(p.MaxConcurrentExecutables), -1
	}
	if bad != "" {
		l.badValue(p.Executable, "MaxConcurrentExecutables", bad, "-1 or a positive number")
	}
	l.packageParts(root)
	l.flushDamaged()
	return p, nil
}

// checkRoot reports a root element that is not the expected one.
func checkRoot(file string, root *etree.Element, tag, ns string) *Error {
	if root.Tag == "EncryptedData" { // not in the XML Encryption namespace, so not one protect reads
		return &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeEncryptedPackage, File: file, Line: rootLine(root),
			Message: "the whole file is encrypted, in a form dtsx does not know (<EncryptedData> in namespace " + quote(root.NamespaceURI()) + ")",
			Hint:    "re-save the package in SSDT with ProtectionLevel EncryptAllWithPassword or EncryptSensitiveWithPassword and " + hintPassword}}
	}
	if root.Tag != tag {
		hint := "this is not an SSIS " + map[string]string{"Executable": "package (.dtsx)",
			"ConnectionManager": "connection manager (.conmgr)", "Parameters": "parameters file (.params)"}[tag]
		switch root.Tag {
		case "ConnectionManager":
			hint = "this is a connection manager file (.conmgr); give its folder as the project (dtsx --project; dtexec reads the project files beside the package, or /Proj with its .ispac)"
		case "Parameters":
			hint = "this is a parameters file (Project.params); give its folder as the project (dtsx --project; dtexec reads the project files beside the package, or /Proj with its .ispac)"
		case "Project":
			hint = "this is a project manifest; give it as the project (dtsx --project; dtexec reads the project files beside the package, or /Proj with its .ispac)"
		case "DTSConfiguration":
			hint = "this is a configuration file (.dtsConfig); the package names it or dtexec takes it with /ConfigFile"
		}
		return &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeWrongRoot, File: file, Line: rootLine(root),
			Message: fmt.Sprintf("the root element is <%s>, not <%s>", root.FullTag(), nsPrefix(ns)+":"+tag),
			Hint:    hint}}
	}
	if got := root.NamespaceURI(); got != ns {
		return &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeWrongNamespace, File: file, Line: rootLine(root),
			Message: fmt.Sprintf("the root element <%s> is in namespace %q, not %q", root.FullTag(), got, ns),
			Hint:    `SSIS files declare xmlns:DTS="www.microsoft.com/SqlServer/Dts" (no http://)`}}
	}
	return nil
}

func nsPrefix(ns string) string {
	if ns == NamespaceSSIS {
		return "SSIS"
	}
	return "DTS"
}

// rootLine returns the line of the root element's start tag: etree keeps no
// positions, so it counts the lines of what comes before the root (the XML
// declaration, comments, white space).
func rootLine(root *etree.Element) int {
	doc := root.Parent()
	if doc == nil {
		return 1
	}
	line := 1
	for _, t := range doc.Child {
		if t == root {
			break
		}
		var b strings.Builder
		switch v := t.(type) {
		case *etree.ProcInst:
			v.WriteTo(&b, &etree.WriteSettings{})
		case *etree.Comment:
			v.WriteTo(&b, &etree.WriteSettings{})
		case *etree.CharData:
			v.WriteTo(&b, &etree.WriteSettings{})
		case *etree.Directive:
			v.WriteTo(&b, &etree.WriteSettings{})
		}
		line += strings.Count(b.String(), "\n")
	}
	return line
}
