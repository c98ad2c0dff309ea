package smtptest

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/crypto/md4" //nolint:staticcheck // NTLM is defined on MD4.
)

// NTLM message layout, from MS-NLMP §2.2.
var ntlmSignature = []byte("NTLMSSP\x00")

const (
	ntlmNegotiate    = 1
	ntlmChallenge    = 2
	ntlmAuthenticate = 3

	flagUnicode        = 0x00000001
	flagOEM            = 0x00000002
	flagRequestTarget  = 0x00000004
	flagNTLM           = 0x00000200
	flagAlwaysSign     = 0x00008000
	flagTargetDomain   = 0x00010000
	flagExtendedSecure = 0x00080000
	flagTargetInfo     = 0x00800000
	flag128            = 0x20000000
	flag56             = 0x80000000

	avEOL             = 0
	avNbComputerName  = 1
	avNbDomainName    = 2
	avDNSComputerName = 3
	avDNSDomainName   = 4
	avTimestamp       = 7

	challengeHeaderLen    = 48 // without the optional Version
	authenticateHeaderLen = 64 // up to NegotiateFlags
	ntlmV1ResponseLen     = 24
	ntlmV2MinResponseLen  = 16 + 28 // NTProofStr + the fixed part of the blob
)

var errNTLM = errors.New("smtptest: bad NTLM message")

// ntlmServer verifies an NTLMv2 response (MS-NLMP §3.3.2) against the
// password in Options.Users. Its exchange is NEGOTIATE (client), CHALLENGE
// (server), AUTHENTICATE (client); NTLMv1 and anonymous logons fail.
type ntlmServer struct {
	a         *authExchange
	step      int
	challenge [8]byte
}

func newNTLMServer(a *authExchange) *ntlmServer {
	n := &ntlmServer{a: a}
	_, _ = rand.Read(n.challenge[:])
	return n
}

func (n *ntlmServer) Next(response []byte) ([]byte, bool, error) {
	switch n.step {
	case 0:
		if response == nil { // AUTH NTLM without initial response
			n.step = 1
			return []byte{}, false, nil
		}
		fallthrough
	case 1:
		n.step = 2
		flags, err := parseNegotiate(response)
		if err != nil {
			return nil, false, err
		}
		return n.challengeMessage(flags), false, nil
	case 2:
		n.step = 3
		return nil, true, n.verify(response)
	}
	return nil, false, errNTLM
}

func parseNegotiate(b []byte) (uint32, error) {
	if len(b) < 16 || !bytes.Equal(b[:8], ntlmSignature) || binary.LittleEndian.Uint32(b[8:]) != ntlmNegotiate {
		return 0, errNTLM
	}
	return binary.LittleEndian.Uint32(b[12:]), nil
}

// challengeMessage builds the CHALLENGE message answering a NEGOTIATE
// message with the given flags.
func (n *ntlmServer) challengeMessage(clientFlags uint32) []byte {
	flags := uint32(flagNTLM | flagRequestTarget | flagTargetDomain)
	flags |= clientFlags & (flagExtendedSecure | flagAlwaysSign | flag128 | flag56)
	unicode := clientFlags&flagUnicode != 0
	if unicode {
		flags |= flagUnicode
	} else {
		flags |= flagOEM
	}
	netbios := n.a.ss.s.netbiosName()
	target := []byte(netbios)
	if unicode {
		target = utf16le(netbios)
	}
	var info []byte
	if n.a.ss.s.opts.NTLMTargetInfo {
		flags |= flagTargetInfo
		dns := n.a.ss.s.domain
		info = appendAV(info, avNbDomainName, utf16le(netbios))
		info = appendAV(info, avNbComputerName, utf16le(netbios))
		info = appendAV(info, avDNSDomainName, utf16le(dns))
		info = appendAV(info, avDNSComputerName, utf16le(dns))
		info = appendAV(info, avTimestamp, binary.LittleEndian.AppendUint64(nil, fileTime(time.Now())))
		info = appendAV(info, avEOL, nil)
	}

	m := make([]byte, challengeHeaderLen, challengeHeaderLen+len(target)+len(info))
	copy(m, ntlmSignature)
	binary.LittleEndian.PutUint32(m[8:], ntlmChallenge)
	putField(m[12:], len(target), challengeHeaderLen)
	binary.LittleEndian.PutUint32(m[20:], flags)
	copy(m[24:32], n.challenge[:])
	// m[32:40] is Reserved.
	putField(m[40:], len(info), challengeHeaderLen+len(target))
	m = append(m, target...)
	return append(m, info...)
}

