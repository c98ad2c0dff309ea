package smtp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"

	"github.com/dtsx-run/dtsx/connections/smtp/smtptest"
)

// echoClient answers every challenge, as a mechanism that never gives up.
type echoClient struct{}

func (echoClient) Start() (string, []byte, error) { return "ECHO", nil, nil }
func (echoClient) Next(c []byte) ([]byte, error)  { return c, nil }

// TestBoundedSASL: MaxAuthChallenges challenges are answered, the next
// one ends the exchange with a *ProtocolError naming the mechanism.
func TestBoundedSASL(t *testing.T) {
	c := &boundedSASL{Client: echoClient{}}
	if _, _, err := c.Start(); err != nil {
		t.Fatal(err)
	}
	for i := range MaxAuthChallenges {
		if _, err := c.Next([]byte("x")); err != nil {
			t.Fatalf("challenge %d: %v", i+1, err)
		}
	}
	_, err := c.Next([]byte("x"))
	var pe *ProtocolError
	if !errors.As(err, &pe) || pe.Limit != MaxAuthChallenges || !strings.Contains(err.Error(), "AUTH ECHO") {
		t.Fatalf("challenge %d: err = %v, want a *ProtocolError", MaxAuthChallenges+1, err)
	}
}

// TestGSSAPIEndlessChallenges: GSSAPI (RFC 4752) against a server that
// answers every line with an empty 334 ends at the second challenge, which
// must carry the AP-REP, and cancels the exchange.
func TestGSSAPIEndlessChallenges(t *testing.T) {
	ktPath, svc := gssapiFixture(t)
	krbTicket = func(k *krbLogin) (messages.Ticket, types.EncryptionKey, error) {
		tkt, key := forgeTicket(t, svc, k.client)
		return tkt, key, nil
	}
	srv := smtptest.NewServer(t, smtptest.Options{Mechanisms: []string{"GSSAPI"},
		Faults: []smtptest.Fault{{Stage: smtptest.Auth, Challenge: true}}})
	cfg, err := ParseConfig("SmtpServer=" + srv.Addr() + ";AuthMechanism=GSSAPI;ServicePrincipalName=" + testSPN + ";Keytab=" + ktPath + ";")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = Dial(ctx, "Mail", cfg, Options{})
	if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "sent no AP-REP") {
		t.Fatalf("err = %v, want ErrAuth saying the server sent no AP-REP", err)
	}
	answers := 0
	for _, l := range srv.Transcript() {
		if l == "<redacted>" {
			answers++
		}
	}
	if answers != 2 { // the AP-REQ, then "*"
		t.Errorf("the client sent %d lines after AUTH GSSAPI, want 2 (the token and a cancel)", answers)
	}
}
