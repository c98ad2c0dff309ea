package smtp

import (
	"testing"
)

func TestConfigErrorString(t *testing.T) {
	_, err := ParseConfig("SmtpServer=x;EnableSsl=Ture;")
	want := `smtp: smtp-bad-boolean: EnableSsl="Ture" is not a boolean (use True or False)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	_, err = ParseConfig("EnableSsl=Ture;")
	want = `smtp: 2 problems: smtp-bad-boolean: EnableSsl="Ture" is not a boolean (use True or False); ` +
		`smtp-empty-server: no SMTP server is named (set SmtpServer=host)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
