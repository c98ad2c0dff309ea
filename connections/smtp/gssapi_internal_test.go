package smtp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gofork/encoding/asn1"
	"github.com/jcmturner/gokrb5/v8/asn1tools"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/asnAppTag"
	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/iana/flags"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/iana/msgtype"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
)

const (
	testRealm = "TEST.LOCAL"
	testSPN   = "smtp/mail.test.local"
)

// serviceKeytab holds the key of smtp/mail.test.local, as the server's keytab.
func serviceKeytab(t *testing.T, password string) *keytab.Keytab {
	t.Helper()
	kt := keytab.New()
	if err := kt.AddEntry(testSPN, testRealm, password, time.Now(), 1, etypeID.AES256_CTS_HMAC_SHA1_96); err != nil {
		t.Fatal(err)
	}
	return kt
}

// forgeTicket makes the service ticket a KDC would issue to client.
func forgeTicket(t *testing.T, svc *keytab.Keytab, client principal) (messages.Ticket, types.EncryptionKey) {
	t.Helper()
	now := time.Now().UTC()
	tkt, key, err := messages.NewTicket(types.PrincipalName{NameType: nametype.KRB_NT_PRINCIPAL, NameString: client.name}, client.realm,
		types.NewPrincipalName(nametype.KRB_NT_PRINCIPAL, testSPN), testRealm, types.NewKrbFlags(), svc,
		etypeID.AES256_CTS_HMAC_SHA1_96, 1, now, now, now.Add(time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return tkt, key
}

// acceptor is the server side of RFC 4752 written from RFC 4121 with
// gokrb5's primitives, as MIT's acceptor behaves: it checks the AP-REQ with
// the service keytab, answers with an AP-REP (with an acceptor subkey unless
// noSubkey), offers security layers in a wrap token and checks the reply.
type acceptor struct {
	kt       *keytab.Keytab
	noSubkey bool
	offer    byte   // security layers offered; 0x07 when 0
	sealed   bool   // seal the offer (RFC 4752 says not to; some do)
	rrc      uint16 // rotate the offer's data

	client  string // who authenticated
	auth    types.Authenticator
	session types.EncryptionKey
	subkey  *types.EncryptionKey
	apOpts  asn1.BitString
}

func (a *acceptor) accept(tok []byte) ([]byte, error) {
	id, body, err := parseGSSToken(tok)
	if err != nil || id != tokAPReq {
		return nil, fmt.Errorf("not an AP-REQ token: %v %x", err, id)
	}
	var req messages.APReq
	if err := req.Unmarshal(body); err != nil {
		return nil, err
	}
	if err := req.Ticket.DecryptEncPart(a.kt, nil); err != nil {
		return nil, fmt.Errorf("ticket: %v", err)
	}
	a.session = req.Ticket.DecryptedEncPart.Key
	if err := req.DecryptAuthenticator(a.session); err != nil {
		return nil, err
	}
	a.auth, a.apOpts = req.Authenticator, req.APOptions
	ck := a.auth.Cksum
	if ck.CksumType != 32771 || len(ck.Checksum) < 24 || binary.LittleEndian.Uint32(ck.Checksum[0:4]) != 16 ||
		binary.LittleEndian.Uint32(ck.Checksum[20:24])&gssMutual == 0 || !types.IsFlagSet(&req.APOptions, flags.APOptionMutualRequired) {
		return nil, fmt.Errorf("bad GSS checksum or AP options: %x", ck.Checksum)
	}
	a.client = principal{name: a.auth.CName.NameString, realm: a.auth.CRealm}.String()
	part := messages.EncAPRepPart{CTime: a.auth.CTime, Cusec: a.auth.Cusec, SequenceNumber: 12345}
	if !a.noSubkey {
		et, _ := crypto.GetEtype(a.session.KeyType)
		sk, err := types.GenerateEncryptionKey(et)
		if err != nil {
			return nil, err
		}
		part.Subkey, a.subkey = sk, &sk
	}
	return apRepToken(part, a.session), nil
}

func apRepToken(part messages.EncAPRepPart, key types.EncryptionKey) []byte {
	b, err := asn1.Marshal(part)
	if err != nil {
		panic(err)
	}
	ed, err := crypto.GetEncryptedData(asn1tools.AddASNAppTag(b, asnAppTag.EncAPRepPart), key, keyusage.AP_REP_ENCPART, 0)
	if err != nil {
		panic(err)
	}
	rb, err := asn1.Marshal(messages.APRep{PVNO: 5, MsgType: msgtype.KRB_AP_REP, EncPart: ed})
	if err != nil {
		panic(err)
	}
	return gssToken(tokAPRep, asn1tools.AddASNAppTag(rb, asnAppTag.APREP))
}

func (a *acceptor) key() (types.EncryptionKey, byte) {
	if a.subkey != nil {
		return *a.subkey, wrapAcceptorSubkey
	}
	return a.session, 0
}

// offerLayers is the server's wrap token: [layers, max size 4096].
func (a *acceptor) offerLayers() []byte {
	offer := a.offer
	if offer == 0 {
		offer = 0x07
	}
	payload := []byte{offer, 0x00, 0x10, 0x00}
	key, fl := a.key()
	fl |= wrapSentByAcceptor
	var tok []byte
	if a.sealed {
		fl |= wrapSealed
		hdr := []byte{0x05, 0x04, fl, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x30, 0x39}
		et, _ := crypto.GetEtype(key.KeyType)
		_, ct, err := et.EncryptMessage(key.KeyValue, append(append([]byte{}, payload...), hdr...), keyusage.GSSAPI_ACCEPTOR_SEAL)
		if err != nil {
			panic(err)
		}
		tok = append(hdr, ct...)
	} else {
		wt := gssapi.WrapToken{Flags: fl, EC: 12, SndSeqNum: 12345, Payload: payload}
		if err := wt.SetCheckSum(key, keyusage.GSSAPI_ACCEPTOR_SEAL); err != nil {
			panic(err)
		}
		tok, _ = wt.Marshal()
	}
	if a.rrc != 0 {
		data := tok[16:]
		r := int(a.rrc) % len(data)
		rotated := append(append([]byte{}, data[len(data)-r:]...), data[:len(data)-r]...)
		tok = append(tok[:16:16], rotated...)
		binary.BigEndian.PutUint16(tok[6:8], a.rrc)
	}
	return tok
}

// check verifies the client's wrap token and returns its payload.
func (a *acceptor) check(tok []byte) ([]byte, error) {
	var wt gssapi.WrapToken
	if err := wt.Unmarshal(tok, false); err != nil {
		return nil, err
	}
	key, fl := a.key()
	if wt.Flags != fl || wt.SndSeqNum != uint64(a.auth.SeqNumber) {
		return nil, fmt.Errorf("flags %#x seq %d, want %#x %d", wt.Flags, wt.SndSeqNum, fl, a.auth.SeqNumber)
	}
	if ok, err := wt.Verify(key, keyusage.GSSAPI_INITIATOR_SEAL); !ok {
		return nil, err
	}
	return wt.Payload, nil
}

func newTestClient(t *testing.T, svc *keytab.Keytab) *gssapiClient {
	alice := principal{name: []string{"alice"}, realm: testRealm}
	tkt, key := forgeTicket(t, svc, alice)
	return &gssapiClient{ticket: tkt, key: key, crealm: testRealm,
		cname: types.PrincipalName{NameType: nametype.KRB_NT_PRINCIPAL, NameString: alice.name}, spn: testSPN}
}

// TestGSSAPIExchange runs the client through RFC 4752 against the scripted
// acceptor: AUTH without initial response, AP-REQ, AP-REP, the security
// layers, with the exact header of the reply checked.
func TestGSSAPIExchange(t *testing.T) {
	for _, tt := range []struct {
		name string
		acc  acceptor
	}{
		{"acceptor subkey", acceptor{}},
		{"session key", acceptor{noSubkey: true}},
		{"sealed offer", acceptor{sealed: true}},
		{"rotated offer", acceptor{rrc: 7}},
		{"sealed and rotated", acceptor{sealed: true, rrc: 28}},
		{"no security layer only", acceptor{offer: layerNone}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc := serviceKeytab(t, "svc-key-1")
			a := tt.acc
			a.kt = svc
			c := newTestClient(t, svc)
			mech, ir, err := c.Start()
			if mech != "GSSAPI" || ir != nil || err != nil {
				t.Fatalf("Start = %q, %x, %v; want GSSAPI without initial response", mech, ir, err)
			}
			tok, err := c.Next([]byte{})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := a.accept(tok)
			if err != nil {
				t.Fatalf("acceptor: %v", err)
			}
			if a.client != "alice@TEST.LOCAL" {
				t.Errorf("acceptor authenticated %q", a.client)
			}
			resp, err := c.Next(rep)
			if err != nil || resp == nil || len(resp) != 0 {
				t.Fatalf("after AP-REP: %x, %v; want an empty (non-nil) response", resp, err)
			}
			reply, err := c.Next(a.offerLayers())
			if err != nil {
				t.Fatal(err)
			}
			_, fl := a.key()
			want := []byte{0x05, 0x04, fl, 0xff, 0x00, 0x0c, 0x00, 0x00}
			want = binary.BigEndian.AppendUint64(want, uint64(a.auth.SeqNumber))
			want = append(want, 0x01, 0x00, 0x00, 0x00)
			if len(reply) != len(want)+12 || !bytes.Equal(reply[:len(want)], want) {
				t.Errorf("reply %x, want %x + 12 octets of checksum", reply, want)
			}
			payload, err := a.check(reply)
			if err != nil || !bytes.Equal(payload, []byte{layerNone, 0, 0, 0}) {
				t.Errorf("acceptor reads %x, %v; want 01000000", payload, err)
			}
			if c.maxSize != 4096 {
				t.Errorf("max size %d, want 4096", c.maxSize)
			}
			if _, err := c.Next([]byte{1}); err == nil {
				t.Error("a challenge after the exchange was answered")
			}
		})
	}
}

// TestGSSAPIExchangeFailures: every deviation is refused with a
// *KerberosError naming the principals.
func TestGSSAPIExchangeFailures(t *testing.T) {
	svc := serviceKeytab(t, "svc-key-1")
	other := serviceKeytab(t, "another-key")
	krbErr := messages.NewKRBError(types.NewPrincipalName(nametype.KRB_NT_PRINCIPAL, testSPN), testRealm, errorcode.KRB_AP_ERR_SKEW, "")
	krbErrBytes, _ := krbErr.Marshal()
	tests := []struct {
		name string
		// run drives the client to the failure and returns its error.
		run  func(c *gssapiClient, a *acceptor) error
		want string
		kind error
	}{
		{"first challenge not empty", func(c *gssapiClient, a *acceptor) error { _, err := c.Next([]byte("x")); return err },
			"not empty", ErrAuth},
		{"no AP-REP", func(c *gssapiClient, a *acceptor) error {
			c.Next(nil)
			_, err := c.Next([]byte{})
			return err
		}, "mutual authentication", ErrAuth},
		{"AP-REP of another key", func(c *gssapiClient, a *acceptor) error {
			c.Next(nil)
			_, err := c.Next(apRepToken(messages.EncAPRepPart{CTime: time.Now(), Cusec: 1}, forgeKey(t, other)))
			return err
		}, "does not decrypt", ErrAuth},
		{"AP-REP for another authenticator", func(c *gssapiClient, a *acceptor) error {
			c.Next(nil)
			_, err := c.Next(apRepToken(messages.EncAPRepPart{CTime: time.Now().Add(-time.Hour), Cusec: 1}, c.key))
			return err
		}, "does not answer this authenticator", ErrAuth},
		{"KRB-ERROR token", func(c *gssapiClient, a *acceptor) error {
			c.Next(nil)
			_, err := c.Next(gssToken(tokKRBError, krbErrBytes))
			return err
		}, "KRB_AP_ERR_SKEW", ErrAuth},
		{"garbage reply", func(c *gssapiClient, a *acceptor) error {
			c.Next(nil)
			_, err := c.Next([]byte("334 NTLM supported"))
			return err
		}, "not a Kerberos token", ErrAuth},
		{"integrity or privacy only", func(c *gssapiClient, a *acceptor) error {
			a.offer = 0x06
			return exchangeTo(c, a, nil)
		}, "only SASL security layers", ErrUnsupported},
		{"tampered offer", func(c *gssapiClient, a *acceptor) error {
			return exchangeTo(c, a, func(tok []byte) { tok[16] ^= 0x01 })
		}, "fails its checksum", ErrAuth},
		{"offer from the initiator", func(c *gssapiClient, a *acceptor) error {
			return exchangeTo(c, a, func(tok []byte) { tok[2] &^= wrapSentByAcceptor })
		}, "not marked as sent by the acceptor", ErrAuth},
		{"RFC 1964 wrap token", func(c *gssapiClient, a *acceptor) error {
			return exchangeTo(c, a, func(tok []byte) { tok[0], tok[1] = 0x02, 0x01 })
		}, "RFC 1964", ErrUnsupported},
		{"short offer", func(c *gssapiClient, a *acceptor) error {
			tok, _ := c.Next([]byte{})
			rep, _ := a.accept(tok)
			c.Next(rep)
			_, err := c.Next([]byte{0x05, 0x04})
			return err
		}, "shorter than a wrap token", ErrAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, svc)
			err := tt.run(c, &acceptor{kt: svc})
			var ke *KerberosError
			if !errors.As(err, &ke) || !strings.Contains(err.Error(), tt.want) || ke.kind != tt.kind ||
				ke.Principal != "alice@TEST.LOCAL" || ke.ServicePrincipal != testSPN {
				t.Errorf("err = %#v (%v), want a %v KerberosError saying %q", err, err, tt.kind, tt.want)
			}
		})
	}
	t.Run("RC4 session key", func(t *testing.T) {
		c := newTestClient(t, svc)
		c.key.KeyType = etypeID.RC4_HMAC
		if _, _, err := c.Start(); !errors.Is(err, ErrKerberos) || !strings.Contains(err.Error(), "encryption type 23") {
			t.Errorf("err = %v", err)
		}
	})
}

