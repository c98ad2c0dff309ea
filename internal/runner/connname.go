package runner

import (
	"errors"
	"strings"
)

// nameInvalidChars are the characters SSIS refuses in an object's name
// (DtsObject names may not contain / \ : [ ] . =, the InvalidCharacters of
// IDTSName100); a "name" holding one is a slip, usually a connection string
// given without its "NAME;" prefix.
const nameInvalidChars = `/\:[].=`

// ErrConnNameLooksLikeConnectionString is returned by CheckConnName when the
// part before the first ';' of a connection override reads as a connection
// string keyword: the value is never quoted back, since it may hold a password.
var ErrConnNameLooksLikeConnectionString = errors.New("the part before the first ';' is a connection string (it holds '='), not a connection manager name: give 'NAME;connection string', for example 'SMTP Connection Manager;SmtpServer=127.0.0.1;'")

// CheckConnName reports whether name can be the connection manager of a
// connection override (dtsx run --conn, dtexec /Conn). A {GUID} or a name
// passes; a name with '=' is refused without being echoed, since it is then
// the start of a connection string that may hold a secret.
func CheckConnName(name string) error {
	if strings.Contains(name, "=") {
		return ErrConnNameLooksLikeConnectionString
	}
	return nil
}
