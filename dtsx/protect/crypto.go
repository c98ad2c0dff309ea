package protect

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
)

// Scheme is a password cipher of SSIS.
type Scheme int

// The schemes. TripleDES is verified on real files; AES256 is not (see the
// package documentation).
const (
	// TripleDES is 3DES-CBC with CryptDeriveKey(SHA-1) of the password:
	// SSIS 2005 to 2016.
	TripleDES Scheme = iota + 1
	// AES256 is AES-256-CBC with PBKDF2-HMAC-SHA1 (1000 iterations) of the
	// password and the salt: SSDT 2017 and later. UNVERIFIED.
	AES256
)

// String returns "TripleDES" or "AES256".
func (s Scheme) String() string {
	switch s {
	case TripleDES:
		return "TripleDES"
	case AES256:
		return "AES256"
	}
	return fmt.Sprintf("Scheme(%d)", int(s))
}

// aesIterations is the PBKDF2 iteration count of the AES scheme
// (UNVERIFIED, from ssis-build issue #25).
const aesIterations = 1000

// aesSaltSize is the size of the salt the AES scheme writes (UNVERIFIED).
const aesSaltSize = 8

// tripleDESSaltSize is the size of the salt SSIS writes with TripleDES; the
// salt is stored but takes no part in the key.
const tripleDESSaltSize = 7

// tripleDESKey derives the 3DES key of a password as .NET's
// PasswordDeriveBytes.CryptDeriveKey("TripleDES", "SHA1", 192, iv) does,
// which is CryptoAPI's CryptDeriveKey: H = SHA1(UTF-8 password), then
// SHA1(H^0x36..) || SHA1(H^0x5C..) over 64-byte buffers, cut to 24 bytes.
func tripleDESKey(password string) []byte {
	h := sha1.Sum([]byte(password))
	var b1, b2 [64]byte
	for i := range b1 {
		b1[i], b2[i] = 0x36, 0x5C
	}
	for i, c := range h {
		b1[i] ^= c
		b2[i] ^= c
	}
	k1, k2 := sha1.Sum(b1[:]), sha1.Sum(b2[:])
	return append(k1[:], k2[:]...)[:24]
}

// aesKey derives the AES key and IV of a password and salt as .NET's
// Rfc2898DeriveBytes(password, salt, 1000) does when asked for keySize
// bytes and then 16 more: the first keySize bytes of PBKDF2-HMAC-SHA1 are
// the key, the next 16 the IV. UNVERIFIED for SSIS.
func aesKey(password string, salt []byte, keySize int) (key, iv []byte, err error) {
	return aesKeyIter(password, salt, keySize, aesIterations)
}

func aesKeyIter(password string, salt []byte, keySize, iter int) (key, iv []byte, err error) {
	dk, err := pbkdf2.Key(sha1.New, password, salt, iter, keySize+aes.BlockSize)
	if err != nil {
		return nil, nil, err
	}
	return dk[:keySize], dk[keySize:], nil
}

// newBlock returns the block cipher of a scheme for key.
func newBlock(s Scheme, key []byte) (cipher.Block, error) {
	switch s {
	case TripleDES:
		return des.NewTripleDESCipher(key)
	case AES256:
		return aes.NewCipher(key)
	}
	return nil, errors.New("unknown scheme")
}

// blockSize returns the cipher block size of a scheme.
func blockSize(s Scheme) int {
	if s == AES256 {
		return aes.BlockSize
	}
	return des.BlockSize
}

// cbcDecrypt decrypts ct with iv and removes the padding. ok is false when
// the padding is not valid, which is what a wrong key gives most of the time.
// The length of ct must be a positive multiple of the block size.
func cbcDecrypt(b cipher.Block, iv, ct []byte) (pt []byte, ok bool) {
	bs := b.BlockSize()
	if len(iv) != bs || len(ct) == 0 || len(ct)%bs != 0 {
		return nil, false
	}
	out := make([]byte, len(ct))
	cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, ct)
	// ISO 10126 (random filler) and PKCS #7 (filler = length) both end in
	// the pad length: only that byte can be checked for both.
	n := int(out[len(out)-1])
	if n == 0 || n > bs {
		return nil, false
	}
	return out[:len(out)-n], true
}

// padding is how the last block is filled before encryption.
type padding int

const (
	pkcs7    padding = iota // project files
	iso10126                // EncryptedData (.NET EncryptedXml's default)
)

// cbcEncrypt pads pt and encrypts it with iv.
func cbcEncrypt(b cipher.Block, iv, pt []byte, p padding, rand io.Reader) ([]byte, error) {
	bs := b.BlockSize()
	n := bs - len(pt)%bs
	buf := make([]byte, len(pt)+n)
	copy(buf, pt)
	if p == iso10126 {
		if _, err := io.ReadFull(rand, buf[len(pt):len(buf)-1]); err != nil {
			return nil, err
		}
	} else {
		for i := len(pt); i < len(buf)-1; i++ {
			buf[i] = byte(n)
		}
	}
	buf[len(buf)-1] = byte(n)
	cipher.NewCBCEncrypter(b, iv).CryptBlocks(buf, buf)
	return buf, nil
}
