package smtp

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/krberror"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
)

// TestKerberosClassify: gokrb5's errors, built as gokrb5 v8.4.4 builds them,
// become typed errors that name the principal and the fix.
func TestKerberosClassify(t *testing.T) {
	k := &krbLogin{client: principal{name: []string{"alice"}, realm: testRealm}, spn: testSPN, confPath: "/etc/krb5-test.conf",
		src: krbSource{Keytab: true, Path: "/k/alice.keytab", Origin: "Keytab="}}
	k.conf, _ = newTestConfig("127.0.0.1:1088")
	kdcErr := func(code int32) error {
		e := messages.NewKRBError(types.NewPrincipalName(nametype.KRB_NT_SRV_INST, "krbtgt/"+testRealm), testRealm, code, "")
		return krberror.Errorf(e, krberror.KDCError, "AS Exchange Error: kerberos error response from KDC")
	}
	tests := []struct {
		name string
		err  error
		kind error
		code int32
		want []string
	}{
		{"clock skew", kdcErr(errorcode.KRB_AP_ERR_SKEW), ErrKerberos, 37, []string{"clock", "NTP"}},
		{"clock skew seen by gokrb5", krberror.NewErrorf(krberror.KRBMsgError, "clock skew with KDC too large. Greater than 300 seconds"), ErrKerberos, 0, []string{"clock"}},
		{"unknown client", kdcErr(errorcode.KDC_ERR_C_PRINCIPAL_UNKNOWN), ErrKerberos, 6, []string{"does not know the principal alice@TEST.LOCAL", "KDC_ERR_C_PRINCIPAL_UNKNOWN"}},
		{"unknown service", krberror.Errorf(messages.NewKRBError(types.PrincipalName{}, testRealm, errorcode.KDC_ERR_S_PRINCIPAL_UNKNOWN, ""),
			krberror.KDCError, "TGS Exchange Error: kerberos error response from KDC when requesting for %s", testSPN), ErrKerberos, 7,
			[]string{"does not know the service principal smtp/mail.test.local", "ServicePrincipalName="}},
		{"wrong key, pre-authentication", kdcErr(errorcode.KDC_ERR_PREAUTH_FAILED), ErrAuth, 24, []string{"refused the key of alice@TEST.LOCAL in the keytab /k/alice.keytab (Keytab=)", "klist -k"}},
		{"wrong key, no pre-authentication", krberror.Errorf(krberror.Errorf(errors.New("integrity verification failed"), krberror.DecryptingError, "error decrypting EncPart of AS_REP"),
			krberror.KRBMsgError, "AS Exchange Error: AS_REP is not valid or client password/keytab incorrect"), ErrAuth, 0, []string{"refused the key"}},
		{"expired ticket", krberror.Errorf(messages.NewKRBError(types.PrincipalName{}, testRealm, errorcode.KRB_AP_ERR_TKT_EXPIRED, ""), krberror.KDCError, "TGS Exchange Error"),
			ErrNoCredential, 32, []string{"expired", "kinit alice@TEST.LOCAL"}},
		{"no key of the etype", krberror.Errorf(fmt.Errorf("matching key not found in keytab. Looking for %q realm: TEST.LOCAL kvno: 0 etype: 18", "alice"),
			krberror.KRBMsgError, "AS Exchange Error: issue with setting PAData on AS_REQ"), ErrNoCredential, 0, []string{"AES"}},
		{"KDC unreachable", krberror.Errorf(errors.New("communication error with KDC via TCP: error sending to a KDC: dial tcp 127.0.0.1:1088: connect: connection refused"),
			krberror.NetworkingError, "AS Exchange Error: failed sending AS_REQ to KDC"), ErrKerberos, 0, []string{"cannot reach a KDC of realm TEST.LOCAL (127.0.0.1:1088)", "connection refused", "/etc/krb5-test.conf"}},
		{"no KDC in krb5.conf", krberror.Errorf(errors.New("communication error with KDC via TCP: no KDCs defined in configuration for realm TEST.LOCAL"),
			krberror.NetworkingError, "AS Exchange Error: failed sending AS_REQ to KDC"), ErrKerberos, 0, []string{"names no KDC for the realm TEST.LOCAL"}},
		{"other KDC refusal", kdcErr(errorcode.KDC_ERR_POLICY), ErrKerberos, 12, []string{"KDC_ERR_POLICY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ke := k.classify(tt.err)
			d := &dialer{name: "Mail", addr: "127.0.0.1:2588"}
			err := d.kerberosError(ke)
			msg := err.Error()
			if !errors.Is(err, tt.kind) || !errors.Is(err, ErrKerberos) || ke.Code != tt.code {
				t.Errorf("%v: kind %v code %d, want %v %d", msg, err.Kind, ke.Code, tt.kind, tt.code)
			}
			for _, w := range append(tt.want, `"Mail"`, "127.0.0.1:2588") {
				if !strings.Contains(msg, w) {
					t.Errorf("%s\nlacks %q", msg, w)
				}
			}
		})
	}
}
