package protect_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx/protect"
	"github.com/dtsx-run/dtsx/internal/testcorpus"
)

// parse reads an XML document for a test.
func parse(t testing.TB, s string) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(s); err != nil {
		t.Fatalf("test XML: %v", err)
	}
	return doc
}

// xmlOf serializes an element.
func xmlOf(e *etree.Element) string {
	doc := etree.NewDocument()
	doc.SetRoot(e.Copy())
	s, _ := doc.WriteToString()
	return s
}

// checkWrong checks that err is the typed wrong-password error and says
// nothing it must not.
func checkWrong(t *testing.T, what string, err error, secrets ...string) {
	t.Helper()
	if !errors.Is(err, protect.ErrWrongPassword) {
		t.Errorf("%s: error %v, want ErrWrongPassword", what, err)
		return
	}
	var pe *protect.Error
	if !errors.As(err, &pe) {
		t.Errorf("%s: error %T, want a *protect.Error", what, err)
	}
	if !strings.Contains(err.Error(), "the package password is wrong") {
		t.Errorf("%s: message %q lacks %q", what, err, "the package password is wrong")
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("%s: message %q shows %q", what, err, s)
		}
	}
}

const connXML = `<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:ObjectName="Warehouse">
  <DTS:ObjectData>
    <DTS:ConnectionManager DTS:ConnectionString="Data Source=dw;User ID=etl;">
      <DTS:Password DTS:Name="Password" Sensitive="1">Pa55-w0rd;"quoted"&amp;</DTS:Password>
    </DTS:ConnectionManager>
  </DTS:ObjectData>
</DTS:ConnectionManager>`

// TestRoundTrip encrypts and decrypts an element in both layouts with both
// schemes, in place in its document as a loader sees it.
func TestRoundTrip(t *testing.T) {
	for _, s := range []protect.Scheme{protect.TripleDES, protect.AES256} {
		for _, l := range []protect.Layout{protect.XMLEnc, protect.Project} {
			t.Run(s.String()+"/"+l.String(), func(t *testing.T) {
				const password = "Round-trip pässwörd"
				doc := parse(t, connXML)
				pw := doc.FindElement("//Password")
				want := `<DTS:Password xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:Name="Password" Sensitive="1">Pa55-w0rd;&quot;quoted&quot;&amp;</DTS:Password>`
				enc, err := protect.Encrypt(pw, password, s, l)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(xmlOf(enc), "Pa55-w0rd") {
					t.Fatalf("the encrypted element shows the secret: %s", xmlOf(enc))
				}
				parent := pw.Parent()
				i := pw.Index()
				parent.RemoveChildAt(i)
				parent.InsertChildAt(i, enc)
				// Write and read back, as a file would be.
				text, err := doc.WriteToString()
				if err != nil {
					t.Fatal(err)
				}
				doc = parse(t, text)
				var found *etree.Element
				for _, e := range inOrder(doc.Root()) {
					if got, ok := protect.Detect(e); ok {
						if got != l {
							t.Errorf("Detect = %v, want %v", got, l)
						}
						found = e
					}
				}
				if found == nil {
					t.Fatalf("no encrypted element in\n%s", text)
				}
				if l == protect.Project && (found.Tag != "Password" || found.SelectAttr("SSIS:Salt") == nil && found.SelectAttr("p1:Salt") == nil) {
					t.Errorf("project layout: %s", xmlOf(found))
				}
				dec, err := protect.Decrypt(found, password)
				if err != nil {
					t.Fatalf("Decrypt: %v", err)
				}
				if got := xmlOf(dec); got != want {
					t.Errorf("decrypted\n%s\nwant\n%s", got, want)
				}
				if dec.Text() != `Pa55-w0rd;"quoted"&` {
					t.Errorf("decrypted value %q", dec.Text())
				}
				for _, wrong := range []string{"", "round-trip pässwörd", password + " ", "x"} {
					_, err := protect.Decrypt(found, wrong)
					checkWrong(t, fmt.Sprintf("password %q", wrong), err, "Pa55-w0rd", password)
				}
			})
		}
	}
}

