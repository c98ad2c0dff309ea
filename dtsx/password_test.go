package dtsx_test

// Tests of password-protected files (EncryptSensitiveWithPassword,
// EncryptAllWithPassword) and of the user-key levels. The corpus files are
// decrypted twice: by the loader (Options.Password), and "by hand" here,
// with a separate implementation of the verified TripleDES scheme that
// splices the plaintexts into the file's text; the two must load to the
// same model.

import (
	"archive/zip"
	"bytes"
	"crypto/cipher"
	"crypto/des"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx"
	"github.com/dtsx-run/dtsx/dtsx/protect"
)

// rtu prefixes the corpus files of rtumaykin/ssis-build's sample project,
// whose password is "ssis123" (stated in the project's Description).
const rtu = "rtumaykin__ssis-build/example__SampleSSISProject__SampleSSISProject__"

// bananaFile is the corpus package saved with EncryptAllWithPassword and
// the password "banana".
const bananaFile = "shirashiki__ssis/template__template__security_test_pass_is_banana.dtsx"

// ---- decryption by hand -------------------------------------------------

// handKey is CryptDeriveKey(SHA-1) for a 3DES key, written out again.
func handKey(password string) []byte {
	h := sha1.Sum([]byte(password))
	pad := func(c byte) []byte {
		b := bytes.Repeat([]byte{c}, 64)
		for i := range h {
			b[i] ^= h[i]
		}
		s := sha1.Sum(b)
		return s[:]
	}
	return append(pad(0x36), pad(0x5C)...)[:24]
}

var (
	handEncData = regexp.MustCompile(`(?s)<EncryptedData\b.*?</EncryptedData>`)
	handCipher  = regexp.MustCompile(`(?s)<CipherValue>(.*?)</CipherValue>`)
	// An element of a project file with a prefixed IV attribute and base64 text.
	handProject = regexp.MustCompile(`(?s)<[\w:]+\s[^<>]*?\b\w+:IV="([^"]+)"[^<>]*>([A-Za-z0-9+/=\s]+)</[\w:]+>`)
)

// handDecrypt returns data with every TripleDES-encrypted element replaced,
// in the text, by its plaintext.
func handDecrypt(t *testing.T, data []byte, password string) []byte {
	t.Helper()
	key := handKey(password)
	open := func(iv, ct []byte) []byte {
		b, err := des.NewTripleDESCipher(key)
		if err != nil || len(ct) == 0 || len(ct)%8 != 0 {
			t.Fatalf("hand decryption: %v, %d bytes", err, len(ct))
		}
		out := make([]byte, len(ct))
		cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, ct)
		n := int(out[len(out)-1])
		if n < 1 || n > 8 {
			t.Fatalf("hand decryption: bad padding %d", n)
		}
		return bytes.TrimPrefix(out[:len(out)-n], []byte("\xEF\xBB\xBF"))
	}
	b64 := func(s string) []byte {
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			t.Fatalf("hand decryption: %v", err)
		}
		return b
	}
	data = handEncData.ReplaceAllFunc(data, func(m []byte) []byte {
		cv := b64(string(handCipher.FindSubmatch(m)[1]))
		return open(cv[:8], cv[8:])
	})
	return handProject.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := handProject.FindSubmatch(m)
		return open(b64(string(sub[1])), b64(string(sub[2])))
	})
}

// ---- comparable models --------------------------------------------------

type secretM struct {
	Name             string
	Encrypted, Empty bool
}

type connM struct {
	RefID, Name, CreationName, DTSID, ConnectionString string
	Project, DelayValidation                           bool
	Expressions                                        []dtsx.PropertyExpression
	Secrets                                            []secretM
}

type paramM struct {
	RefID, Name, Scope, DTSID   string
	DataType                    dtsx.DataType
	Value                       string
	Required, Sensitive, Locked bool
}

type pkgM struct {
	Name, DTSID       string
	Format, MaxConc   int
	Protection        dtsx.ProtectionLevel
	EnableConfig      bool
	Exes, Vars, Conss []string
	Conns             []connM
	Params            []paramM
	Configs           []string
	Diags             []string
}

func connModel(cm *dtsx.ConnectionManager) connM {
	m := connM{cm.RefID, cm.Name, cm.CreationName, cm.DTSID, cm.ConnectionString, cm.Project, cm.DelayValidation, cm.Expressions, nil}
	for _, s := range cm.Secrets {
		m.Secrets = append(m.Secrets, secretM{s.Name, s.Encrypted, s.Empty})
	}
	return m
}

func paramModels(ps []*dtsx.Parameter) []paramM {
	var out []paramM
	for _, p := range ps {
		out = append(out, paramM{p.RefID, p.Name, p.Scope, p.DTSID, p.DataType, p.Value, p.Required, p.Sensitive, p.Encrypted})
	}
	return out
}

// diagModels drops the lines, which differ between a file and its
// decrypted text.
func diagModels(ds dtsx.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		d.Line = 0
		out = append(out, d.String())
	}
	return out
}

