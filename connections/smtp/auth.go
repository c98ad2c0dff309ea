package smtp

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/Azure/go-ntlmssp"
	"github.com/emersion/go-sasl"
)

// SASL mechanism names as sent in AUTH.
const (
	mechNTLM    = "NTLM"
	mechGSSAPI  = "GSSAPI"
	mechPlain   = "PLAIN"
	mechLogin   = "LOGIN"
	mechXOAUTH2 = "XOAUTH2"
)

// mechanism returns the SASL mechanism the settings ask for: AuthMechanism
// when set, else for UseWindowsAuthentication=True GSSAPI when a Kerberos
// credential is configured (Windows prefers Kerberos too) and NTLM
// otherwise, else none.
func mechanism(cfg *Config) string {
	switch {
	case cfg.AuthMechanism != "" && !strings.EqualFold(cfg.AuthMechanism, AuthAnonymous):
		return strings.ToUpper(cfg.AuthMechanism)
	case cfg.AuthMechanism == "" && cfg.UseWindowsAuthentication && kerberosConfigured(cfg):
		return mechGSSAPI
	case cfg.AuthMechanism == "" && cfg.UseWindowsAuthentication:
		return mechNTLM
	}
	return ""
}

// credential finds the credential a mechanism needs: the connection
// string's own UserName/Domain/Password first, then Options.Credentials.
func (d *dialer) credential(mech string) (Credential, error) {
	if mech == "" {
		return Credential{}, nil
	}
	if mech == mechGSSAPI {
		return d.kerberosCredential()
	}
	c := Credential{UserName: d.cfg.UserName, Domain: d.cfg.Domain, Password: d.cfg.Password, Source: "the connection string"}
	if c.Empty() && d.opts.Credentials != nil {
		found, ok, err := d.opts.Credentials.Credential(d.name)
		if err != nil {
			return Credential{}, &Error{Kind: ErrNoCredential, Manager: d.name, Server: d.addr, Op: "auth", Err: err}
		}
		if ok {
			c = found
		}
	}
	missing := c.UserName == "" || (mech == mechXOAUTH2 && c.Token == "") || (mech != mechXOAUTH2 && c.Password == "")
	if missing {
		what := "PASSWORD"
		if mech == mechXOAUTH2 {
			what = "TOKEN"
		}
		return Credential{}, &Error{Kind: ErrNoCredential, Manager: d.name, Server: d.addr, Op: "auth",
			Err: fmt.Errorf("%s needs a user name and a %s", mechName(d.cfg, mech), strings.ToLower(what)),
			Hint: fmt.Sprintf("set %s and %s (or %s and %s for every connection)%s",
				EnvName(d.name, "USERNAME"), EnvName(d.name, what), EnvName("", "USERNAME"), EnvName("", what),
				d.opts.option(", or give %s", "--credentials FILE"))}
	}
	return c, nil
}

// mechName says how the settings asked for mech, for messages.
func mechName(cfg *Config, mech string) string {
	if cfg.UseWindowsAuthentication && cfg.AuthMechanism == "" {
		return "UseWindowsAuthentication=True (" + mech + ")"
	}
	return "AuthMechanism=" + mech
}

// userForInfo is the user of c as Info shows it: DOMAIN\user when c
// names a domain.
func userForInfo(c Credential) string {
	user, domain := c.SplitUser()
	if domain != "" {
		return domain + `\` + user
	}
	return user
}

// ntlmClient is SASL NTLM as MS-SMTPNTLM describes it: the NEGOTIATE
// message goes as the initial response of AUTH NTLM; the server's CHALLENGE
// is answered with an NTLMv2 AUTHENTICATE message (go-ntlmssp). A server
// that ignores the initial response and answers with an empty or
// non-base64 334 ("334 NTLM supported", as Exchange does to a bare AUTH
// NTLM) is sent the NEGOTIATE message again.
type ntlmClient struct {
	user, domain, password, workstation string
	negotiate                           []byte
	answered                            bool
}

func newNTLMClient(c Credential) *ntlmClient {
	user, domain := c.SplitUser()
	ws, _ := os.Hostname()
	if i := strings.IndexByte(ws, '.'); i > 0 {
		ws = ws[:i]
	}
	return &ntlmClient{user: user, domain: domain, password: c.Password, workstation: strings.ToUpper(ws)}
}

func (c *ntlmClient) Start() (string, []byte, error) {
	neg, err := ntlmssp.NewNegotiateMessage(c.domain, c.workstation)
	if err != nil {
		return "", nil, err
	}
	c.negotiate = neg
	return "NTLM", neg, nil
}

func (c *ntlmClient) Next(challenge []byte) ([]byte, error) {
	if len(challenge) == 0 {
		return c.negotiate, nil
	}
	if c.answered {
		return nil, errors.New("NTLM: unexpected second challenge")
	}
	c.answered = true
	name := c.user
	if c.domain != "" {
		name = c.domain + `\` + c.user
	}
	msg, err := ntlmssp.NewAuthenticateMessage(challenge, name, c.password,
		&ntlmssp.AuthenticateMessageOptions{WorkstationName: c.workstation})
	if err != nil {
		// go-ntlmssp's errors name flags, never the password.
		return nil, errors.New("NTLM: cannot answer the server's challenge: " + err.Error())
	}
	return msg, nil
}

// xoauth2Client is Google's and Microsoft's XOAUTH2: one initial response
// with the user and the bearer token; on failure the server sends a JSON
// error as a 334 challenge, answered with an empty line to get the final
// reply.
type xoauth2Client struct{ user, token string }

func (c *xoauth2Client) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + c.user + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

func (c *xoauth2Client) Next([]byte) ([]byte, error) { return []byte{}, nil }

// boundedSASL ends an AUTH exchange whose server keeps sending 334
// challenges: after MaxAuthChallenges, or at a challenge that the
// mechanism does not expect at all (PLAIN has none), the exchange is
// cancelled ("*", RFC 4954 §4) with a *ProtocolError.
type boundedSASL struct {
	sasl.Client
	mech string
	n    int
}

func (c *boundedSASL) Start() (string, []byte, error) {
	mech, ir, err := c.Client.Start()
	c.mech = mech
	return mech, ir, err
}

func (c *boundedSASL) Next(challenge []byte) ([]byte, error) {
	if c.n++; c.n > MaxAuthChallenges {
		return nil, &ProtocolError{Limit: MaxAuthChallenges,
			Msg: fmt.Sprintf("the server sent more than %d AUTH %s challenges without a verdict", MaxAuthChallenges, c.mech)}
	}
	resp, err := c.Client.Next(challenge)
	if errors.Is(err, sasl.ErrUnexpectedServerChallenge) {
		return nil, &ProtocolError{Msg: fmt.Sprintf("the server sent an AUTH %s challenge the mechanism does not have", c.mech)}
	}
	return resp, err
}

var (
	_ sasl.Client = (*ntlmClient)(nil)
	_ sasl.Client = (*xoauth2Client)(nil)
	_ sasl.Client = (*boundedSASL)(nil)
)