// verify checks an AUTHENTICATE message: NTProofStr must equal
// HMAC-MD5(NTOWFv2, serverChallenge ‖ blob).
func (n *ntlmServer) verify(b []byte) error {
	if len(b) < authenticateHeaderLen || !bytes.Equal(b[:8], ntlmSignature) ||
		binary.LittleEndian.Uint32(b[8:]) != ntlmAuthenticate {
		return errNTLM
	}
	var fields [5][]byte // LM, NT, domain, user, workstation
	for i := range fields {
		f, err := field(b, 12+8*i)
		if err != nil {
			return err
		}
		fields[i] = f
	}
	unicode := binary.LittleEndian.Uint32(b[60:])&flagUnicode != 0
	nt := fields[1]
	domain, err := decodeString(fields[2], unicode)
	if err != nil {
		return err
	}
	user, err := decodeString(fields[3], unicode)
	if err != nil {
		return err
	}
	n.a.user = user
	if domain != "" {
		n.a.user = domain + `\` + user
	}

	switch {
	case user == "" || len(nt) == 0:
		return errors.New("smtptest: anonymous NTLM logon refused")
	case len(nt) == ntlmV1ResponseLen:
		return errors.New("smtptest: NTLMv1 response refused")
	case len(nt) < ntlmV2MinResponseLen:
		return errNTLM
	}
	blob := nt[16:]
	if blob[0] != 1 || blob[1] != 1 { // RespType, HiRespType
		return errNTLM
	}
	password, ok := n.a.ss.s.ntlmPassword(domain, user)
	if !ok {
		return errors.New("smtptest: unknown NTLM user")
	}
	hash := ntowfv2(password, user, domain)
	proof := hmacMD5(hash, n.challenge[:], blob)
	if !hmac.Equal(proof, nt[:16]) {
		return errors.New("smtptest: wrong NTLMv2 response")
	}
	return nil
}

// ntlmPassword looks up "DOMAIN\user" with the domain exactly as the client
// sent it, then "user" alone.
func (s *Server) ntlmPassword(domain, user string) (string, bool) {
	if domain != "" {
		if pw, ok := s.opts.Users[domain+`\`+user]; ok {
			return pw, true
		}
	}
	pw, ok := s.opts.Users[user]
	return pw, ok
}

// netbiosName is the NTLM target name: the first label of the server's
// domain, upper case, at most 15 characters.
func (s *Server) netbiosName() string {
	name, _, _ := strings.Cut(s.domain, ".")
	name = strings.ToUpper(name)
	if len(name) > 15 {
		name = name[:15]
	}
	return name
}

// ntowfv2 is HMAC-MD5(MD4(UTF16LE(password)), UTF16LE(UPPER(user) + domain)).
func ntowfv2(password, user, domain string) []byte {
	h := md4.New()
	h.Write(utf16le(password))
	return hmacMD5(h.Sum(nil), utf16le(strings.ToUpper(user)+domain))
}

func hmacMD5(key []byte, data ...[]byte) []byte {
	mac := hmac.New(md5.New, key)
	for _, d := range data {
		mac.Write(d)
	}
	return mac.Sum(nil)
}

// field returns the payload a (Len, MaxLen, Offset) field at off points to.
func field(b []byte, off int) ([]byte, error) {
	l := int(binary.LittleEndian.Uint16(b[off:]))
	start := int(binary.LittleEndian.Uint32(b[off+4:]))
	if start < 0 || start > len(b) || l > len(b)-start {
		return nil, errNTLM
	}
	return b[start : start+l], nil
}

func putField(b []byte, length, offset int) {
	binary.LittleEndian.PutUint16(b, uint16(length))
	binary.LittleEndian.PutUint16(b[2:], uint16(length))
	binary.LittleEndian.PutUint32(b[4:], uint32(offset))
}

func appendAV(b []byte, id uint16, value []byte) []byte {
	b = binary.LittleEndian.AppendUint16(b, id)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(value)))
	return append(b, value...)
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

func decodeString(b []byte, unicode bool) (string, error) {
	if !unicode {
		return string(b), nil
	}
	if len(b)%2 != 0 {
		return "", errNTLM
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u)), nil
}

// fileTime is t as a Windows FILETIME: 100 ns units since 1601-01-01.
func fileTime(t time.Time) uint64 {
	return uint64(t.UnixNano()/100) + 116444736000000000
}