func pkgModel(p *dtsx.Package) pkgM {
	m := pkgM{Name: p.Name, DTSID: p.DTSID, Format: p.Format, MaxConc: p.MaxConcurrentExecutables,
		Protection: p.ProtectionLevel, EnableConfig: p.EnableConfig, Params: paramModels(p.Parameters), Diags: diagModels(p.Diagnostics)}
	p.Walk(func(x *dtsx.Executable) bool {
		m.Exes = append(m.Exes, fmt.Sprintf("%s|%s|%s|%s|%v|%s|%v|%s", x.RefID, x.Type(), x.Name, x.DTSID, x.Disabled, x.EventName,
			x.Expressions, xmlOf(x.ObjectData)))
		for _, v := range x.Variables {
			m.Vars = append(m.Vars, fmt.Sprintf("%s|%s|%v|%q|%v|%q|%v", v.RefID, v.DTSID, v.DataType, v.Value, v.EvaluateAsExpression, v.Expression, v.ReadOnly))
		}
		for _, c := range x.Constraints {
			m.Conss = append(m.Conss, fmt.Sprintf("%s|%s|%s|%v|%v|%q|%v", c.RefID, c.FromRef, c.ToRef, c.Value, c.EvalOp, c.Expression, c.LogicalAnd))
		}
		return true
	})
	for _, cm := range p.Connections {
		m.Conns = append(m.Conns, connModel(cm))
	}
	for _, c := range p.Configurations {
		m.Configs = append(m.Configs, fmt.Sprintf("%s|%v|%s|%s", c.Name, c.Type, c.String, c.Variable))
	}
	return m
}

// xmlOf serializes an element (or "" for nil), for the task payloads.
func xmlOf(e *etree.Element) string {
	if e == nil {
		return ""
	}
	doc := etree.NewDocument()
	doc.SetRoot(e.Copy())
	doc.Indent(2)
	s, _ := doc.WriteToString()
	return s
}

func sameModel(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: the model loaded with the password differs from the one decrypted by hand:\n got: %+v\nwant: %+v", what, got, want)
	}
}

// ---- shared checks -----------------------------------------------------

// checkWrongPassword checks the error of a load with a wrong password.
func checkWrongPassword(t *testing.T, what string, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error with a wrong password", what)
		return
	}
	var de *dtsx.Error
	if !errors.As(err, &de) || de.Code != dtsx.CodeWrongPassword {
		t.Errorf("%s: error %v (%T), want a *dtsx.Error with code %s", what, err, err, dtsx.CodeWrongPassword)
	}
	if !errors.Is(err, dtsx.ErrWrongPassword) || !errors.Is(err, protect.ErrWrongPassword) || !errors.Is(err, dtsx.ErrNotLoaded) {
		t.Errorf("%s: errors.Is fails for ErrWrongPassword or ErrNotLoaded: %v", what, err)
	}
	if !strings.Contains(err.Error(), "the package password is wrong") {
		t.Errorf("%s: %q lacks %q", what, err, "the package password is wrong")
	}
	if de != nil { // the file name may hold anything; the rest must not
		noSecrets(t, what, []string{de.Message, de.Hint, de.Path, de.Err.Error()}, secrets...)
	}
}

// noSecrets fails when any text shows any secret.
func noSecrets(t *testing.T, what string, texts []string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, x := range texts {
			if s != "" && strings.Contains(x, s) {
				t.Errorf("%s: %q shows the secret %q", what, x, s)
			}
		}
	}
}

