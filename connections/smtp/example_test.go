package smtp_test

import (
	"fmt"

	"github.com/dtsx-run/dtsx/connections/smtp"
)

func ExampleParseConfig() {
	c, err := smtp.ParseConfig("SmtpServer=mail.yahoo.com;UseWindowsAuthentication=True;EnableSsl=True;Timeout=22;")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Address(), c.EffectiveTLSMode(), c.EffectiveTimeout())
	fmt.Println(c)
	// Output:
	// mail.yahoo.com:25 StartTls 22s
	// SmtpServer=mail.yahoo.com;UseWindowsAuthentication=True;EnableSsl=True;Timeout=22;
}

func ExampleParseConfig_problems() {
	_, err := smtp.ParseConfig("SmtpServer=;EnabelSsl=True;Timeout=soon;Password=hunter2")
	if ce, ok := err.(*smtp.ConfigError); ok {
		for _, p := range ce.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// smtp-unknown-key: unknown key "EnabelSsl" (did you mean EnableSsl?)
	// smtp-bad-timeout: Timeout="soon" is not a number of seconds from 0 to 86400 (Timeout is a whole number of seconds, e.g. Timeout=100; leave it out for the default of 100)
	// smtp-empty-server: no SMTP server is named (set SmtpServer=host)
}

func ExampleConfig_Set() {
	c, _ := smtp.ParseConfig("SmtpServer=old;UseWindowsAuthentication=False;EnableSsl=False;")
	// A property expression on SmtpServer, then the dtsx extensions.
	_ = c.Set("SmtpServer", "smtp.example.com")
	_ = c.Set("Port", "587")
	_ = c.Set("EnableSsl", "True")
	_ = c.Set("UserName", "ann")
	_ = c.Set("Password", "hunter2")
	fmt.Println(c.Validate())
	fmt.Println(c.Address())
	fmt.Println(c)
	// Output:
	// <nil>
	// smtp.example.com:587
	// SmtpServer=smtp.example.com;UseWindowsAuthentication=False;EnableSsl=True;Port=587;UserName=ann;Password=********;
}
