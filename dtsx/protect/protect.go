package protect

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// XML namespaces and algorithm identifiers of the encrypted forms.
const (
	NamespaceXMLEnc = "http://www.w3.org/2001/04/xmlenc#"
	NamespaceSSIS   = "www.microsoft.com/SqlServer/SSIS"

	// TypeElement is the EncryptedData Type of an encrypted element, the
	// only one SSIS writes.
	TypeElement = NamespaceXMLEnc + "Element"

	AlgorithmTripleDES = NamespaceXMLEnc + "tripledes-cbc"
	AlgorithmAES128    = NamespaceXMLEnc + "aes128-cbc" // UNVERIFIED for SSIS
	AlgorithmAES192    = NamespaceXMLEnc + "aes192-cbc" // UNVERIFIED for SSIS
	AlgorithmAES256    = NamespaceXMLEnc + "aes256-cbc" // UNVERIFIED for SSIS
)

// Sentinel errors, matched with errors.Is through an *Error.
var (
	// ErrWrongPassword: the element is well formed but the password does
	// not decrypt it.
	ErrWrongPassword = errors.New("protect: the package password is wrong")
	// ErrMalformed: the encrypted element is damaged (missing or invalid
	// attributes, base64 or lengths), whatever the password.
	ErrMalformed = errors.New("protect: the encrypted data is damaged")
	// ErrUnsupported: the element uses an algorithm or form this package
	// does not know.
	ErrUnsupported = errors.New("protect: unsupported encryption")
)

// Error reports an element that could not be decrypted or encrypted. Its
// text names the element and never holds a value, a ciphertext or the
// password.
type Error struct {
	// Element is the encrypted element's name as written (EncryptedData,
	// SSIS:Property, DTS:Password).
	Element string
	// Err is ErrWrongPassword, ErrMalformed or ErrUnsupported.
	Err error
	// Reason says what is damaged or unsupported; empty for a wrong
	// password.
	Reason string
}

// Error returns "protect: <Element>: <what is wrong>[: reason]".
func (e *Error) Error() string {
	msg := "protect: <" + e.Element + ">: " + strings.TrimPrefix(e.Err.Error(), "protect: ")
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

func malformed(e *etree.Element, format string, args ...any) *Error {
	return &Error{Element: e.FullTag(), Err: ErrMalformed, Reason: fmt.Sprintf(format, args...)}
}

// Layout is how an encrypted element is written.
type Layout int

// The layouts.
const (
	// XMLEnc is an <EncryptedData> element of XML Encryption, written in
	// packages (.dtsx).
	XMLEnc Layout = iota + 1
	// Project is an element with SSIS:Salt and SSIS:IV attributes and the
	// base64 ciphertext as its text, written in project files (.conmgr,
	// .params, manifests).
	Project
)

// String returns "XMLEnc" or "Project".
func (l Layout) String() string {
	switch l {
	case XMLEnc:
		return "XMLEnc"
	case Project:
		return "Project"
	}
	return "Layout(" + strconv.Itoa(int(l)) + ")"
}

// Detect reports whether e is encrypted with a password, and in which
// layout.
func Detect(e *etree.Element) (Layout, bool) {
	if e == nil {
		return 0, false
	}
	if e.Tag == "EncryptedData" && e.NamespaceURI() == NamespaceXMLEnc {
		return XMLEnc, true
	}
	if projectAttr(e, "IV") != nil && projectAttr(e, "Salt") != nil {
		return Project, true
	}
	return 0, false
}

// projectAttr returns e's attribute key in the SSIS namespace, whatever
// its prefix (SSIS, p1, p4, ...).
func projectAttr(e *etree.Element, key string) *etree.Attr {
	for i := range e.Attr {
		a := &e.Attr[i]
		if a.Key == key && a.Space != "" && a.Space != "xmlns" && a.NamespaceURI() == NamespaceSSIS {
			return a
		}
	}
	return nil
}

// userKeyPrefix is the base64 of the first 18 bytes every DPAPI blob
// starts with: the version 1 and the provider GUID
// df9d8cd0-1501-11d1-8c7a-00c04fc297eb.
const userKeyPrefix = "AQAAANCMnd8BFdERjHoAwE/C"

// IsUserKeyBlob reports whether text is a Windows DPAPI blob, the form of
// the user-key protection levels (EncryptSensitiveWithUserKey,
// EncryptAllWithUserKey). No password decrypts it.
func IsUserKeyBlob(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), userKeyPrefix)
}