// TestEncryptProjectPrefix checks that the project layout reuses a prefix
// bound to the SSIS namespace, and declares one when there is none.
func TestEncryptProjectPrefix(t *testing.T) {
	doc := parse(t, `<SSIS:Parameters xmlns:SSIS="www.microsoft.com/SqlServer/SSIS"><SSIS:Property SSIS:Name="Value" SSIS:Sensitive="1">v</SSIS:Property></SSIS:Parameters>`)
	enc, err := protect.Encrypt(doc.FindElement("//Property"), "pw", protect.TripleDES, protect.Project)
	if err != nil {
		t.Fatal(err)
	}
	if enc.SelectAttr("SSIS:Salt") == nil || enc.SelectAttr("SSIS:IV") == nil || enc.SelectAttr("xmlns:p1") != nil {
		t.Errorf("with SSIS in scope: %s", xmlOf(enc))
	}
	doc = parse(t, connXML)
	enc, err = protect.Encrypt(doc.Root(), "pw", protect.TripleDES, protect.Project)
	if err != nil {
		t.Fatal(err)
	}
	if enc.SelectAttr("p1:IV") == nil || enc.SelectAttrValue("xmlns:p1", "") != protect.NamespaceSSIS {
		t.Errorf("without SSIS in scope: %s", xmlOf(enc))
	}
	if enc.SelectAttrValue("DTS:ObjectName", "") != "Warehouse" || len(enc.ChildElements()) != 0 {
		t.Errorf("the encrypted element must keep its attributes and lose its children: %s", xmlOf(enc))
	}
	if _, err := protect.Encrypt(doc.Root(), "pw", protect.Scheme(9), protect.XMLEnc); !errors.Is(err, protect.ErrUnsupported) {
		t.Errorf("unknown scheme: %v", err)
	}
	if _, err := protect.Encrypt(doc.Root(), "pw", protect.TripleDES, protect.Layout(9)); !errors.Is(err, protect.ErrUnsupported) {
		t.Errorf("unknown layout: %v", err)
	}
	// An undeclared prefix cannot be made to stand alone.
	bad := etree.NewElement("X:Y")
	if _, err := protect.Encrypt(bad, "pw", protect.TripleDES, protect.XMLEnc); !errors.Is(err, protect.ErrMalformed) {
		t.Errorf("undeclared prefix: %v", err)
	}
}

// TestCorpus decrypts every password-protected value of the corpus and
// checks the plaintexts the reference gives (B.5), and the wrong password.
func TestCorpus(t *testing.T) {
	dir := testcorpus.Dir(t)
	type blob struct {
		tag, text string // the decrypted element's local name and text ("" = not checked)
	}
	tests := []struct {
		file, password string
		want           []blob
	}{
		{"rtumaykin__ssis-build/example__SampleSSISProject__SampleSSISProject__Package 221.dtsx", "ssis123",
			[]blob{{"Password", "db-01"}, {"Property", "2"}}},
		{"rtumaykin__ssis-build/example__SampleSSISProject__SampleSSISProject__Project.params", "ssis123",
			[]blob{{"Property", "master"}}},
		{"rtumaykin__ssis-build/example__SampleSSISProject__SampleSSISProject__db-01 msdb.conmgr", "ssis123",
			[]blob{{"Password", "Rbylpvfhfekb1"}}},
		{"rtumaykin__ssis-build/example__SampleSSISProject__SampleSSISProject__FTP Connection Manager.conmgr", "ssis123",
			[]blob{{"Property", "12345"}}},
		{"rtumaykin__ssis-build/example__SampleSSISProject__SampleSSISProject__SampleSSISProject.dtproj", "ssis123",
			[]blob{{"Property", "SSIS"}, {"Property", "2"}}},
		{"shirashiki__ssis/template__template__security_test_pass_is_banana.dtsx", "banana",
			[]blob{{"Executable", ""}}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(data); err != nil {
				t.Fatal(err)
			}
			var got []*etree.Element
			for _, e := range inOrder(doc.Root()) {
				if _, ok := protect.Detect(e); !ok {
					continue
				}
				dec, err := protect.Decrypt(e, tt.password)
				if err != nil {
					t.Fatalf("<%s>: %v", e.FullTag(), err)
				}
				got = append(got, dec)
				_, err = protect.Decrypt(e, tt.password+"1")
				checkWrong(t, "wrong password", err, tt.password)
				_, err = protect.Decrypt(e, strings.ToUpper(tt.password))
				checkWrong(t, "upper-case password", err, tt.password)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d encrypted elements, want %d", len(got), len(tt.want))
			}
			for i, w := range tt.want {
				if got[i].Tag != w.tag || (w.text != "" && got[i].Text() != w.text) {
					t.Errorf("element %d: <%s>%s, want <%s>%s", i, got[i].FullTag(), got[i].Text(), w.tag, w.text)
				}
			}
			if strings.HasSuffix(tt.file, "banana.dtsx") {
				if pl := got[0].SelectAttrValue("DTS:ProtectionLevel", ""); pl != "3" {
					t.Errorf("decrypted package: ProtectionLevel %q, want 3", pl)
				}
				if v := got[0].FindElement(`.//Variable[@DTS:ObjectName='VarSecurityTest']/VariableValue`); v == nil || v.Text() != "Secret text 1" {
					t.Errorf("decrypted package: VarSecurityTest not found with its value")
				}
			}
		})
	}
}

