package dtsx

import (
	"errors"
	"strings"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx/protect"
)

// PasswordEnv is the environment variable that gives the package password
// to the command line, as dtexec's /De[crypt] option does.
const PasswordEnv = "SSIS_PACKAGE_DECRYPT"

// ErrWrongPassword is matched by errors.Is on the error of a load whose
// password does not decrypt the file. It is protect.ErrWrongPassword.
var ErrWrongPassword = protect.ErrWrongPassword

// Options says how files are loaded. The zero value loads as the top-level
// functions do: LoadPackage is Options{}.LoadPackage.
//
// A file loaded with a password holds the decrypted values in its tree, in
// clear: Package.WriteTo writes them so. Re-encrypt with package protect
// before saving such a tree where the password-protected file was.
type Options struct {
	// Password decrypts the files saved with ProtectionLevel
	// EncryptSensitiveWithPassword or EncryptAllWithPassword (dtexec
	// /De[crypt], PasswordEnv). Empty means none was given.
	Password string
}

// String describes the options without the password.
func (o Options) String() string {
	if o.Password == "" {
		return "dtsx.Options{}"
	}
	return "dtsx.Options{Password: (set)}"
}

// GoString is String, so that %#v does not print the password either.
func (o Options) GoString() string { return o.String() }

// Hints shared by the diagnostics of protected values.
const (
	hintPassword = "pass the package password: dtsx --password, dtexec /De[crypt] or the " + PasswordEnv + " environment variable"
	hintDamaged  = "restore the file, or re-save it in SSDT"
	hintUserKey  = "Windows DPAPI cannot be decrypted on another machine or account: re-save the package (or project) in SSDT with " +
		"ProtectionLevel EncryptSensitiveWithPassword and pass the password (--password, /De[crypt], " + PasswordEnv + "), " +
		"or supply the value at run time with /Set, /Conn or a parameter"
)

// unlocked records what decrypting a file's tree did.
type unlocked struct {
	// whole is true when the whole file was one encrypted element, now
	// replaced by its plaintext.
	whole bool
	// decrypted holds the elements put in place of encrypted ones.
	decrypted map[*etree.Element]bool
	// damaged maps the encrypted elements that could not be decrypted
	// although a password was given to the reason, for the loader to
	// report where they belong.
	damaged map[*etree.Element]string
}

// isDecrypted reports whether e came out of a decryption: it replaced an
// encrypted element, or lies in a file that was encrypted whole.
func (u *unlocked) isDecrypted(e *etree.Element) bool {
	if u == nil {
		return false
	}
	return u.whole || u.decrypted[e]
}

// unlock decrypts, in place, every password-encrypted element of doc: the
// root of a file saved with EncryptAllWithPassword, and each sensitive value
// of one saved with EncryptSensitiveWithPassword. Without a password it
// leaves the values encrypted (the loader reports them) but refuses a file
// encrypted whole. A wrong password fails the whole load.
func (o Options) unlock(file string, doc *etree.Document) (*unlocked, *Error) {
	u := &unlocked{decrypted: map[*etree.Element]bool{}, damaged: map[*etree.Element]string{}}
	root := doc.Root()
	if _, ok := protect.Detect(root); ok {
		if o.Password == "" {
			return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeEncryptedPackage, File: file,
				Message: "the whole file is encrypted with a password (ProtectionLevel EncryptAllWithPassword)",
				Hint:    hintPassword}}
		}
		dec, err := protect.Decrypt(root, o.Password)
		if err != nil {
			return nil, decryptError(file, err, true)
		}
		doc.SetRoot(dec)
		u.whole = true
		root = dec
	} else if protect.IsUserKeyBlob(root.Text()) {
		return nil, &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeEncryptedPackage, File: file,
			Message: "the whole file is encrypted with the Windows user key of whoever saved it (ProtectionLevel EncryptAllWithUserKey)",
			Hint:    hintUserKey}}
	}
	var failed *Error
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			if failed != nil {
				return
			}
			if _, ok := protect.Detect(c); !ok {
				walk(c)
				continue
			}
			if o.Password == "" {
				continue // reported by the loader where the value belongs
			}
			dec, err := protect.Decrypt(c, o.Password)
			if errors.Is(err, protect.ErrWrongPassword) {
				failed = decryptError(file, err, false)
				return
			}
			if err != nil {
				u.damaged[c] = strings.TrimPrefix(err.Error(), "protect: ")
				continue
			}
			i := c.Index()
			e.RemoveChildAt(i)
			e.InsertChildAt(i, dec)
			dropRedundantNamespaces(dec)
			u.decrypted[dec] = true
			walk(dec)
		}
	}
	walk(root)
	if failed != nil {
		return nil, failed
	}
	return u, nil
}