// Decrypt decrypts an element encrypted with password in either layout and
// returns the original element, detached from any document. The caller
// puts it in place of e (of e's parent for a package parameter, see
// package dtsx). A wrong password gives an *Error matching
// ErrWrongPassword; garbage is never returned.
func Decrypt(e *etree.Element, password string) (*etree.Element, error) {
	if e == nil {
		return nil, &Error{Element: "nil", Err: ErrMalformed, Reason: "no element"}
	}
	l, ok := Detect(e)
	if !ok {
		return nil, malformed(e, "the element is not encrypted with a password")
	}
	if l == XMLEnc {
		return decryptXMLEnc(e, password)
	}
	return decryptProject(e, password)
}

// candidate is one way to read the IV and the ciphertext.
type candidate struct{ iv, ct []byte }

func decryptXMLEnc(e *etree.Element, password string) (*etree.Element, error) {
	if t, ok := attr(e, "Type"); ok && t != TypeElement {
		return nil, &Error{Element: e.FullTag(), Err: ErrUnsupported, Reason: "EncryptedData of Type " + strconv.Quote(t)}
	}
	cd := child(e, "CipherData")
	if cd == nil {
		return nil, malformed(e, "no CipherData")
	}
	cvEl := child(cd, "CipherValue")
	if cvEl == nil {
		if child(cd, "CipherReference") != nil {
			return nil, &Error{Element: e.FullTag(), Err: ErrUnsupported, Reason: "CipherReference"}
		}
		return nil, malformed(e, "no CipherValue")
	}
	cv, err := decode64(cvEl.Text())
	if err != nil {
		return nil, malformed(e, "CipherValue is not base64")
	}
	ivAttr, err := attr64(e, "IV")
	if err != nil {
		return nil, malformed(e, "the IV attribute is not base64")
	}
	salt, err := attr64(e, "Salt")
	if err != nil {
		return nil, malformed(e, "the Salt attribute is not base64")
	}
	alg := ""
	keyBits := 0
	if m := child(e, "EncryptionMethod"); m != nil {
		alg = strings.TrimSpace(attrValue(m, "Algorithm"))
		if ks := child(m, "KeySize"); ks != nil {
			keyBits, _ = strconv.Atoi(strings.TrimSpace(ks.Text()))
		}
	}
	if ks, ok := attr(e, "KeySize"); ok {
		keyBits, _ = strconv.Atoi(strings.TrimSpace(ks))
	}
	var s Scheme
	switch alg {
	case AlgorithmTripleDES:
		s = TripleDES
	case AlgorithmAES128, AlgorithmAES192, AlgorithmAES256:
		s = AES256
		if keyBits == 0 {
			keyBits = map[string]int{AlgorithmAES128: 128, AlgorithmAES192: 192, AlgorithmAES256: 256}[alg]
		}
	case "":
		switch len(ivAttr) {
		case 8:
			s = TripleDES
		case 16:
			s = AES256
		default:
			return nil, malformed(e, "no EncryptionMethod, and an IV of %d bytes", len(ivAttr))
		}
	default:
		return nil, &Error{Element: e.FullTag(), Err: ErrUnsupported, Reason: "algorithm " + strconv.Quote(alg)}
	}
	bs := blockSize(s)
	if len(cv) < 2*bs || len(cv)%bs != 0 {
		return nil, malformed(e, "CipherValue has %d bytes, not the IV and whole %s blocks", len(cv), s)
	}
	if s == TripleDES {
		// .NET EncryptedXml reads the IV from the CipherValue; the IV
		// attribute repeats it.
		return open(e, TripleDES, tripleDESKey(password), []candidate{{cv[:bs], cv[bs:]}}, "")
	}
	// AES: UNVERIFIED. Try every IV a writer could plausibly have used.
	if keyBits == 0 {
		keyBits = 256
	}
	if keyBits != 128 && keyBits != 192 && keyBits != 256 {
		return nil, malformed(e, "AES key size %d", keyBits)
	}
	key, derivedIV, err := aesKey(password, salt, keyBits/8)
	if err != nil {
		return nil, malformed(e, "cannot derive the key: %v", err)
	}
	cands := []candidate{{cv[:bs], cv[bs:]}}
	if len(ivAttr) == bs {
		cands = append(cands, candidate{ivAttr, cv[bs:]}, candidate{ivAttr, cv})
	}
	cands = append(cands, candidate{derivedIV, cv[bs:]}, candidate{derivedIV, cv})
	return open(e, AES256, key, cands, "")
}