// inOrder lists e and the elements below it in document order.
func inOrder(e *etree.Element) []*etree.Element {
	out := []*etree.Element{e}
	for _, c := range e.ChildElements() {
		out = append(out, inOrder(c)...)
	}
	return out
}

// TestDamaged runs the decryptor on damaged and foreign inputs: each gives
// a typed error and none panics or returns an element.
func TestDamaged(t *testing.T) {
	good, err := protect.Encrypt(parse(t, connXML).FindElement("//Password"), "pw", protect.TripleDES, protect.XMLEnc)
	if err != nil {
		t.Fatal(err)
	}
	cv := good.FindElement("CipherData/CipherValue").Text()
	raw, _ := base64.StdEncoding.DecodeString(cv)
	b64 := base64.StdEncoding.EncodeToString
	flipped := append([]byte(nil), raw...)
	flipped[len(flipped)-9] ^= 0x40 // the block before the last: garbles the padding
	enc := func(attrs, method, cipherData string) string {
		return `<EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element" ` + attrs + `>` +
			method + cipherData + `</EncryptedData>`
	}
	tdes := `<EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#tripledes-cbc"/>`
	value := func(v string) string { return `<CipherData><CipherValue>` + v + `</CipherValue></CipherData>` }
	proj := func(iv, text string) string {
		return `<SSIS:Property xmlns:SSIS="www.microsoft.com/SqlServer/SSIS" SSIS:Name="Value" SSIS:Salt="AAAAAAAAAA==" SSIS:IV="` + iv + `">` + text + `</SSIS:Property>`
	}
	tests := []struct {
		name, xml string
		want      error
	}{
		{"no CipherData", enc(`IV="AAAAAAAAAAA="`, tdes, ``), protect.ErrMalformed},
		{"no CipherValue", enc(``, tdes, `<CipherData/>`), protect.ErrMalformed},
		{"CipherReference", enc(``, tdes, `<CipherData><CipherReference URI="x"/></CipherData>`), protect.ErrUnsupported},
		{"not base64", enc(``, tdes, value("@@@@")), protect.ErrMalformed},
		{"empty", enc(``, tdes, value("")), protect.ErrMalformed},
		{"IV only", enc(``, tdes, value("AAAAAAAAAAA=")), protect.ErrMalformed},
		{"partial block", enc(``, tdes, value(b64(raw[:len(raw)-3]))), protect.ErrMalformed},
		{"truncated base64", enc(``, tdes, value(cv[:len(cv)-5])), protect.ErrMalformed},
		{"cut at a block", enc(``, tdes, value(b64(raw[:len(raw)-8]))), protect.ErrWrongPassword},
		{"bit flipped", enc(``, tdes, value(b64(flipped))), protect.ErrWrongPassword},
		{"zero ciphertext", enc(``, tdes, value(b64(make([]byte, 64)))), protect.ErrWrongPassword},
		{"bad IV attribute", enc(`IV="%%"`, tdes, value(cv)), protect.ErrMalformed},
		{"bad Salt attribute", enc(`Salt="%%"`, tdes, value(cv)), protect.ErrMalformed},
		{"unknown algorithm", enc(``, `<EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#kw-aes128"/>`, value(cv)), protect.ErrUnsupported},
		{"Content type", strings.Replace(enc(``, tdes, value(cv)), "#Element", "#Content", 1), protect.ErrUnsupported},
		{"no method, odd IV", enc(`IV="AAAA"`, ``, value(cv)), protect.ErrMalformed},
		{"no method, 3DES IV", enc(`IV="AAAAAAAAAAA="`, ``, value(cv)), nil},
		{"AES bad key size", enc(`KeySize="100"`, `<EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/>`, value(b64(make([]byte, 48)))), protect.ErrMalformed},
		{"AES zero ciphertext", enc(``, `<EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>`, value(b64(make([]byte, 48)))), protect.ErrWrongPassword},
		{"project: IV of 5 bytes", proj("AAAAAAA=", cv), protect.ErrMalformed},
		{"project: text not base64", proj("AAAAAAAAAAA=", "***"), protect.ErrMalformed},
		{"project: empty text", proj("AAAAAAAAAAA=", ""), protect.ErrMalformed},
		{"project: partial block", proj("AAAAAAAAAAA=", "AAAAAAAA"), protect.ErrMalformed},
		{"project: AES zero ciphertext", proj("AAAAAAAAAAAAAAAAAAAAAA==", b64(make([]byte, 32))), protect.ErrWrongPassword},
		{"project: EncryptedData plaintext under another name", proj(b64(raw[:8]), b64(raw[8:])), protect.ErrWrongPassword},
		{"not encrypted", `<DTS:Password xmlns:DTS="www.microsoft.com/SqlServer/Dts" Sensitive="1">x</DTS:Password>`, protect.ErrMalformed},
		{"EncryptedData in another namespace", `<EncryptedData><CipherData><CipherValue>` + cv + `</CipherValue></CipherData></EncryptedData>`, protect.ErrMalformed},
		{"IV attribute in no namespace", `<Property Salt="AAAAAAAAAA==" IV="AAAAAAAAAAA=">` + cv + `</Property>`, protect.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parse(t, tt.xml).Root()
			got, err := protect.Decrypt(e, "pw")
			if tt.want == nil {
				if err != nil || got == nil || got.Text() != `Pa55-w0rd;"quoted"&` {
					t.Errorf("got %v, %v; want the plaintext", got, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			if got != nil {
				t.Errorf("an element came back with the error: %s", xmlOf(got))
			}
			var pe *protect.Error
			if err != nil && !errors.As(err, &pe) {
				t.Errorf("error %T, want *protect.Error", err)
			}
		})
	}
	if _, err := protect.Decrypt(nil, "pw"); !errors.Is(err, protect.ErrMalformed) {
		t.Errorf("nil element: %v", err)
	}
	if _, ok := protect.Detect(nil); ok {
		t.Error("Detect(nil) is true")
	}
}

// TestIsUserKeyBlob recognises the DPAPI blobs of the user-key levels.
func TestIsUserKeyBlob(t *testing.T) {
	for s, want := range map[string]bool{
		"AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAAYf8Z48VuREaie0TCJKhlVgAAAA": true,
		"\n   AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA1TFA":                  true,
		"AQAAANCMnd8B":                     false, // too short to be sure
		"QcjNO0DmmroaXlt0IS/GdNdaC4RaYRPD": false,
		"":                                 false,
	} {
		if got := protect.IsUserKeyBlob(s); got != want {
			t.Errorf("IsUserKeyBlob(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestStrings covers the names of schemes and layouts.
func TestStrings(t *testing.T) {
	for got, want := range map[string]string{
		protect.TripleDES.String(): "TripleDES", protect.AES256.String(): "AES256", protect.Scheme(7).String(): "Scheme(7)",
		protect.XMLEnc.String(): "XMLEnc", protect.Project.String(): "Project", protect.Layout(0).String(): "Layout(0)",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}

// FuzzDecrypt feeds the decryptor arbitrary encrypted elements of both
// layouts: it must never panic, and succeed only with one element.
func FuzzDecrypt(f *testing.F) {
	doc := parse(f, connXML)
	for _, s := range []protect.Scheme{protect.TripleDES, protect.AES256} {
		enc, err := protect.Encrypt(doc.FindElement("//Password"), "pw", s, protect.XMLEnc)
		if err != nil {
			f.Fatal(err)
		}
		alg := enc.FindElement("EncryptionMethod").SelectAttrValue("Algorithm", "")
		f.Add(enc.FindElement("CipherData/CipherValue").Text(), enc.SelectAttrValue("IV", ""), enc.SelectAttrValue("Salt", ""), alg, "pw", false)
		proj, err := protect.Encrypt(doc.FindElement("//Password"), "pw", s, protect.Project)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(proj.Text(), proj.SelectAttrValue("p1:IV", ""), proj.SelectAttrValue("p1:Salt", ""), "", "pw", true)
	}
	f.Add("", "", "", "", "", false)
	f.Fuzz(func(t *testing.T, cipher, iv, salt, alg, password string, project bool) {
		var e *etree.Element
		if project {
			e = etree.NewElement("DTS:Password")
			e.CreateAttr("xmlns:p1", protect.NamespaceSSIS)
			e.CreateAttr("p1:Salt", salt)
			e.CreateAttr("p1:IV", iv)
			e.SetText(cipher)
		} else {
			e = etree.NewElement("EncryptedData")
			e.CreateAttr("xmlns", protect.NamespaceXMLEnc)
			e.CreateAttr("IV", iv)
			e.CreateAttr("Salt", salt)
			e.CreateElement("EncryptionMethod").CreateAttr("Algorithm", alg)
			e.CreateElement("CipherData").CreateElement("CipherValue").SetText(cipher)
		}
		got, err := protect.Decrypt(e, password)
		if (err == nil) == (got == nil) {
			t.Fatalf("Decrypt returned %v and %v", got, err)
		}
		if err != nil && !errors.Is(err, protect.ErrWrongPassword) && !errors.Is(err, protect.ErrMalformed) && !errors.Is(err, protect.ErrUnsupported) {
			t.Fatalf("untyped error %v", err)
		}
		if got != nil && project && got.Tag != "Password" {
			t.Fatalf("project layout gave <%s>", got.FullTag())
		}
	})
}

// Example_roundTrip encrypts a connection manager's password as a package
// saved with EncryptSensitiveWithPassword holds it, and decrypts it back.
func Example_roundTrip() {
	doc := etree.NewDocument()
	_ = doc.ReadFromString(`<DTS:ConnectionManager xmlns:DTS="www.microsoft.com/SqlServer/Dts"><DTS:Password DTS:Name="Password" Sensitive="1">s3cret</DTS:Password></DTS:ConnectionManager>`)
	pw := doc.FindElement("//Password")
	enc, err := protect.Encrypt(pw, "ssis123", protect.TripleDES, protect.XMLEnc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(enc.Tag, enc.FindElement("EncryptionMethod").SelectAttrValue("Algorithm", ""))

	dec, err := protect.Decrypt(enc, "ssis123")
	fmt.Println(dec.FullTag(), dec.Text(), err)

	_, err = protect.Decrypt(enc, "wrong")
	fmt.Println(err, errors.Is(err, protect.ErrWrongPassword))
	// Output:
	// EncryptedData http://www.w3.org/2001/04/xmlenc#tripledes-cbc
	// DTS:Password s3cret <nil>
	// protect: <EncryptedData>: the package password is wrong true
}