func forgeKey(t *testing.T, kt *keytab.Keytab) types.EncryptionKey {
	_, key := forgeTicket(t, kt, principal{name: []string{"x"}, realm: testRealm})
	return key
}

// exchangeTo runs the exchange up to the offer, changed by tamper.
func exchangeTo(c *gssapiClient, a *acceptor, tamper func([]byte)) error {
	tok, err := c.Next([]byte{})
	if err != nil {
		return err
	}
	rep, err := a.accept(tok)
	if err != nil {
		return err
	}
	if _, err := c.Next(rep); err != nil {
		return err
	}
	offer := a.offerLayers()
	if tamper != nil {
		tamper(offer)
	}
	_, err = c.Next(offer)
	return err
}

func TestGSSToken(t *testing.T) {
	for _, n := range []int{0, 100, 116, 117, 300, 70000} {
		msg := bytes.Repeat([]byte{0xab}, n)
		tok := gssToken(tokAPReq, msg)
		id, body, err := parseGSSToken(tok)
		if err != nil || id != tokAPReq || !bytes.Equal(body, msg) {
			t.Errorf("%d octets: %x, %d octets, %v", n, id, len(body), err)
		}
	}
	// RFC 2743 §3.1: short form below 128 octets of content.
	if got := gssToken(tokAPRep, []byte{0x30, 0x00})[:4]; !bytes.Equal(got, []byte{0x60, 0x0f, 0x06, 0x09}) {
		t.Errorf("header %x", got)
	}
	for _, bad := range [][]byte{nil, {0x60}, {0x60, 0x05, 1, 2}, {0x30, 0x00}, {0x60, 0x84, 0xff, 0xff, 0xff, 0xff}, gssToken(tokAPReq, nil)[:12]} {
		if _, _, err := parseGSSToken(bad); err == nil {
			t.Errorf("parseGSSToken(%x) accepted", bad)
		}
	}
}