func decryptProject(e *etree.Element, password string) (*etree.Element, error) {
	iv, err := decode64(projectAttr(e, "IV").Value)
	if err != nil {
		return nil, malformed(e, "the IV attribute is not base64")
	}
	salt, err := decode64(projectAttr(e, "Salt").Value)
	if err != nil {
		return nil, malformed(e, "the Salt attribute is not base64")
	}
	ct, err := decode64(e.Text())
	if err != nil {
		return nil, malformed(e, "the encrypted text is not base64")
	}
	var s Scheme
	switch len(iv) {
	case 8:
		s = TripleDES
	case 16:
		s = AES256
	default:
		return nil, malformed(e, "an IV of %d bytes fits no scheme", len(iv))
	}
	bs := blockSize(s)
	if len(ct) == 0 || len(ct)%bs != 0 {
		return nil, malformed(e, "the ciphertext has %d bytes, not whole %s blocks", len(ct), s)
	}
	// The plaintext is the element's own XML, so its name must come back.
	if s == TripleDES {
		return open(e, TripleDES, tripleDESKey(password), []candidate{{iv, ct}}, e.Tag)
	}
	// AES: UNVERIFIED.
	key, derivedIV, err := aesKey(password, salt, 32)
	if err != nil {
		return nil, malformed(e, "cannot derive the key: %v", err)
	}
	cands := []candidate{{iv, ct}, {derivedIV, ct}}
	if len(ct) >= 2*bs {
		cands = append(cands, candidate{ct[:bs], ct[bs:]})
	}
	return open(e, AES256, key, cands, e.Tag)
}

// open tries each candidate and returns the first plaintext that is an
// XML element (named wantTag when it is not empty).
func open(e *etree.Element, s Scheme, key []byte, cands []candidate, wantTag string) (*etree.Element, error) {
	b, err := newBlock(s, key)
	if err != nil {
		return nil, malformed(e, "%s key: %v", s, err)
	}
	for _, c := range cands {
		pt, ok := cbcDecrypt(b, c.iv, c.ct)
		if !ok {
			continue
		}
		if el, ok := parsePlain(pt, wantTag); ok {
			return el, nil
		}
	}
	return nil, &Error{Element: e.FullTag(), Err: ErrWrongPassword}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// parsePlain accepts a plaintext only when it is UTF-8 XML holding exactly
// one element (named wantTag when it is not empty), and returns that
// element detached.
func parsePlain(pt []byte, wantTag string) (*etree.Element, bool) {
	pt = bytes.TrimPrefix(pt, utf8BOM)
	if !utf8.Valid(pt) || !oneElement(pt) {
		return nil, false
	}
	doc := etree.NewDocument()
	doc.ReadSettings.CharsetReader = passThrough
	if err := doc.ReadFromBytes(pt); err != nil {
		return nil, false
	}
	root := doc.Root()
	if root == nil || (wantTag != "" && root.Tag != wantTag) {
		return nil, false
	}
	doc.RemoveChild(root)
	return root, true
}

func passThrough(_ string, r io.Reader) (io.Reader, error) { return r, nil }

// oneElement reports whether data is well-formed XML with exactly one
// top-level element and nothing but white space, comments and processing
// instructions around it.
func oneElement(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = passThrough
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return depth == 0 && roots == 1
		}
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return false
			}
		case xml.Directive:
			return false
		}
	}
}

