package process

import "strings"

// SplitCommandLine splits an Arguments string into arguments the way
// CommandLineToArgvW does on Windows, which is how the programs SSIS starts
// read the one command line they are given:
//
//   - arguments are separated by spaces and tabs outside double quotes;
//   - a double quote starts or ends a quoted part, which may hold spaces,
//     and is not part of the argument ("a b"c is one argument, a bc);
//   - 2n backslashes followed by a double quote give n backslashes, and the
//     quote starts or ends a quoted part; 2n+1 backslashes followed by a
//     double quote give n backslashes and a literal quote;
//   - backslashes not followed by a double quote are literal (C:\Data\ stays
//     as it is);
//   - inside a quoted part, two double quotes give one literal quote and
//     end the quoted part (the rule of CommandLineToArgvW and of the C
//     runtime before 2008);
//   - "" alone is an empty argument.
//
// No other character is special: there is no variable expansion, no
// redirection, no globbing, as there is no shell.
func SplitCommandLine(s string) []string {
	var args []string
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return args
		}
		var b strings.Builder
		quoted := false
	arg:
		for i < len(s) {
			switch c := s[i]; {
			case (c == ' ' || c == '\t') && !quoted:
				break arg
			case c == '\\':
				n := 0
				for i < len(s) && s[i] == '\\' {
					n++
					i++
				}
				if i < len(s) && s[i] == '"' {
					b.WriteString(strings.Repeat(`\`, n/2))
					if n%2 == 1 {
						b.WriteByte('"')
						i++
					}
					// An even count leaves the quote to the case below.
				} else {
					b.WriteString(strings.Repeat(`\`, n))
				}
			case c == '"':
				i++
				if quoted && i < len(s) && s[i] == '"' {
					b.WriteByte('"')
					i++
				}
				quoted = !quoted
			default:
				b.WriteByte(c)
				i++
			}
		}
		args = append(args, b.String())
	}
}

// JoinCommandLine quotes args so that SplitCommandLine (and
// CommandLineToArgvW) gives them back; it is used to show a command line.
func JoinCommandLine(args []string) string {
	var out []string
	for _, a := range args {
		if a != "" && !strings.ContainsAny(a, " \t\"") {
			out = append(out, a)
			continue
		}
		var b strings.Builder
		b.WriteByte('"')
		n := 0
		for i := 0; i < len(a); i++ {
			switch a[i] {
			case '\\':
				n++
			case '"':
				// The n backslashes before it are written: double them and
				// escape the quote.
				b.WriteString(strings.Repeat(`\`, n+1))
				n = 0
			default:
				n = 0
			}
			if a[i] == '"' {
				b.WriteByte('"')
				continue
			}
			b.WriteByte(a[i])
		}
		b.WriteString(strings.Repeat(`\`, n))
		b.WriteByte('"')
		out = append(out, b.String())
	}
	return strings.Join(out, " ")
}

// secretFlags are the options (short ones as spelled, long ones in any
// case) whose next argument is a password, in the
// programs packages run (psftp -pw, pscp -pw, sqlcmd -P, curl -u
// user:password, and the usual long forms).
var secretFlags = map[string]bool{"-pw": true, "-password": true, "--password": true, "/password": true, "-pass": true,
	"--pass": true, "-P": true, "-u": true, "--user": true, "/pw": true}

// MaskArguments returns args with passwords replaced by ********, for
// messages and reports: the argument after a password option, the value
// of password=…, pwd=… and pass=… pairs.
func MaskArguments(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		lower := strings.ToLower(a)
		switch {
		case i > 0 && (secretFlags[args[i-1]] || len(args[i-1]) > 3 && secretFlags[strings.ToLower(args[i-1])]):
			out[i] = "********"
		default:
			for _, k := range []string{"password=", "pwd=", "pass="} {
				if j := strings.Index(lower, k); j >= 0 {
					end := strings.IndexAny(a[j+len(k):], ";& ")
					if end < 0 {
						out[i] = a[:j+len(k)] + "********"
					} else {
						out[i] = a[:j+len(k)] + "********" + a[j+len(k)+end:]
					}
					break
				}
			}
		}
	}
	return out
}
