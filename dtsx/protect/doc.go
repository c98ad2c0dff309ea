// Package protect decrypts and encrypts the password-protected parts of SSIS
// files: the protection levels EncryptSensitiveWithPassword (2) and
// EncryptAllWithPassword (3) of packages (.dtsx) and of the project files
// around them (.conmgr, Project.params, the project manifest of a .dtproj or
// an .ispac).
//
// It owns the two layouts SSIS writes:
//
//   - Layout XMLEnc, in packages: the protected element (or the whole
//     package) is replaced by an XML-Encryption <EncryptedData> element
//     (namespace http://www.w3.org/2001/04/xmlenc#) whose CipherValue is the
//     base64 of the IV followed by the ciphertext of the element's XML.
//   - Layout Project, in project files: the element keeps its name, gains
//     SSIS:Salt and SSIS:IV attributes (the prefix varies; the namespace is
//     www.microsoft.com/SqlServer/SSIS) and its text becomes the base64
//     ciphertext of its own XML, preceded by a UTF-8 byte order mark.
//
// and the two ciphers SSIS has used:
//
//   - TripleDES, written by SSIS 2005 to 2016. Verified on real files saved
//     by SSDT: the key is CryptoAPI's CryptDeriveKey over SHA-1 of the UTF-8
//     password (the Salt attribute is not used), the cipher 3DES-CBC with the
//     IV stored in the file, the padding ISO 10126 (packages) or PKCS #7
//     (project files).
//   - AES256, written by SSDT 2017 and later. UNVERIFIED: it follows the one
//     public description (a comment in rtumaykin/ssis-build issue #25:
//     PBKDF2-HMAC-SHA1 over the password and the 8-byte Salt, 1000
//     iterations, a 32-byte key), and no file saved by SSDT has confirmed it.
//     The decryptor tries the plausible IVs (the CipherValue prefix, the IV
//     attribute, the next 16 bytes of PBKDF2) and accepts only well-formed
//     XML: should this description be wrong, a right password is reported
//     as wrong (ErrWrongPassword), never turned into wrong values.
//
// A wrong password is detected by the padding, then by requiring the
// plaintext to be well-formed UTF-8 XML with one root element (of the same
// name as the encrypted element in the project layout). Errors never quote
// a plaintext, a ciphertext or the password.
//
// The user-key levels (EncryptSensitiveWithUserKey, EncryptAllWithUserKey)
// use Windows DPAPI, which cannot be decrypted off the author's Windows
// profile; IsUserKeyBlob recognises their values so that callers can say so.
//
// The package knows nothing of the document model: it works on etree
// elements and returns elements, which package dtsx splices into its tree.
package protect
