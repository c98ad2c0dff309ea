package smtp

// SASL GSSAPI (RFC 4752) over the Kerberos V5 GSS-API mechanism (RFC 4121),
// built from gokrb5's messages: the initial context token with the AP-REQ
// (mutual authentication required), the server's AP-REP, then the
// security-layer negotiation. dtsx asks for no security layer: TLS protects
// the session.
//
//	C: AUTH GSSAPI
//	S: 334                                  (empty challenge)
//	C: GSS token: OID 1.2.840.113554.1.2.2, TOK_ID 01 00, AP-REQ
//	S: 334 GSS token: TOK_ID 02 00, AP-REP   (context established)
//	C: (empty response)
//	S: 334 wrap token: [layers offered, max size (3 octets)]
//	C: wrap token: [0x01 no security layer, 0, 0, 0] + authzid
//	S: 235

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/chksumtype"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/iana/flags"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
)

// krb5OID is the DER encoding of the Kerberos V5 GSS-API mechanism,
// 1.2.840.113554.1.2.2 (RFC 1964).
var krb5OID = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02}

// Context token identifiers (RFC 4121 §4.1) and wrap token constants
// (§4.2.2, §4.2.6.2).
var (
	tokAPReq    = [2]byte{0x01, 0x00}
	tokAPRep    = [2]byte{0x02, 0x00}
	tokKRBError = [2]byte{0x03, 0x00}
	tokWrap     = [2]byte{0x05, 0x04}
	tokWrapV1   = [2]byte{0x02, 0x01} // RFC 1964 / RFC 4757 (DES, RC4) wrap token
)

const (
	wrapSentByAcceptor = 0x01
	wrapSealed         = 0x02
	wrapAcceptorSubkey = 0x04

	// GSS-API context flags in the authenticator checksum (RFC 4121 §4.1.1.1).
	gssMutual = 0x02
	gssInteg  = 0x20

	// RFC 4752 §3.3 security layers.
	layerNone = 0x01
)

// gssapiClient is the SASL GSSAPI client of one AUTH exchange.
type gssapiClient struct {
	ticket messages.Ticket
	key    types.EncryptionKey // the ticket's session key
	crealm string
	cname  types.PrincipalName
	spn    string
	// authzid is the authorization identity sent with the security layer;
	// empty: the identity of the ticket.
	authzid string

	step   int
	auth   types.Authenticator  // sent in the AP-REQ: ctime, seq
	subkey *types.EncryptionKey // the acceptor subkey of the AP-REP, if any
	// Offered is the security-layer octet and MaxSize the maximum size the
	// server offered, for tests and logs.
	offered byte
	maxSize uint32
}

const (
	gssStart   = iota // AUTH GSSAPI sent; an empty challenge asks for the token
	gssContext        // AP-REQ sent; the AP-REP is awaited
	gssLayers         // context established; the wrapped layers are awaited
	gssDone
)

// Start sends AUTH GSSAPI without an initial response: a ticket in base64
// may exceed the server's command line limit (Postfix: 2048 octets), while
// a response line may be 12288 (RFC 4954).
func (c *gssapiClient) Start() (string, []byte, error) {
	if !newEnctype(c.key.KeyType) {
		return "", nil, &KerberosError{Principal: c.principal(), ServicePrincipal: c.spn, kind: ErrUnsupported,
			Msg:  fmt.Sprintf("the session key of the ticket for %s is of encryption type %d, whose GSS-API tokens (RFC 1964, RFC 4757) dtsx does not speak", c.spn, c.key.KeyType),
			hint: "enable AES (aes256-cts-hmac-sha1-96) for the service principal and the account"}
	}
	return mechGSSAPI, nil, nil
}

// Next answers each challenge of the exchange.
func (c *gssapiClient) Next(challenge []byte) ([]byte, error) {
	switch c.step {
	case gssStart:
		if len(challenge) != 0 {
			return nil, c.fail("the server's first GSSAPI challenge is not empty")
		}
		c.step = gssContext
		return c.initialToken()
	case gssContext:
		if err := c.acceptReply(challenge); err != nil {
			return nil, err
		}
		c.step = gssLayers
		return []byte{}, nil
	case gssLayers:
		c.step = gssDone
		return c.securityLayer(challenge)
	}
	return nil, c.fail("the server sent a challenge after the GSSAPI exchange ended")
}

func (c *gssapiClient) principal() string {
	return principal{name: c.cname.NameString, realm: c.crealm}.String()
}

func (c *gssapiClient) fail(format string, a ...any) *KerberosError {
	return &KerberosError{Principal: c.principal(), ServicePrincipal: c.spn, kind: ErrAuth, Msg: fmt.Sprintf(format, a...),
		hint: "the server does not follow RFC 4752 as dtsx expects; check its GSSAPI settings"}
}

// newEnctype reports an encryption type with RFC 4121 per-message tokens.
func newEnctype(t int32) bool {
	switch t {
	case etypeID.AES128_CTS_HMAC_SHA1_96, etypeID.AES256_CTS_HMAC_SHA1_96,
		etypeID.AES128_CTS_HMAC_SHA256_128, etypeID.AES256_CTS_HMAC_SHA384_192:
		return true
	}
	return false
}