// Encrypt returns e encrypted with password: for XMLEnc a new
// <EncryptedData> element to put in place of e; for Project a copy of e
// with the Salt and IV attributes and the ciphertext as its text. The
// namespaces e uses are declared in the encrypted XML, as .NET's OuterXml
// does. AES256 writes the UNVERIFIED form described in the package
// documentation.
func Encrypt(e *etree.Element, password string, s Scheme, l Layout) (*etree.Element, error) {
	if e == nil {
		return nil, &Error{Element: "nil", Err: ErrMalformed, Reason: "no element"}
	}
	plain, err := outerXML(e)
	if err != nil {
		return nil, err
	}
	var saltSize int
	switch s {
	case TripleDES:
		saltSize = tripleDESSaltSize
	case AES256:
		saltSize = aesSaltSize
	default:
		return nil, &Error{Element: e.FullTag(), Err: ErrUnsupported, Reason: "scheme " + s.String()}
	}
	pad := pkcs7
	switch l {
	case XMLEnc:
		pad = iso10126
	case Project:
		plain = append(append([]byte(nil), utf8BOM...), plain...)
	default:
		return nil, &Error{Element: e.FullTag(), Err: ErrUnsupported, Reason: "layout " + l.String()}
	}
	salt := make([]byte, saltSize)
	if _, err := io.ReadFull(rand.Reader, salt); err != nil {
		return nil, err
	}
	var key, iv []byte
	if s == TripleDES {
		key = tripleDESKey(password)
		iv = make([]byte, blockSize(s))
		if _, err := io.ReadFull(rand.Reader, iv); err != nil {
			return nil, err
		}
	} else if key, iv, err = aesKey(password, salt, 32); err != nil {
		return nil, err
	}
	b, err := newBlock(s, key)
	if err != nil {
		return nil, err
	}
	ct, err := cbcEncrypt(b, iv, plain, pad, rand.Reader)
	if err != nil {
		return nil, err
	}
	b64 := base64.StdEncoding.EncodeToString
	if l == Project {
		out := e.Copy()
		out.Child = nil
		prefix := ssisPrefix(e)
		if prefix == "" {
			prefix = "p1"
			for hasNamespace(out, prefix) {
				prefix += "p"
			}
			out.CreateAttr("xmlns:"+prefix, NamespaceSSIS)
		}
		out.CreateAttr(prefix+":Salt", b64(salt))
		out.CreateAttr(prefix+":IV", b64(iv))
		out.SetText(b64(ct))
		return out, nil
	}
	alg := AlgorithmTripleDES
	if s == AES256 {
		alg = AlgorithmAES256
	}
	ed := etree.NewElement("EncryptedData")
	ed.CreateAttr("Type", TypeElement)
	ed.CreateAttr("Salt", b64(salt))
	ed.CreateAttr("IV", b64(iv))
	ed.CreateAttr("xmlns", NamespaceXMLEnc)
	ed.CreateElement("EncryptionMethod").CreateAttr("Algorithm", alg)
	ed.CreateElement("CipherData").CreateElement("CipherValue").SetText(b64(append(append([]byte(nil), iv...), ct...)))
	return ed, nil
}

