package connstr_test

import (
	"fmt"

	"github.com/dtsx-run/dtsx/connections/connstr"
)

func ExampleParse() {
	pairs, err := connstr.Parse(`SmtpServer=mail.example.com; EnableSsl=True; Note="a;b"`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range pairs {
		fmt.Printf("%s=%q\n", p.Key, p.Value)
	}
	_, err = connstr.Parse(`SmtpServer="mail.example.com`)
	fmt.Println(err)
	// Output:
	// SmtpServer="mail.example.com"
	// EnableSsl="True"
	// Note="a;b"
	// connstr: offset 11: unterminated quoted value
}

func ExampleFormat() {
	fmt.Println(connstr.Format([]connstr.Pair{
		{Key: "SmtpServer", Value: "x"},
		{Key: "UseWindowsAuthentication", Value: "False"},
		{Key: "EnableSsl", Value: "False"},
		{Key: "Note", Value: "a;b"},
	}))
	// Output: SmtpServer=x;UseWindowsAuthentication=False;EnableSsl=False;Note="a;b";
}

func ExampleMask() {
	fmt.Println(connstr.Mask("SmtpServer=x;UserName=ann;Password=hunter2;"))
	fmt.Println(connstr.Mask(`SmtpServer="x;Password=hunter2`))
	// Output:
	// SmtpServer=x;UserName=ann;Password=********;
	// SmtpServer="x;********
}
