package smtptest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"strings"

	"github.com/emersion/go-sasl"
)

// The SASL mechanisms the server implements.
const (
	mechPlain   = "PLAIN"
	mechLogin   = "LOGIN"
	mechNTLM    = "NTLM"
	mechXOAuth2 = "XOAUTH2"
)

// authExchange wraps the server of one mechanism: it records the attempt
// once a verdict is reached, marks the session authenticated, and turns
// every failure into 535 5.7.8 (go-smtp would answer 454 to a plain error).
type authExchange struct {
	ss    *session
	mech  string
	inner sasl.Server
	user  string // set by the mechanism as soon as it knows it
}

func (a *authExchange) Next(response []byte) ([]byte, bool, error) {
	challenge, done, err := a.inner.Next(response)
	switch {
	case err != nil:
		a.ss.s.recordAttempt(AuthAttempt{Mechanism: a.mech, User: a.user})
		return nil, false, errAuthFailed
	case done:
		a.ss.s.recordAttempt(AuthAttempt{Mechanism: a.mech, User: a.user, OK: true})
		a.ss.user = a.user
	}
	return challenge, done, nil
}

func (s *Server) checkPassword(user, password string) error {
	want, ok := s.opts.Users[user]
	if !ok || subtle.ConstantTimeCompare([]byte(want), []byte(password)) != 1 {
		return errAuthFailed
	}
	return nil
}

// loginServer is the server side of LOGIN: "334 VXNlcm5hbWU6" (Username:)
// unless the client sent the user name as an initial response, then
// "334 UGFzc3dvcmQ6" (Password:).
type loginServer struct {
	a    *authExchange
	step int
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		if response == nil {
			l.step = 1
			return []byte("Username:"), false, nil
		}
		l.a.user = string(response)
		l.step = 2
		return []byte("Password:"), false, nil
	case 1:
		l.a.user = string(response)
		l.step = 2
		return []byte("Password:"), false, nil
	case 2:
		l.step = 3
		return nil, true, l.a.ss.s.checkPassword(l.a.user, string(response))
	}
	return nil, false, sasl.ErrUnexpectedClientResponse
}

// xoauth2Server is the server side of Google's XOAUTH2. The client sends
// "user=<u>\x01auth=Bearer <token>\x01\x01". A wrong token gets, as Gmail
// does, a 334 challenge holding a JSON error, and 535 after the client's
// (empty) answer.
type xoauth2Server struct {
	a    *authExchange
	step int
}

// xoauth2Error is the JSON error challenge Gmail sends for a bad token.
var xoauth2Error, _ = json.Marshal(map[string]string{
	"status":  "401",
	"schemes": "bearer",
	"scope":   "https://mail.google.com/",
})

func (x *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	switch x.step {
	case 0:
		if response == nil {
			x.step = 1
			return []byte{}, false, nil
		}
		fallthrough
	case 1:
		x.step = 2
		user, token, ok := parseXOAuth2(response)
		x.a.user = user
		want, known := x.a.ss.s.opts.Tokens[user]
		if ok && known && subtle.ConstantTimeCompare([]byte(want), []byte(token)) == 1 {
			x.step = 3
			return nil, true, nil
		}
		if !ok {
			return nil, false, errAuthFailed
		}
		return xoauth2Error, false, nil
	case 2:
		x.step = 3
		return nil, false, errAuthFailed
	}
	return nil, false, sasl.ErrUnexpectedClientResponse
}

// parseXOAuth2 splits "user=<u>\x01auth=Bearer <token>\x01\x01".
func parseXOAuth2(b []byte) (user, token string, ok bool) {
	rest, found := bytes.CutSuffix(b, []byte("\x01\x01"))
	if !found {
		return "", "", false
	}
	for field := range strings.SplitSeq(string(rest), "\x01") {
		key, value, _ := strings.Cut(field, "=")
		switch key {
		case "user":
			user = value
		case "auth":
			scheme, t, found := strings.Cut(value, " ")
			if !found || !strings.EqualFold(scheme, "Bearer") {
				return user, "", false
			}
			token = t
		}
	}
	return user, token, user != "" && token != ""
}