// ssisPrefix returns a prefix bound to the SSIS namespace where e is, or "".
func ssisPrefix(e *etree.Element) string {
	for x := e; x != nil; x = x.Parent() {
		for _, a := range x.Attr {
			if a.Space == "xmlns" && a.Value == NamespaceSSIS && lookup(e, a.Key) == NamespaceSSIS {
				return a.Key
			}
		}
	}
	return ""
}

func hasNamespace(e *etree.Element, prefix string) bool {
	for _, a := range e.Attr {
		if a.Space == "xmlns" && a.Key == prefix {
			return true
		}
	}
	return false
}

// lookup resolves a namespace prefix ("" for the default namespace) at e.
func lookup(e *etree.Element, prefix string) string {
	for x := e; x != nil; x = x.Parent() {
		for _, a := range x.Attr {
			if (prefix == "" && a.Space == "" && a.Key == "xmlns") || (prefix != "" && a.Space == "xmlns" && a.Key == prefix) {
				return a.Value
			}
		}
	}
	return ""
}

// outerXML serializes e with a declaration of every namespace it uses that
// only an ancestor declares, so that the XML stands alone.
func outerXML(e *etree.Element) ([]byte, error) {
	cp := e.Copy()
	need := map[string]bool{}
	var walk func(x *etree.Element, declared map[string]bool)
	walk = func(x *etree.Element, declared map[string]bool) {
		local, copied := declared, false
		for _, a := range x.Attr {
			p := ""
			switch {
			case a.Space == "xmlns":
				p = a.Key
			case a.Space == "" && a.Key == "xmlns":
			default:
				continue
			}
			if !copied {
				local, copied = map[string]bool{}, true
				for k := range declared {
					local[k] = true
				}
			}
			local[p] = true
		}
		use := func(p string) {
			if p != "xml" && p != "xmlns" && !local[p] {
				need[p] = true
			}
		}
		use(x.Space)
		for _, a := range x.Attr {
			if a.Space != "" && a.Space != "xmlns" {
				use(a.Space)
			}
		}
		for _, c := range x.ChildElements() {
			walk(c, local)
		}
	}
	walk(e, map[string]bool{})
	before := len(cp.Attr)
	for p := range need {
		uri := ""
		if parent := e.Parent(); parent != nil {
			uri = lookup(parent, p)
		}
		switch {
		case p == "" && uri == "":
			// unprefixed names in no namespace: nothing to declare
		case uri == "":
			return nil, &Error{Element: e.FullTag(), Err: ErrMalformed, Reason: "namespace prefix " + strconv.Quote(p) + " is not declared"}
		case p == "":
			cp.CreateAttr("xmlns", uri)
		default:
			cp.CreateAttr("xmlns:"+p, uri)
		}
	}
	// Declarations first, as .NET writes them.
	attrs := make([]etree.Attr, 0, len(cp.Attr))
	attrs = append(attrs, cp.Attr[before:]...)
	cp.Attr = append(attrs, cp.Attr[:before]...)
	doc := etree.NewDocument()
	doc.SetRoot(cp)
	return doc.WriteToBytes()
}

// decode64 decodes base64 text, ignoring the white space SSDT may wrap it in.
func decode64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}

// attr64 decodes an optional base64 attribute.
func attr64(e *etree.Element, key string) ([]byte, error) {
	v, ok := attr(e, key)
	if !ok {
		return nil, nil
	}
	return decode64(v)
}

func attr(e *etree.Element, key string) (string, bool) {
	for _, a := range e.Attr {
		if a.Key == key && a.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

func attrValue(e *etree.Element, key string) string {
	v, _ := attr(e, key)
	return v
}

// child returns e's first child element with the local name tag.
func child(e *etree.Element, tag string) *etree.Element {
	for _, c := range e.ChildElements() {
		if c.Tag == tag {
			return c
		}
	}
	return nil
}
