package smtp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
)

// gssBackend is an in-process SMTP server that offers AUTH GSSAPI and runs
// the acceptor (go-smtp's server with a SASL mechanism of the test's).
type gssBackend struct {
	a    *acceptor
	msgs chan []byte
}

func (b *gssBackend) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &gssSession{b: b}, nil }

type gssSession struct{ b *gssBackend }

func (s *gssSession) AuthMechanisms() []string { return []string{"GSSAPI"} }

func (s *gssSession) Auth(string) (sasl.Server, error) { return &gssServer{a: s.b.a}, nil }

func (s *gssSession) Mail(string, *gosmtp.MailOptions) error { return nil }

func (s *gssSession) Rcpt(string, *gosmtp.RcptOptions) error { return nil }

func (s *gssSession) Reset() {}

func (s *gssSession) Logout() error { return nil }

func (s *gssSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.b.msgs <- b
	return err
}

type gssServer struct {
	a    *acceptor
	step int
}

var errRefused = &gosmtp.SMTPError{Code: 535, EnhancedCode: gosmtp.EnhancedCode{5, 7, 8}, Message: "Error: authentication failed: generic failure"}

func (s *gssServer) Next(resp []byte) ([]byte, bool, error) {
	s.step++
	switch s.step {
	case 1:
		if len(resp) != 0 {
			return nil, false, errors.New("unexpected initial response")
		}
		return []byte{}, false, nil
	case 2:
		rep, err := s.a.accept(resp)
		if err != nil {
			return nil, false, errRefused
		}
		return rep, false, nil
	case 3:
		if len(resp) != 0 {
			return nil, false, errRefused
		}
		return s.a.offerLayers(), false, nil
	case 4:
		if p, err := s.a.check(resp); err != nil || !bytes.Equal(p, []byte{layerNone, 0, 0, 0}) {
			return nil, false, errRefused
		}
		return nil, true, nil
	}
	return nil, false, errRefused
}

func listenSMTP(t *testing.T, b gosmtp.Backend) string {
	t.Helper()
	srv := gosmtp.NewServer(b)
	srv.Domain = "mail.test.local"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// TestGSSAPISession: Dial with UseWindowsAuthentication=True and a keytab
// authenticates over SMTP with GSSAPI (the KDC replaced by a forged
// ticket), reports the mechanism, principal and SPN, and sends; a server
// that cannot read the ticket gives a 535 that says so.
func TestGSSAPISession(t *testing.T) {
	ktPath, svc := gssapiFixture(t)
	var asked []string
	krbTicket = func(k *krbLogin) (messages.Ticket, types.EncryptionKey, error) {
		asked = append(asked, k.client.String()+" "+k.spn+" "+k.src.Origin)
		tkt, key := forgeTicket(t, svc, k.client)
		return tkt, key, nil
	}

	for _, tt := range []struct {
		name   string
		server *keytab.Keytab
		offer  byte
		kind   error
		code   int
		want   string
	}{
		{"accepted", svc, 0, nil, 0, ""},
		{"server has another key", serviceKeytab(t, "rotated-key"), 0, ErrAuth, 535,
			"did not accept the Kerberos ticket of alice@TEST.LOCAL for smtp/mail.test.local"},
		{"server wants a security layer", svc, 0x06, ErrUnsupported, 0, "allow no security layer on the server"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			asked = nil
			back := &gssBackend{a: &acceptor{kt: tt.server, offer: tt.offer}, msgs: make(chan []byte, 1)}
			addr := listenSMTP(t, back)
			cfg, err := ParseConfig("SmtpServer=" + addr + ";UseWindowsAuthentication=True;ServicePrincipalName=" + testSPN + ";Keytab=" + ktPath + ";")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s, err := Dial(ctx, "Mail", cfg, Options{LocalName: "client.test.local"})
			if tt.kind != nil {
				var se *Error
				if !errors.As(err, &se) || !errors.Is(err, tt.kind) || se.Code != tt.code || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want %v (code %d) saying %q", err, tt.kind, tt.code, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			defer s.Close()
			if len(asked) != 1 || asked[0] != "alice@TEST.LOCAL smtp/mail.test.local Keytab=" {
				t.Errorf("tickets asked: %q", asked)
			}
			in := s.Info
			if in.Mechanism != "GSSAPI" || in.User != "alice@TEST.LOCAL" || in.ServicePrincipal != testSPN ||
				in.CredentialSource != "keytab "+ktPath+" (Keytab=)" || back.a.client != "alice@TEST.LOCAL" {
				t.Errorf("Info %+v, server saw %q", in, back.a.client)
			}
			if _, err := s.Send(ctx, "a@test.local", []string{"b@test.local"}, strings.NewReader("Subject: k\r\n\r\nkerberos\r\n")); err != nil {
				t.Fatal(err)
			}
			if got := <-back.msgs; !bytes.Contains(got, []byte("kerberos")) {
				t.Errorf("server got %q", got)
			}
		})
	}
}
