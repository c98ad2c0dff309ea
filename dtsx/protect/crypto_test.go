package protect

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTripleDESKey checks the CryptDeriveKey expansion against the key the
// reference (expressions-protection-configurations.md, B.3) derived for
// "ssis123" and verified on files saved by SSDT.
func TestTripleDESKey(t *testing.T) {
	want := unhex(t, "60a8b283d275564731c89b3c92fcb672852543296ba29f7d")
	if got := tripleDESKey("ssis123"); !bytes.Equal(got, want) {
		t.Errorf("tripleDESKey(ssis123) = %x, want %x", got, want)
	}
	if bytes.Equal(tripleDESKey("ssis123"), tripleDESKey("ssis124")) {
		t.Error("two passwords give the same key")
	}
}

// TestPBKDF2Vectors checks the AES key derivation (key, then IV, from one
// PBKDF2-HMAC-SHA1 stream) against RFC 6070. The AES scheme itself is
// UNVERIFIED for SSIS; these vectors pin only the derivation it describes.
func TestPBKDF2Vectors(t *testing.T) {
	tests := []struct {
		password, salt string
		iter           int
		want           string
	}{
		{"password", "salt", 1, "0c60c80f961f0e71f3a9b524af6012062fe037a6"},
		{"password", "salt", 2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"},
		{"password", "salt", 4096, "4b007901b765489abead49d926f721d065a429c1"},
		{"passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096,
			"3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"},
		{"pass\x00word", "sa\x00lt", 4096, "56fa6aa75548099dcc37d7f03425e0c3"},
	}
	for _, tt := range tests {
		want := unhex(t, tt.want)
		key, iv, err := aesKeyIter(tt.password, []byte(tt.salt), len(want)-16, tt.iter)
		if err != nil {
			t.Fatal(err)
		}
		if got := append(key, iv...); !bytes.Equal(got, want) {
			t.Errorf("PBKDF2(%q, %q, %d) = %x, want %x", tt.password, tt.salt, tt.iter, got, want)
		}
	}
	key, iv, err := aesKey("ssis123", []byte("12345678"), 32)
	if err != nil || len(key) != 32 || len(iv) != 16 {
		t.Errorf("aesKey: %d-byte key, %d-byte IV, %v; want 32, 16", len(key), len(iv), err)
	}
}

// TestAESCBCVector runs the AES-256 cipher of the scheme on NIST SP 800-38A
// F.2.5 (CBC-AES256.Encrypt): padding only adds a block at the end, so the
// first blocks are the vector's ciphertext.
func TestAESCBCVector(t *testing.T) {
	key := unhex(t, "603deb1015ca71be2b73aef0857d7781 1f352c073b6108d72d9810a30914dff4")
	iv := unhex(t, "000102030405060708090a0b0c0d0e0f")
	pt := unhex(t, "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"+
		"30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710")
	want := unhex(t, "f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d"+
		"39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b")
	b, err := newBlock(AES256, key)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := cbcEncrypt(b, iv, pt, pkcs7, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(ct) != len(pt)+16 || !bytes.Equal(ct[:len(pt)], want) {
		t.Fatalf("ciphertext %x, want %x followed by one padding block", ct, want)
	}
	back, ok := cbcDecrypt(b, iv, ct)
	if !ok || !bytes.Equal(back, pt) {
		t.Errorf("decrypt: %x, %v; want the plaintext", back, ok)
	}
}

// TestPadding covers the padding check: valid lengths for both paddings,
// and the values a wrong key produces.
func TestPadding(t *testing.T) {
	b, err := newBlock(TripleDES, tripleDESKey("x"))
	if err != nil {
		t.Fatal(err)
	}
	iv := make([]byte, 8)
	for _, p := range []padding{pkcs7, iso10126} {
		for n := 0; n <= 17; n++ {
			pt := bytes.Repeat([]byte{'a'}, n)
			ct, err := cbcEncrypt(b, iv, pt, p, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if len(ct)%8 != 0 || len(ct) <= n {
				t.Fatalf("padding %d, %d bytes: ciphertext of %d bytes", p, n, len(ct))
			}
			back, ok := cbcDecrypt(b, iv, ct)
			if !ok || !bytes.Equal(back, pt) {
				t.Errorf("padding %d, %d bytes: got %q, %v", p, n, back, ok)
			}
		}
	}
	// Craft last blocks whose pad byte is 0 and 9: both invalid for 3DES.
	for _, last := range []byte{0, 9, 255} {
		blk := bytes.Repeat([]byte{1}, 8)
		blk[7] = last
		ct := make([]byte, 8)
		b.Encrypt(ct, blk) // CBC with a zero IV is one block encryption
		if _, ok := cbcDecrypt(b, iv, ct); ok {
			t.Errorf("pad byte %d accepted", last)
		}
	}
	for _, ct := range [][]byte{nil, make([]byte, 7), make([]byte, 9)} {
		if _, ok := cbcDecrypt(b, iv, ct); ok {
			t.Errorf("%d-byte ciphertext accepted", len(ct))
		}
	}
	if _, ok := cbcDecrypt(b, make([]byte, 16), make([]byte, 8)); ok {
		t.Error("a 16-byte IV accepted for 3DES")
	}
}

// TestAESVariants checks that the AES decryptor (UNVERIFIED scheme) reads
// each IV placement it claims to: derived IV without a CipherValue prefix,
// and, in the project layout, a derived IV with another IV attribute.
func TestAESVariants(t *testing.T) {
	const password = "Variant-Pw"
	plain := []byte(`<DTS:Password xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:Name="Password" Sensitive="1">v-secret</DTS:Password>`)
	salt := []byte("8bytes!!")
	key, iv, err := aesKey(password, salt, 32)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newBlock(AES256, key)
	ct, err := cbcEncrypt(b, iv, plain, iso10126, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString
	build := func(ivAttr []byte, cv []byte) *etree.Element {
		ed := etree.NewElement("EncryptedData")
		ed.CreateAttr("xmlns", NamespaceXMLEnc)
		ed.CreateAttr("Salt", b64(salt))
		ed.CreateAttr("IV", b64(ivAttr))
		ed.CreateElement("EncryptionMethod").CreateAttr("Algorithm", AlgorithmAES256)
		ed.CreateElement("CipherData").CreateElement("CipherValue").SetText(b64(cv))
		return ed
	}
	other := bytes.Repeat([]byte{7}, 16)
	for name, ed := range map[string]*etree.Element{
		"prefixed":                   build(iv, append(append([]byte(nil), iv...), ct...)),
		"IV attribute, no prefix":    build(iv, ct),
		"derived IV, other IV attr":  build(other, ct),
		"prefix, other IV attribute": build(other, append(append([]byte(nil), iv...), ct...)),
	} {
		got, err := Decrypt(ed, password)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got.Text() != "v-secret" {
			t.Errorf("%s: decrypted text %q", name, got.Text())
		}
		if _, err := Decrypt(ed, password+"!"); !errors.Is(err, ErrWrongPassword) {
			t.Errorf("%s: wrong password gives %v", name, err)
		}
	}

	// Project layout with the derived IV but another IV attribute.
	pct, err := cbcEncrypt(b, iv, append(append([]byte(nil), utf8BOM...), plain...), pkcs7, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<DTS:Password xmlns:DTS="www.microsoft.com/SqlServer/Dts" DTS:Name="Password" Sensitive="1" p1:Salt="` +
		b64(salt) + `" p1:IV="` + b64(other) + `" xmlns:p1="www.microsoft.com/SqlServer/SSIS">` + b64(pct) + `</DTS:Password>`); err != nil {
		t.Fatal(err)
	}
	got, err := Decrypt(doc.Root(), password)
	if err != nil || got.Text() != "v-secret" {
		t.Errorf("project layout, derived IV: %v, %v", got, err)
	}
}