// initialToken makes the initial context token: an AP-REQ whose
// authenticator carries the GSS-API checksum (no channel bindings; mutual
// authentication and integrity asked for).
func (c *gssapiClient) initialToken() ([]byte, error) {
	auth, err := types.NewAuthenticator(c.crealm, c.cname)
	if err != nil {
		return nil, err
	}
	cksum := make([]byte, 24)
	binary.LittleEndian.PutUint32(cksum[0:4], 16) // length of the (zero) channel bindings hash
	binary.LittleEndian.PutUint32(cksum[20:24], gssMutual|gssInteg)
	auth.Cksum = types.Checksum{CksumType: chksumtype.GSSAPI, Checksum: cksum}
	req, err := messages.NewAPReq(c.ticket, c.key, auth)
	if err != nil {
		return nil, err
	}
	types.SetFlag(&req.APOptions, flags.APOptionMutualRequired)
	b, err := req.Marshal()
	if err != nil {
		return nil, err
	}
	c.auth = auth
	return gssToken(tokAPReq, b), nil
}

// acceptReply checks the server's AP-REP: it must decrypt with the session
// key and echo the authenticator's time, which proves the server holds the
// service key. It may carry the acceptor subkey for the wrap tokens.
func (c *gssapiClient) acceptReply(tok []byte) error {
	if len(tok) == 0 {
		return c.fail("the server sent no AP-REP, so it did not prove it holds the key of %s (mutual authentication)", c.spn)
	}
	id, body, err := parseGSSToken(tok)
	if err != nil {
		return c.fail("the server's GSSAPI reply is not a Kerberos token: %v", err)
	}
	switch id {
	case tokKRBError:
		var ke messages.KRBError
		if err := ke.Unmarshal(body); err != nil {
			return c.fail("the server's KRB-ERROR does not parse")
		}
		return &KerberosError{Code: ke.ErrorCode, Principal: c.principal(), ServicePrincipal: c.spn, kind: ErrAuth,
			Msg:  fmt.Sprintf("the server refused the ticket of %s for %s", c.principal(), c.spn),
			hint: "check the clocks, and that the server's keytab holds the current key of " + c.spn}
	case tokAPRep:
	default:
		return c.fail("the server's GSSAPI reply has token id %x, not an AP-REP", id)
	}
	var rep messages.APRep
	if err := rep.Unmarshal(body); err != nil {
		return c.fail("the server's AP-REP does not parse")
	}
	plain, err := crypto.DecryptEncPart(rep.EncPart, c.key, keyusage.AP_REP_ENCPART)
	if err != nil {
		return c.fail("the server's AP-REP does not decrypt with the session key: it is not %s", c.spn)
	}
	var part messages.EncAPRepPart
	if err := part.Unmarshal(plain); err != nil {
		return c.fail("the server's AP-REP does not parse")
	}
	if part.CTime.Unix() != c.auth.CTime.Unix() || part.Cusec != c.auth.Cusec {
		return c.fail("the server's AP-REP does not answer this authenticator (mutual authentication failed)")
	}
	if part.Subkey.KeyType != 0 {
		sk := part.Subkey
		c.subkey = &sk
	}
	return nil
}

// securityLayer unwraps the server's offer (RFC 4752 §3.1) and answers with
// no security layer, a maximum size of 0 and the authorization identity.
func (c *gssapiClient) securityLayer(tok []byte) ([]byte, error) {
	payload, err := c.unwrap(tok)
	if err != nil {
		return nil, err
	}
	if len(payload) != 4 {
		return nil, c.fail("the server's security-layer message has %d octets, not 4", len(payload))
	}
	c.offered, c.maxSize = payload[0], uint32(payload[1])<<16|uint32(payload[2])<<8|uint32(payload[3])
	if c.offered&layerNone == 0 {
		ke := c.fail("the server offers only SASL security layers (octet %#02x), and dtsx uses TLS instead", c.offered)
		ke.kind, ke.hint = ErrUnsupported, "allow no security layer on the server (Cyrus SASL: minimum SSF 0), and use EnableSsl=True"
		return nil, ke
	}
	return c.wrap(append([]byte{layerNone, 0, 0, 0}, c.authzid...))
}

// key returns the key of the per-message tokens: the acceptor subkey when
// the server sent one, else the session key (dtsx sends no subkey).
func (c *gssapiClient) msgKey() types.EncryptionKey {
	if c.subkey != nil {
		return *c.subkey
	}
	return c.key
}