func newTestConfig(kdc string) (*config.Config, error) {
	return config.NewFromString(testKrb5Conf(kdc))
}

// testKrb5Conf is a krb5.conf for realm TEST.LOCAL with its KDC at kdc
// and no DNS lookups.
func testKrb5Conf(kdc string) string {
	return fmt.Sprintf(`[libdefaults]
    default_realm = TEST.LOCAL
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    udp_preference_limit = 1
[realms]
    TEST.LOCAL = {
        kdc = %s
    }
[domain_realm]
    .test.local = TEST.LOCAL
    test.local = TEST.LOCAL
`, kdc)
}

// gssapiFixture prepares a GSSAPI test with no KDC: a krb5.conf naming an
// unreachable one, no keytab or ticket cache from the environment, the fence
// on loopback, alice's keytab (its path returned) and the service's keytab;
// the test replaces krbTicket, which is restored when it ends.
func gssapiFixture(t *testing.T) (ktPath string, svc *keytab.Keytab) {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "krb5.conf")
	if err := os.WriteFile(conf, []byte(testKrb5Conf("127.0.0.1:1")), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvKrb5Config, conf)
	t.Setenv(EnvKrb5Keytab, "")
	t.Setenv(EnvKrb5ClientKeytab, "")
	t.Setenv(EnvKrb5CCache, "FILE:"+filepath.Join(dir, "no-cache"))
	t.Setenv(EnvAllowedHosts, "127.0.0.1")
	user := keytab.New()
	if err := user.AddEntry("alice", testRealm, "alice-pw", time.Now(), 1, etypeID.AES256_CTS_HMAC_SHA1_96); err != nil {
		t.Fatal(err)
	}
	ktPath = filepath.Join(dir, "alice.keytab")
	b, _ := user.Marshal()
	if err := os.WriteFile(ktPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	svc = serviceKeytab(t, "svc-key-1")
	old := krbTicket
	t.Cleanup(func() { krbTicket = old })
	return ktPath, svc
}