func diagTexts(ds dtsx.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

// countCode returns the diagnostics with code c.
func withCode(ds dtsx.Diagnostics, c string) dtsx.Diagnostics {
	var out dtsx.Diagnostics
	for _, d := range ds {
		if d.Code == c {
			out = append(out, d)
		}
	}
	return out
}

func findParam(ps []*dtsx.Parameter, name string) *dtsx.Parameter {
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func findConn(cms []*dtsx.ConnectionManager, name string) *dtsx.ConnectionManager {
	for _, cm := range cms {
		if cm.Name == name {
			return cm
		}
	}
	return nil
}

// ---- the corpus ----------------------------------------------------------

// TestPasswordCorpusPackages loads the password-protected corpus packages
// with their passwords, without, and with wrong ones.
func TestPasswordCorpusPackages(t *testing.T) {
	root := corpusRoot(t)
	tests := []struct {
		file, password string
		// encrypted: the file holds encrypted data; whole: all of it.
		encrypted, whole bool
		// locked is the number of values left encrypted without the password.
		locked int
		check  func(t *testing.T, p *dtsx.Package)
	}{
		{file: rtu + "Package 221.dtsx", password: "ssis123", encrypted: true, locked: 2,
			check: func(t *testing.T, p *dtsx.Package) {
				if p.ProtectionLevel != dtsx.EncryptSensitiveWithPassword {
					t.Errorf("ProtectionLevel %v", p.ProtectionLevel)
				}
				cm := findConn(p.Connections, "source")
				if cm == nil {
					t.Fatal("no connection manager source")
				}
				if want := "Data Source=db-01;User ID=sa;Initial Catalog=msdb;Persist Security Info=True;" +
					"Application Name=SSIS-Package-{B7056363-F8AF-48D5-BD9A-17F57C33F956}db-01.msdb;Password=db-01;"; cm.ConnectionString != want {
					t.Errorf("ConnectionString %q, want %q", cm.ConnectionString, want)
				}
				if want := []dtsx.Secret{{Name: "Password", Decrypted: true}}; !reflect.DeepEqual(cm.Secrets, want) {
					t.Errorf("Secrets %+v, want %+v", cm.Secrets, want)
				}
				pa := findParam(p.Parameters, "Parameterwere")
				if pa == nil || pa.Value != "2" || pa.DataType != dtsx.TypeInt32 || !pa.Sensitive || pa.Encrypted || !pa.Decrypted {
					t.Errorf("Parameterwere: %+v; want Int32 2, sensitive, decrypted", pa)
				}
				if pa := findParam(p.Parameters, "Parameteraa"); pa == nil || pa.Value != "0" || pa.Decrypted {
					t.Errorf("Parameteraa: %+v", pa)
				}
			}},
		{file: bananaFile, password: "banana", encrypted: true, whole: true,
			check: func(t *testing.T, p *dtsx.Package) {
				if p.Name != "security_test_pass_is_banana" || p.DTSID != "{09C230FC-3C98-494F-B04A-4F3BA00A8A90}" ||
					p.Format != 8 || p.ProtectionLevel != dtsx.EncryptAllWithPassword {
					t.Errorf("package %q %s format %d %v", p.Name, p.DTSID, p.Format, p.ProtectionLevel)
				}
				var got []string
				p.Walk(func(x *dtsx.Executable) bool { got = append(got, x.RefID+"="+x.Type()); return true })
				want := []string{"Package=Microsoft.Package", `Package\Data Flow Task=Microsoft.Pipeline`,
					`Package\Execute SQL Task=Microsoft.ExecuteSQLTask`}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("executables %q, want %q", got, want)
				}
				if len(p.Variables) != 1 || p.Variables[0].QualifiedName() != "User::VarSecurityTest" || p.Variables[0].Value != "Secret text 1" {
					t.Errorf("variables %+v, want User::VarSecurityTest = Secret text 1", p.Variables)
				}
				if len(p.Connections) != 1 || p.Connections[0].Name != "AdventureWorks2014" ||
					p.Connections[0].ConnectionString != "Data Source=localhost;Initial Catalog=AdventureWorks2014;Provider=SQLNCLI11.1;Integrated Security=SSPI;Auto Translate=False;" {
					t.Errorf("connections %+v", p.Connections)
				}
				if len(p.Constraints) != 1 || p.Constraints[0].From == nil || p.Constraints[0].From.Name != "Execute SQL Task" ||
					p.Constraints[0].To == nil || p.Constraints[0].To.Name != "Data Flow Task" {
					t.Errorf("constraints %+v", p.Constraints)
				}
				if p.Line("VarSecurityTest") != 0 {
					t.Error("a decrypted package has no lines in its file, yet Line found one")
				}
			}},
		// Saved with EncryptSensitiveWithPassword but holding nothing
		// sensitive: nothing to decrypt, and so nothing to check a password
		// against.
		{file: rtu + "Package1.dtsx", password: "ssis123"},
		{file: "rtumaykin__ssis-build/example__SampleSSISProjectSQL2016__SampleSSISProject__Package 221__at_a333267e.dtsx", password: "ssis123"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			path := filepath.Join(root, tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := dtsx.Options{Password: tt.password}.LoadPackageFile(path)
			if err != nil {
				t.Fatalf("with the password: %v", err)
			}
			hand := handDecrypt(t, data, tt.password)
			if bytes.Equal(hand, data) == tt.encrypted {
				t.Fatalf("hand decryption changed the file: %v, want %v", !bytes.Equal(hand, data), tt.encrypted)
			}
			ph, err := dtsx.LoadPackage(path, hand)
			if err != nil {
				t.Fatalf("decrypted by hand: %v", err)
			}
			sameModel(t, tt.file, pkgModel(p), pkgModel(ph))
			if tt.whole {
				got, want := etreeCanon(t, p.Doc), etreeCanon(t, ph.Doc)
				if got != want {
					t.Errorf("the decrypted tree differs from the one decrypted by hand")
				}
			}
			for _, d := range p.Diagnostics {
				if d.Severity == dtsx.SeverityError || d.Code == dtsx.CodeSensitiveNotLoaded {
					t.Errorf("with the password: %s", d)
				}
			}
			if tt.check != nil {
				tt.check(t, p)
			}
			noSecrets(t, "diagnostics", diagTexts(p.Diagnostics), tt.password)

			// A wrong password.
			for _, wrong := range []string{tt.password + "x", strings.ToUpper(tt.password), " " + tt.password} {
				pw, err := dtsx.Options{Password: wrong}.LoadPackage(path, data)
				if !tt.encrypted {
					if err != nil {
						t.Errorf("nothing encrypted, wrong password: %v", err)
					} else {
						sameModel(t, "nothing encrypted, wrong password", pkgModel(pw), pkgModel(p))
					}
					continue
				}
				if pw != nil {
					t.Errorf("wrong password %q: a package came back", wrong)
				}
				checkWrongPassword(t, fmt.Sprintf("password %q", wrong), err, tt.password, "db-01;", "Secret text 1")
			}

			// No password.
			pn, err := dtsx.LoadPackage(path, data)
			if tt.whole {
				var de *dtsx.Error
				if !errors.As(err, &de) || de.Code != dtsx.CodeEncryptedPackage {
					t.Fatalf("no password: %v, want code %s", err, dtsx.CodeEncryptedPackage)
				}
				for _, s := range []string{"--password", "/De[crypt]", dtsx.PasswordEnv} {
					if !strings.Contains(de.Hint, s) {
						t.Errorf("no password: hint %q lacks %q", de.Hint, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("no password: %v", err)
			}
			locked := withCode(pn.Diagnostics, dtsx.CodeSensitiveNotLoaded)
			if len(locked) != tt.locked {
				t.Errorf("no password: %d %s diagnostics, want %d:\n%s", len(locked), dtsx.CodeSensitiveNotLoaded, tt.locked, locked)
			}
			for _, d := range locked {
				if d.Severity != dtsx.SeverityWarning || !strings.Contains(d.Message, "package password") ||
					!strings.Contains(d.Hint, "--password") || d.Path == "" || d.Line == 0 {
					t.Errorf("no password: %s", d)
				}
			}
			if !tt.encrypted {
				sameModel(t, "nothing encrypted, no password", pkgModel(pn), pkgModel(p))
				return
			}
			if pa := findParam(pn.Parameters, "Parameterwere"); pa == nil || pa.Value != "" || !pa.Encrypted || pa.Decrypted {
				t.Errorf("no password: Parameterwere %+v", pa)
			}
			if cm := findConn(pn.Connections, "source"); cm == nil || (strings.Contains(cm.ConnectionString, "Password") ||
				len(cm.Secrets) != 1 || !cm.Secrets[0].Encrypted || cm.Secrets[0].Decrypted) {
				t.Errorf("no password: source %+v", cm)
			}
		})
	}
}

// etreeCanon returns a document's XML indented the same way, to compare
// trees rather than bytes.
func etreeCanon(t *testing.T, doc *etree.Document) string {
	t.Helper()
	s, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	d := etree.NewDocument()
	if err := d.ReadFromString(s); err != nil {
		t.Fatal(err)
	}
	d.Indent(2)
	out, _ := d.WriteToString()
	return out
}

// TestPasswordCorpusProjectFiles loads the protected .conmgr and .params
// files of the corpus.
func TestPasswordCorpusProjectFiles(t *testing.T) {
	root := corpusRoot(t)
	const password = "ssis123"
	conmgrs := []struct {
		file      string
		encrypted bool
		check     func(t *testing.T, cm *dtsx.ConnectionManager)
	}{
		{rtu + "db-01 msdb.conmgr", true, func(t *testing.T, cm *dtsx.ConnectionManager) {
			if !strings.HasSuffix(cm.ConnectionString, ";Application Name=SSIS-SampleSSISProject-{8E8B81F6-EBE1-4CBB-AF18-083F97AEF664}db-01.msdb;Password=Rbylpvfhfekb1;") {
				t.Errorf("ConnectionString %q", cm.ConnectionString)
			}
			if want := []dtsx.Secret{{Name: "Password", Decrypted: true}}; !reflect.DeepEqual(cm.Secrets, want) {
				t.Errorf("Secrets %+v, want %+v", cm.Secrets, want)
			}
		}},
		{rtu + "FTP Connection Manager.conmgr", true, func(t *testing.T, cm *dtsx.ConnectionManager) {
			if cm.ConnectionString != "ss.ee:21" {
				t.Errorf("ConnectionString %q", cm.ConnectionString)
			}
			if want := []dtsx.Secret{{Name: "ServerPassword", Decrypted: true}}; !reflect.DeepEqual(cm.Secrets, want) {
				t.Errorf("Secrets %+v, want %+v", cm.Secrets, want)
			}
			if pw := cm.ObjectData.FindElement(`.//Property[@DTS:Name='ServerPassword']`); pw == nil || pw.Text() != "12345" {
				t.Errorf("the decrypted ServerPassword is not in the tree")
			}
		}},
		{rtu + "SMTP Connection Manager.conmgr", false, nil},
	}
	for _, tt := range conmgrs {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			path := filepath.Join(root, tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cm, ds, err := dtsx.Options{Password: password}.LoadConnectionManager(path, data)
			if err != nil {
				t.Fatal(err)
			}
			ch, dsh, err := dtsx.LoadConnectionManager(path, handDecrypt(t, data, password))
			if err != nil {
				t.Fatal(err)
			}
			sameModel(t, tt.file, connModel(cm), connModel(ch))
			sameModel(t, tt.file+" diagnostics", diagModels(ds), diagModels(dsh))
			if len(ds) != 0 {
				t.Errorf("diagnostics: %s", ds)
			}
			if tt.check != nil {
				tt.check(t, cm)
			}
			_, ds, err = dtsx.Options{Password: "SSIS123"}.LoadConnectionManager(path, data)
			if tt.encrypted {
				checkWrongPassword(t, "wrong password", err, password, "Rbylpvfhfekb1", "12345")
			} else if err != nil {
				t.Errorf("nothing encrypted, wrong password: %v", err)
			}
			cn, ds, err := dtsx.LoadConnectionManager(path, data)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(withCode(ds, dtsx.CodeSensitiveNotLoaded)); n != map[bool]int{true: 1}[tt.encrypted] {
				t.Errorf("no password: %d %s diagnostics: %s", n, dtsx.CodeSensitiveNotLoaded, ds)
			}
			for _, s := range cn.Secrets {
				if s.Decrypted || !s.Encrypted || strings.Contains(cn.ConnectionString, "Password=") {
					t.Errorf("no password: %+v %q", cn.Secrets, cn.ConnectionString)
				}
			}
		})
	}

	t.Run("Project.params", func(t *testing.T) {
		path := filepath.Join(root, rtu+"Project.params")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ps, ds, err := dtsx.Options{Password: password}.LoadParameters(path, data)
		if err != nil {
			t.Fatal(err)
		}
		ph, dsh, err := dtsx.LoadParameters(path, handDecrypt(t, data, password))
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, "Project.params", paramModels(ps), paramModels(ph))
		sameModel(t, "Project.params diagnostics", diagModels(ds), diagModels(dsh))
		if p := findParam(ps, "SourceDBName"); p == nil || p.Value != "master" || !p.Sensitive || p.Encrypted || !p.Decrypted ||
			p.DataType != dtsx.TypeString {
			t.Errorf("SourceDBName %+v, want the sensitive String master, decrypted", p)
		}
		if p := findParam(ps, "SourceDBServer"); p == nil || p.Value != "db-01112" || p.Decrypted {
			t.Errorf("SourceDBServer %+v", p)
		}
		_, _, err = dtsx.Options{Password: "ssis12"}.LoadParameters(path, data)
		checkWrongPassword(t, "wrong password", err, password, "master")
		pn, ds, err := dtsx.LoadParameters(path, data)
		if err != nil {
			t.Fatal(err)
		}
		if p := findParam(pn, "SourceDBName"); p == nil || p.Value != "" || !p.Encrypted {
			t.Errorf("no password: SourceDBName %+v", p)
		}
		// The start tag of the SSIS:Parameter, lines 24 and 25.
		if locked := withCode(ds, dtsx.CodeSensitiveNotLoaded); len(locked) != 1 || locked[0].Path != "Project.Parameters[SourceDBName]" ||
			locked[0].Line < 24 || locked[0].Line > 25 {
			t.Errorf("no password: %s", ds)
		}
	})
}

// TestPasswordCorpusProject loads the corpus's sample project as SSDT
// lays it out (the files under their own names, in a temporary folder): as
// a folder and through its .dtproj, whose PasswordVerifier checks the
// password.
func TestPasswordCorpusProject(t *testing.T) {
	root := corpusRoot(t)
	dir := t.TempDir()
	for _, name := range []string{"SampleSSISProject.dtproj", "Project.params", "db-01 msdb.conmgr",
		"FTP Connection Manager.conmgr", "SMTP Connection Manager.conmgr", "Package 221.dtsx", "Package1.dtsx"} {
		data, err := os.ReadFile(filepath.Join(root, rtu+name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, where := range []string{dir, filepath.Join(dir, "SampleSSISProject.dtproj")} {
		t.Run(filepath.Base(where), func(t *testing.T) {
			pr, err := dtsx.Options{Password: "ssis123"}.LoadProject(where)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range pr.Diagnostics {
				t.Errorf("with the password: %s", d)
			}
			if cm := findConn(pr.Connections, "db-01 msdb"); cm == nil || !strings.HasSuffix(cm.ConnectionString, ";Password=Rbylpvfhfekb1;") {
				t.Errorf("db-01 msdb: %+v", cm)
			}
			if cm := findConn(pr.Connections, "FTP Connection Manager"); cm == nil || len(cm.Secrets) != 1 || !cm.Secrets[0].Decrypted {
				t.Errorf("FTP Connection Manager: %+v", cm)
			}
			if p := findParam(pr.Parameters, "SourceDBName"); p == nil || p.Value != "master" {
				t.Errorf("SourceDBName: %+v", p)
			}
			if len(pr.Connections) != 3 || len(pr.Parameters) != 2 {
				t.Errorf("%d connections and %d parameters, want 3 and 2", len(pr.Connections), len(pr.Parameters))
			}
			if strings.HasSuffix(where, ".dtproj") && (pr.Name != "SampleSSISProject" || pr.ProtectionLevel != dtsx.EncryptSensitiveWithPassword) {
				t.Errorf("project %q %v", pr.Name, pr.ProtectionLevel)
			}

			_, err = dtsx.Options{Password: "ssis1234"}.LoadProject(where)
			checkWrongPassword(t, "wrong password", err, "ssis123", "Rbylpvfhfekb1", "master")

			pn, err := dtsx.LoadProject(where)
			if err != nil {
				t.Fatal(err)
			}
			if locked := withCode(pn.Diagnostics, dtsx.CodeSensitiveNotLoaded); len(locked) != 3 || len(pn.Diagnostics) != 3 {
				t.Errorf("no password: want 3 %s diagnostics, got:\n%s", dtsx.CodeSensitiveNotLoaded, pn.Diagnostics)
			}
		})
	}
	pr, err := dtsx.Options{Password: "ssis123"}.ProjectBeside(filepath.Join(dir, "Package 221.dtsx"))
	if err != nil || pr == nil || findParam(pr.Parameters, "SourceDBName") == nil || findParam(pr.Parameters, "SourceDBName").Value != "master" {
		t.Errorf("ProjectBeside: %+v, %v", pr, err)
	}
	_, err = dtsx.Options{Password: "x"}.ProjectBeside(filepath.Join(dir, "Package 221.dtsx"))
	checkWrongPassword(t, "ProjectBeside, wrong password", err)
}

// ---- round trips ---------------------------------------------------------

const protectDir = "testdata/protect"

// encryptTree encrypts doc in place as SSDT saves it: the whole root
// (EncryptAllWithPassword) or each sensitive element
// (EncryptSensitiveWithPassword), in the layout of the file type.
func encryptTree(t *testing.T, doc *etree.Document, password string, s protect.Scheme, l protect.Layout, all bool) {
	t.Helper()
	if all {
		enc, err := protect.Encrypt(doc.Root(), password, s, l)
		if err != nil {
			t.Fatal(err)
		}
		doc.SetRoot(enc)
		return
	}
	var targets []*etree.Element
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			sensitive := false
			for _, a := range c.Attr {
				if a.Key == "Sensitive" && a.Value == "1" {
					sensitive = true
				}
			}
			// A sensitive package parameter's value: the inner Property.
			if c.Tag == "Property" && c.SelectAttrValue("DTS:Name", "") == "ParameterValue" && e.Tag == "Property" {
				sensitive = true
			}
			if sensitive {
				targets = append(targets, c)
				continue
			}
			walk(c)
		}
	}
	walk(doc.Root())
	if len(targets) == 0 {
		t.Fatal("nothing sensitive to encrypt")
	}
	for _, e := range targets {
		enc, err := protect.Encrypt(e, password, s, l)
		if err != nil {
			t.Fatal(err)
		}
		parent, i := e.Parent(), e.Index()
		parent.RemoveChildAt(i)
		parent.InsertChildAt(i, enc)
	}
}

// readTree reads a test file; level, when not empty, sets the package's
// ProtectionLevel.
func readTree(t *testing.T, name, level string) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromFile(filepath.Join(protectDir, name)); err != nil {
		t.Fatal(err)
	}
	if level != "" {
		doc.Root().CreateAttr("DTS:ProtectionLevel", level)
	}
	return doc
}

func treeBytes(t *testing.T, doc *etree.Document) []byte {
	t.Helper()
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The secrets of the files in testdata/protect.
var protectSecrets = []string{"Wh-S3cret", "Ftp-S3cret", "Key-S3cret", "Child-S3cret", "St-S3cret", "Smtp-S3cret"}

// TestPasswordRoundTrip encrypts the test files with both schemes and both
// levels, then loads them with the password: the model, and the tree, must
// be those of the file before encryption.
func TestPasswordRoundTrip(t *testing.T) {
	const password = "Round/Trip pw"
	for _, s := range []protect.Scheme{protect.TripleDES, protect.AES256} {
		for _, all := range []bool{false, true} {
			level := map[bool]string{false: "2", true: "3"}[all]
			t.Run(fmt.Sprintf("%v/level%s/package", s, level), func(t *testing.T) {
				plain := treeBytes(t, readTree(t, "plain.dtsx", level))
				doc := readTree(t, "plain.dtsx", level)
				encryptTree(t, doc, password, s, protect.XMLEnc, all)
				data := treeBytes(t, doc)
				noSecrets(t, "encrypted file", []string{string(data)}, protectSecrets...)

				want, err := dtsx.LoadPackage("p.dtsx", plain)
				if err != nil {
					t.Fatal(err)
				}
				p, err := dtsx.Options{Password: password}.LoadPackage("p.dtsx", data)
				if err != nil {
					t.Fatal(err)
				}
				sameModel(t, "package", pkgModel(p), pkgModel(want))
				if got, w := etreeCanon(t, p.Doc), etreeCanon(t, want.Doc); got != w {
					t.Errorf("decrypted tree:\n%s\nwant:\n%s", got, w)
				}
				if cm := findConn(p.Connections, "Warehouse"); cm == nil ||
					!strings.HasSuffix(cm.ConnectionString, `;Persist Security Info=True;Password="Wh-S3cret;x";`) {
					t.Errorf("Warehouse: %+v", cm)
				}
				for _, cm := range p.Connections {
					if len(cm.Secrets) != 1 || cm.Secrets[0].Encrypted || !cm.Secrets[0].Decrypted {
						t.Errorf("%s: secrets %+v, want one decrypted", cm.Name, cm.Secrets)
					}
				}
				if pa := findParam(p.Parameters, "ApiKey"); pa == nil || pa.Value != "Key-S3cret" || !pa.Decrypted {
					t.Errorf("ApiKey: %+v", pa)
				}
				if x := p.Executables[0]; x.ObjectData == nil || x.ObjectData.FindElement("PackagePassword") == nil ||
					x.ObjectData.FindElement("PackagePassword").Text() != "Child-S3cret" {
					t.Errorf("Run Child: the task's password is not back in its payload")
				}
				noSecrets(t, "diagnostics", diagTexts(p.Diagnostics), append(protectSecrets, password)...)

				_, err = dtsx.Options{Password: "round/trip pw"}.LoadPackage("p.dtsx", data)
				checkWrongPassword(t, "wrong password", err, append(protectSecrets, password)...)

				pn, err := dtsx.LoadPackage("p.dtsx", data)
				if all {
					var de *dtsx.Error
					if !errors.As(err, &de) || de.Code != dtsx.CodeEncryptedPackage {
						t.Errorf("no password: %v, want %s", err, dtsx.CodeEncryptedPackage)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				locked := withCode(pn.Diagnostics, dtsx.CodeSensitiveNotLoaded)
				var paths []string
				for _, d := range locked {
					paths = append(paths, d.Path)
				}
				want2 := []string{"Package.ConnectionManagers[Warehouse]", "Package.ConnectionManagers[Drop]", "Package.Parameters[ApiKey]", `Package\Run Child`}
				if !sameSet(paths, want2) {
					t.Errorf("no password: locked values at %q, want %q", paths, want2)
				}
				if pa := findParam(pn.Parameters, "ApiKey"); pa == nil || pa.Value != "" || !pa.Encrypted {
					t.Errorf("no password: ApiKey %+v", pa)
				}
				noSecrets(t, "no password", append(diagTexts(pn.Diagnostics), fmt.Sprint(pkgModel(pn))), protectSecrets...)
			})

			t.Run(fmt.Sprintf("%v/level%s/conmgr", s, level), func(t *testing.T) {
				doc := readTree(t, "plain.conmgr", "")
				encryptTree(t, doc, password, s, protect.Project, all)
				data := treeBytes(t, doc)
				noSecrets(t, "encrypted file", []string{string(data)}, protectSecrets...)
				want, _, err := dtsx.LoadConnectionManager("c.conmgr", treeBytes(t, readTree(t, "plain.conmgr", "")))
				if err != nil {
					t.Fatal(err)
				}
				cm, ds, err := dtsx.Options{Password: password}.LoadConnectionManager("c.conmgr", data)
				if err != nil {
					t.Fatal(err)
				}
				sameModel(t, "conmgr", connModel(cm), connModel(want))
				if !strings.HasSuffix(cm.ConnectionString, ";Provider=SQLNCLI11.1;Password=St-S3cret;") || !cm.Secrets[0].Decrypted {
					t.Errorf("Staging: %q %+v", cm.ConnectionString, cm.Secrets)
				}
				if len(ds) != 0 {
					t.Errorf("diagnostics: %s", ds)
				}
				_, _, err = dtsx.Options{Password: "x"}.LoadConnectionManager("c.conmgr", data)
				checkWrongPassword(t, "wrong password", err, protectSecrets...)
			})

			t.Run(fmt.Sprintf("%v/level%s/params", s, level), func(t *testing.T) {
				doc := readTree(t, "plain.params", "")
				encryptTree(t, doc, password, s, protect.Project, all)
				data := treeBytes(t, doc)
				noSecrets(t, "encrypted file", []string{string(data)}, protectSecrets...)
				want, _, err := dtsx.LoadParameters("Project.params", treeBytes(t, readTree(t, "plain.params", "")))
				if err != nil {
					t.Fatal(err)
				}
				ps, ds, err := dtsx.Options{Password: password}.LoadParameters("Project.params", data)
				if err != nil {
					t.Fatal(err)
				}
				sameModel(t, "params", paramModels(ps), paramModels(want))
				if p := findParam(ps, "SmtpPassword"); p == nil || p.Value != "Smtp-S3cret" || !p.Decrypted {
					t.Errorf("SmtpPassword %+v", p)
				}
				if len(ds) != 0 {
					t.Errorf("diagnostics: %s", ds)
				}
				_, _, err = dtsx.Options{Password: ""}.LoadParameters("Project.params", data)
				if all {
					var de *dtsx.Error
					if !errors.As(err, &de) || de.Code != dtsx.CodeEncryptedPackage {
						t.Errorf("no password: %v", err)
					}
				} else if err != nil {
					t.Errorf("no password: %v", err)
				}
				_, _, err = dtsx.Options{Password: "x"}.LoadParameters("Project.params", data)
				checkWrongPassword(t, "wrong password", err, protectSecrets...)
			})
		}
	}
}

// TestPasswordIspac builds an .ispac whose members are protected with a
// password (the manifest's PasswordVerifier, a package encrypted whole, a
// connection manager's password, the parameters file encrypted whole).
func TestPasswordIspac(t *testing.T) {
	const password = "ispac-pw"
	manifest := etree.NewDocument()
	if err := manifest.ReadFromString(`<?xml version="1.0"?>
<SSIS:Project SSIS:ProtectionLevel="EncryptSensitiveWithPassword" xmlns:SSIS="www.microsoft.com/SqlServer/SSIS">
  <SSIS:Properties>
    <SSIS:Property SSIS:Name="Name">Vault</SSIS:Property>
    <SSIS:Property SSIS:Name="PasswordVerifier" SSIS:Sensitive="1">SSIS</SSIS:Property>
  </SSIS:Properties>
  <SSIS:Packages><SSIS:Package SSIS:Name="Protected.dtsx" SSIS:EntryPoint="1" /></SSIS:Packages>
  <SSIS:ConnectionManagers><SSIS:ConnectionManager SSIS:Name="Staging.conmgr" /></SSIS:ConnectionManagers>
</SSIS:Project>`); err != nil {
		t.Fatal(err)
	}
	encryptTree(t, manifest, password, protect.TripleDES, protect.Project, false)
	pkg := readTree(t, "plain.dtsx", "3")
	encryptTree(t, pkg, password, protect.TripleDES, protect.XMLEnc, true)
	conmgr := readTree(t, "plain.conmgr", "")
	encryptTree(t, conmgr, password, protect.TripleDES, protect.Project, false)
	params := readTree(t, "plain.params", "")
	encryptTree(t, params, password, protect.TripleDES, protect.Project, true)

	path := filepath.Join(t.TempDir(), "Vault.ispac")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, doc := range map[string]*etree.Document{"@Project.manifest": manifest, "Protected.dtsx": pkg,
		"Staging.conmgr": conmgr, "Project.params": params} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(treeBytes(t, doc)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	pr, err := dtsx.Options{Password: password}.LoadProject(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range pr.Diagnostics {
		t.Errorf("with the password: %s", d)
	}
	if pr.Name != "Vault" || pr.ProtectionLevel != dtsx.EncryptSensitiveWithPassword || len(pr.Packages) != 1 {
		t.Fatalf("project %q %v with %d packages", pr.Name, pr.ProtectionLevel, len(pr.Packages))
	}
	want, err := dtsx.LoadPackage(path+"!/Protected.dtsx", treeBytes(t, readTree(t, "plain.dtsx", "3")))
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, "package", pkgModel(pr.Packages[0]), pkgModel(want))
	if cm := findConn(pr.Connections, "Staging"); cm == nil || !strings.HasSuffix(cm.ConnectionString, ";Password=St-S3cret;") {
		t.Errorf("Staging: %+v", cm)
	}
	if p := findParam(pr.Parameters, "SmtpPassword"); p == nil || p.Value != "Smtp-S3cret" || !p.Decrypted {
		t.Errorf("SmtpPassword: %+v", p)
	}

	_, err = dtsx.Options{Password: "ispac-PW"}.LoadProject(path)
	checkWrongPassword(t, "wrong password", err, append(protectSecrets, password)...)

	pn, err := dtsx.LoadProject(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(pn.Packages) != 0 || len(withCode(pn.Diagnostics, dtsx.CodeEncryptedPackage)) != 2 ||
		len(withCode(pn.Diagnostics, dtsx.CodeSensitiveNotLoaded)) != 1 {
		t.Errorf("no password: %d packages, diagnostics:\n%s", len(pn.Packages), pn.Diagnostics)
	}
	noSecrets(t, "no password", diagTexts(pn.Diagnostics), protectSecrets...)
}

// ---- the user-key levels -------------------------------------------------

// TestUserKey checks that DPAPI-protected files still load, their values
// missing, with a diagnostic that says what to do.
func TestUserKey(t *testing.T) {
	checkHint := func(t *testing.T, d dtsx.Diagnostic) {
		t.Helper()
		for _, s := range []string{"EncryptSensitiveWithPassword", "/Set", "/Conn", "parameter", "--password"} {
			if !strings.Contains(d.Hint, s) {
				t.Errorf("hint %q lacks %q", d.Hint, s)
			}
		}
	}
	for _, o := range []dtsx.Options{{}, {Password: "irrelevant"}} {
		p, err := o.LoadPackageFile(filepath.Join(protectDir, "userkey.dtsx"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]int{ // path -> line range of its start tag
			"Package.ConnectionManagers[Warehouse]": {11, 15},
			"Package.Parameters[ApiKey]":            {28, 33},
			`Package\Run Child`:                     {44, 49},
		}
		locked := withCode(p.Diagnostics, dtsx.CodeSensitiveNotLoaded)
		if len(locked) != len(want) || len(p.Diagnostics) != len(want) {
			t.Errorf("%v: diagnostics:\n%s", o, p.Diagnostics)
		}
		for _, d := range locked {
			lines, ok := want[d.Path]
			if !ok || d.Line < lines[0] || d.Line > lines[1] {
				t.Errorf("%v: %s; want a line in %v", o, d, lines)
			}
			if d.Severity != dtsx.SeverityWarning || !strings.Contains(d.Message, "Windows user key") ||
				!strings.Contains(d.Message, "EncryptSensitiveWithUserKey") {
				t.Errorf("%v: %s", o, d)
			}
			checkHint(t, d)
		}
		if pa := findParam(p.Parameters, "ApiKey"); pa == nil || pa.Value != "" || !pa.Encrypted {
			t.Errorf("ApiKey %+v: the DPAPI blob must not be the value", pa)
		}
		if cm := findConn(p.Connections, "Warehouse"); cm == nil || strings.Contains(cm.ConnectionString, "Password") ||
			!reflect.DeepEqual(cm.Secrets, []dtsx.Secret{{Name: "Password", Encrypted: true}}) {
			t.Errorf("Warehouse %+v", cm)
		}
	}

	cm, ds, err := dtsx.LoadConnectionManager(filepath.Join(protectDir, "userkey.conmgr"),
		mustRead(t, filepath.Join(protectDir, "userkey.conmgr")))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Code != dtsx.CodeSensitiveNotLoaded || ds[0].Line < 2 || ds[0].Line > 5 || !cm.Secrets[0].Encrypted {
		t.Errorf("userkey.conmgr: %s %+v", ds, cm.Secrets)
	} else {
		checkHint(t, ds[0])
	}

	_, err = dtsx.LoadPackageFile(filepath.Join(protectDir, "userkey-all.dtsx"))
	var de *dtsx.Error
	if !errors.As(err, &de) || de.Code != dtsx.CodeEncryptedPackage || !strings.Contains(de.Message, "EncryptAllWithUserKey") {
		t.Errorf("userkey-all.dtsx: %v", err)
	} else {
		checkHint(t, de.Diagnostic)
	}

	level4 := bytes.Replace(mustRead(t, filepath.Join(protectDir, "userkey.dtsx")), []byte(`DTS:ObjectName="UserKey">`),
		[]byte(`DTS:ObjectName="UserKey" DTS:ProtectionLevel="4">`), 1)
	p, err := dtsx.LoadPackage("level4.dtsx", level4)
	if err != nil {
		t.Fatal(err)
	}
	if enc := withCode(p.Diagnostics, dtsx.CodeEncryptedPackage); len(enc) != 1 || enc[0].Severity != dtsx.SeverityError {
		t.Errorf("ProtectionLevel 4: %s", p.Diagnostics)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOptionsHidePassword checks that printing Options never shows the
// password.
func TestOptionsHidePassword(t *testing.T) {
	o := dtsx.Options{Password: "Hunter2-pw"}
	holder := struct{ Opts dtsx.Options }{o}
	for _, s := range []string{fmt.Sprint(o), fmt.Sprintf("%v %+v %#v %s %q", o, o, o, o, o), fmt.Sprintf("%v %+v", &o, holder)} {
		if strings.Contains(s, "Hunter2") {
			t.Errorf("%q shows the password", s)
		}
	}
	if fmt.Sprint(dtsx.Options{}) == fmt.Sprint(o) {
		t.Error("Options with and without a password print the same")
	}
}

// TestDamagedEncryptedValue checks that a damaged encrypted value in a
// package loaded with the password is an error diagnostic, not a failure of
// the whole load, and not a wrong password.
func TestDamagedEncryptedValue(t *testing.T) {
	doc := readTree(t, "plain.dtsx", "")
	encryptTree(t, doc, "pw", protect.TripleDES, protect.XMLEnc, false)
	cv := doc.FindElement("//CipherValue")
	cv.SetText(cv.Text()[:len(cv.Text())-6] + "!!!!==")
	p, err := dtsx.Options{Password: "pw"}.LoadPackage("damaged.dtsx", treeBytes(t, doc))
	if err != nil {
		t.Fatal(err)
	}
	bad := withCode(p.Diagnostics, dtsx.CodeBadValue)
	if len(bad) != 1 || len(p.Diagnostics) != 1 || bad[0].Severity != dtsx.SeverityError || bad[0].Path == "" || bad[0].Line == 0 ||
		!strings.Contains(bad[0].Message, "damaged") || !strings.Contains(bad[0].Message, "cannot be decrypted") {
		t.Errorf("want one located error for the damaged value; diagnostics: %s", p.Diagnostics)
	}
	// The other values decrypt.
	if cm := findConn(p.Connections, "Drop"); cm == nil || len(cm.Secrets) != 1 || !cm.Secrets[0].Decrypted {
		t.Errorf("Drop: %+v", cm)
	}

	// A damaged value where no object of the model looks is still reported.
	doc = readTree(t, "plain.dtsx", "")
	stray := etree.NewElement("EncryptedData")
	stray.CreateAttr("xmlns", protect.NamespaceXMLEnc)
	stray.CreateElement("CipherData").CreateElement("CipherValue").SetText("not base64")
	doc.Root().AddChild(stray)
	p, err = dtsx.Options{Password: "pw"}.LoadPackage("stray.dtsx", treeBytes(t, doc))
	if err != nil {
		t.Fatal(err)
	}
	if bad := withCode(p.Diagnostics, dtsx.CodeBadValue); len(bad) != 1 || len(p.Diagnostics) != 1 || bad[0].Path != "" ||
		!strings.Contains(bad[0].Message, "cannot be decrypted") {
		t.Errorf("stray damaged value: %s", p.Diagnostics)
	}
}