// unwrap checks an RFC 4121 wrap token from the server and returns its
// payload. RFC 4752 says the server's is not sealed; a sealed one is read
// too.
func (c *gssapiClient) unwrap(tok []byte) ([]byte, error) {
	if len(tok) < gssapi.HdrLen {
		return nil, c.fail("the server's security-layer message is %d octets, shorter than a wrap token", len(tok))
	}
	switch {
	case [2]byte(tok[0:2]) == tokWrapV1:
		ke := c.fail("the server sent an RFC 1964 wrap token (DES or RC4 keys), which dtsx does not speak")
		ke.kind, ke.hint = ErrUnsupported, "enable AES for the service principal"
		return nil, ke
	case [2]byte(tok[0:2]) != tokWrap || tok[3] != gssapi.FillerByte:
		return nil, c.fail("the server's security-layer message is not a wrap token")
	}
	fl := tok[2]
	if fl&wrapSentByAcceptor == 0 {
		return nil, c.fail("the server's wrap token is not marked as sent by the acceptor")
	}
	if fl&wrapAcceptorSubkey != 0 && c.subkey == nil {
		return nil, c.fail("the server's wrap token uses an acceptor subkey that its AP-REP did not carry")
	}
	key := c.msgKey()
	ec := int(binary.BigEndian.Uint16(tok[4:6]))
	rrc := int(binary.BigEndian.Uint16(tok[6:8]))
	data := tok[gssapi.HdrLen:]
	if len(data) > 0 && rrc%len(data) != 0 { // undo the right rotation (RFC 4121 §4.2.5)
		r := rrc % len(data)
		data = append(append([]byte{}, data[r:]...), data[:r]...)
	}
	if fl&wrapSealed != 0 {
		plain, err := crypto.DecryptMessage(data, key, keyusage.GSSAPI_ACCEPTOR_SEAL)
		if err != nil || len(plain) < ec+gssapi.HdrLen {
			return nil, c.fail("the server's sealed wrap token does not decrypt with the session key")
		}
		hdr := plain[len(plain)-gssapi.HdrLen:]
		want := append(append([]byte{}, tok[0:6]...), 0, 0) // the header with RRC 0
		want = append(want, tok[8:16]...)
		if !bytes.Equal(hdr, want) {
			return nil, c.fail("the server's sealed wrap token has a changed header")
		}
		return plain[:len(plain)-gssapi.HdrLen-ec], nil
	}
	if ec > len(data) {
		return nil, c.fail("the server's wrap token is shorter than its checksum")
	}
	wt := gssapi.WrapToken{Flags: fl, EC: uint16(ec), RRC: 0, SndSeqNum: binary.BigEndian.Uint64(tok[8:16]),
		Payload: data[:len(data)-ec], CheckSum: data[len(data)-ec:]}
	if ok, _ := wt.Verify(key, keyusage.GSSAPI_ACCEPTOR_SEAL); !ok {
		return nil, c.fail("the server's wrap token fails its checksum")
	}
	return wt.Payload, nil
}

// wrap makes the client's wrap token: integrity only, with the sequence
// number of the authenticator.
func (c *gssapiClient) wrap(payload []byte) ([]byte, error) {
	key := c.msgKey()
	var fl byte
	if c.subkey != nil {
		fl |= wrapAcceptorSubkey
	}
	et, err := crypto.GetEtype(key.KeyType)
	if err != nil {
		return nil, err
	}
	wt := gssapi.WrapToken{Flags: fl, EC: uint16(et.GetHMACBitLength() / 8), SndSeqNum: uint64(c.auth.SeqNumber), Payload: payload}
	if err := wt.SetCheckSum(key, keyusage.GSSAPI_INITIATOR_SEAL); err != nil {
		return nil, err
	}
	return wt.Marshal()
}

// gssToken frames a Kerberos message as a GSS-API token (RFC 2743 §3.1):
// [APPLICATION 0] { mechanism OID, token id, message }.
func gssToken(id [2]byte, msg []byte) []byte {
	inner := append(append(append([]byte{}, krb5OID...), id[:]...), msg...)
	out := []byte{0x60}
	if n := len(inner); n < 0x80 {
		out = append(out, byte(n))
	} else {
		var l []byte
		for ; n > 0; n >>= 8 {
			l = append([]byte{byte(n)}, l...)
		}
		out = append(append(out, 0x80|byte(len(l))), l...)
	}
	return append(out, inner...)
}

// parseGSSToken reads a GSS-API token of the Kerberos mechanism.
func parseGSSToken(b []byte) (id [2]byte, msg []byte, err error) {
	if len(b) < 2 || b[0] != 0x60 {
		return id, nil, fmt.Errorf("no GSS-API token header")
	}
	n, rest := int(b[1]), b[2:]
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 4 || len(rest) < k {
			return id, nil, fmt.Errorf("bad token length")
		}
		n = 0
		for _, x := range rest[:k] {
			n = n<<8 | int(x)
		}
		rest = rest[k:]
	}
	if n != len(rest) {
		return id, nil, fmt.Errorf("token length %d, %d octets present", n, len(rest))
	}
	if !bytes.HasPrefix(rest, krb5OID) || len(rest) < len(krb5OID)+2 {
		return id, nil, fmt.Errorf("not the Kerberos V5 mechanism")
	}
	rest = rest[len(krb5OID):]
	return [2]byte(rest[0:2]), rest[2:], nil
}