// decryptError turns a protect error into a load *Error.
func decryptError(file string, err error, whole bool) *Error {
	if errors.Is(err, protect.ErrWrongPassword) {
		what := "the encrypted values of the file"
		if whole {
			what = "the file"
		}
		return &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeWrongPassword, File: file,
			Message: "the package password is wrong: it does not decrypt " + what,
			Hint:    "give the password the file was saved with (ProtectionLevel EncryptSensitiveWithPassword or EncryptAllWithPassword)"},
			Err: err}
	}
	return &Error{Diagnostic: Diagnostic{Severity: SeverityError, Code: CodeEncryptedPackage, File: file,
		Message: "the encrypted file cannot be decrypted: " + strings.TrimPrefix(err.Error(), "protect: "),
		Hint:    "the file is damaged or uses an encryption dtsx does not know; restore it or re-save it in SSDT"},
		Err: err}
}

// dropRedundantNamespaces removes the namespace declarations a decrypted
// element carries (its plaintext stood alone) that its new place already
// makes, so that the tree reads as if it had never been encrypted.
func dropRedundantNamespaces(e *etree.Element) {
	parent := e.Parent()
	if parent == nil {
		return
	}
	kept := e.Attr[:0]
	for _, a := range e.Attr {
		prefix, isDecl := "", false
		switch {
		case a.Space == "xmlns":
			prefix, isDecl = a.Key, true
		case a.Space == "" && a.Key == "xmlns":
			isDecl = true
		}
		if isDecl && namespaceAt(parent, prefix) == a.Value {
			continue
		}
		kept = append(kept, a)
	}
	e.Attr = kept
}

// namespaceAt resolves a namespace prefix ("" for the default namespace) at e.
func namespaceAt(e *etree.Element, prefix string) string {
	for x := e; x != nil; x = x.Parent() {
		for _, a := range x.Attr {
			if (prefix == "" && a.Space == "" && a.Key == "xmlns") || (prefix != "" && a.Space == "xmlns" && a.Key == prefix) {
				return a.Value
			}
		}
	}
	return ""
}

// protectedValue says whether a sensitive element's value can be used, and
// if not, why: it returns "" for a usable (or empty) value, "password" for
// a value still encrypted with the package password, "user key" for a DPAPI
// blob.
func protectedValue(e *etree.Element) string {
	if _, ok := protect.Detect(e); ok || e.Tag == "EncryptedData" {
		return "password"
	}
	if attrValue(e, "Encrypted") == "1" || protect.IsUserKeyBlob(e.Text()) {
		return "user key"
	}
	return ""
}

// lockedDiag reports a sensitive value that stays unavailable: what names
// it ("the Password of connection manager \"X\""), e is the element that
// holds it, still encrypted; the diagnostic is on the line of owner.
func (l *loader) lockedDiag(path string, owner *etree.Element, what string, e *etree.Element) {
	if reason, ok := l.unlocked.damaged[e]; ok {
		delete(l.unlocked.damaged, e)
		l.diag(SeverityError, CodeBadValue, path, owner, what+" cannot be decrypted: "+reason+"; it is left empty", hintDamaged)
		return
	}
	if protectedValue(e) == "password" {
		l.diag(SeverityWarning, CodeSensitiveNotLoaded, path, owner,
			what+" is encrypted with the package password (EncryptSensitiveWithPassword), which was not given; it is left empty",
			hintPassword)
		return
	}
	l.diag(SeverityWarning, CodeSensitiveNotLoaded, path, owner,
		what+" is encrypted with the Windows user key of whoever saved the file (EncryptSensitiveWithUserKey) and cannot be decrypted here; it is left empty",
		hintUserKey)
}

// flushDamaged reports the damaged encrypted values no object claimed.
func (l *loader) flushDamaged() {
	if l.unlocked == nil {
		return
	}
	for _, reason := range l.unlocked.damaged {
		l.add(Diagnostic{Severity: SeverityError, Code: CodeBadValue, Message: "an encrypted value cannot be decrypted: " + reason, Hint: hintDamaged})
	}
	clear(l.unlocked.damaged)
}
