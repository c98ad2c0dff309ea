package connstr

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Pair
	}{
		{"empty", "", nil},
		{"only separators", " ; ;; ", nil},
		{"ssis smtp", "SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;",
			[]Pair{{"SmtpServer", "mail.example.com", 0}, {"UseWindowsAuthentication", "False", 28}, {"EnableSsl", "False", 59}}},
		{"no trailing semicolon", "a=1;b=2", []Pair{{"a", "1", 0}, {"b", "2", 4}}},
		{"empty segments", ";;a=1;;;b=2;;", []Pair{{"a", "1", 2}, {"b", "2", 8}}},
		{"whitespace trimmed", "  a b  =  x y  ;\tc=\t1\t", []Pair{{"a b", "x y", 2}, {"c", "1", 17}}},
		{"empty value", "a=;b=", []Pair{{"a", "", 0}, {"b", "", 3}}},
		{"double quoted", `a="x;y";b=1`, []Pair{{"a", "x;y", 0}, {"b", "1", 8}}},
		{"single quoted", `a='x;y'`, []Pair{{"a", "x;y", 0}}},
		{"doubled quote", `a="say ""hi""";`, []Pair{{"a", `say "hi"`, 0}}},
		{"doubled single quote", `a='it''s'`, []Pair{{"a", "it's", 0}}},
		{"other quote literal", `a="it's";b='say "hi"'`, []Pair{{"a", "it's", 0}, {"b", `say "hi"`, 9}}},
		{"quoted keeps spaces", `a=" x " ;`, []Pair{{"a", " x ", 0}}},
		{"quoted empty", `a="";b=''`, []Pair{{"a", "", 0}, {"b", "", 5}}},
		{"quote inside unquoted", `a=x"y`, []Pair{{"a", `x"y`, 0}}},
		{"equals in value", "a=b=c", []Pair{{"a", "b=c", 0}}},
		{"escaped equals in key", "a==b=c", []Pair{{"a=b", "c", 0}}},
		{"key ending in equals", "a===c", []Pair{{"a=", "c", 0}}},
		{"key starting with equals", "==a=c", []Pair{{"=a", "c", 0}}},
		{"duplicates kept", "a=1;A=2", []Pair{{"a", "1", 0}, {"A", "2", 4}}},
		{"unicode", "Ключ=значение;", []Pair{{"Ключ", "значение", 0}}},
		{"unicode space", "\u00a0a\u00a0=\u00a0b\u00a0", []Pair{{"a", "b", 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
		msg    string
	}{
		{"no equals", "abc", 0, "expected key=value"},
		{"no equals after pair", "a=1; abc ;b=2", 5, "expected key=value"},
		{"empty key", "a=1;=2", 4, "empty key"},
		{"blank key", "a=1; =2", 5, "empty key"},
		{"only escaped equals", "==", 0, "expected key=value"},
		{"unterminated double", `SmtpServer="mail;`, 11, "unterminated quoted value"},
		{"unterminated single", `a='x''`, 2, "unterminated quoted value"},
		{"text after quote", `a="x"y;`, 5, "unexpected text after quoted value"},
		{"text after quote and space", `a="x" y`, 6, "unexpected text after quoted value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error", tt.in, got)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %T, want *SyntaxError", tt.in, err)
			}
			if se.Offset != tt.offset || se.Msg != tt.msg {
				t.Errorf("Parse(%q): got offset %d %q, want offset %d %q", tt.in, se.Offset, se.Msg, tt.offset, tt.msg)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Errorf("errors.Is(%v, ErrSyntax) = false", err)
			}
			if got != nil {
				t.Errorf("Parse(%q) returned pairs with an error: %+v", tt.in, got)
			}
		})
	}
}

func TestSyntaxErrorString(t *testing.T) {
	_, err := Parse(`SmtpServer="x;Password=hunter2`)
	want := "connstr: offset 11: unterminated quoted value"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name  string
		pairs []Pair
		want  string
	}{
		{"none", nil, ""},
		{"ssis", []Pair{{Key: "SmtpServer", Value: "x"}, {Key: "UseWindowsAuthentication", Value: "False"}, {Key: "EnableSsl", Value: "False"}},
			"SmtpServer=x;UseWindowsAuthentication=False;EnableSsl=False;"},
		{"empty value", []Pair{{Key: "a"}}, "a=;"},
		{"semicolon", []Pair{{Key: "a", Value: "x;y"}}, `a="x;y";`},
		{"spaces", []Pair{{Key: "a", Value: " x"}}, `a=" x";`},
		{"inner space", []Pair{{Key: "a", Value: "x y"}}, `a=x y;`},
		{"double quote inside", []Pair{{Key: "a", Value: `x"y`}}, `a=x"y;`},
		{"leading double quote", []Pair{{Key: "a", Value: `"x`}}, `a='"x';`},
		{"leading single quote", []Pair{{Key: "a", Value: `'x`}}, `a="'x";`},
		{"both quotes", []Pair{{Key: "a", Value: `"it's";`}}, `a="""it's"";";`},
		{"leading equals", []Pair{{Key: "a", Value: "=x"}}, `a="=x";`},
		{"equals in key", []Pair{{Key: "a=b", Value: "c"}}, "a==b=c;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Format(tt.pairs)
			if got != tt.want {
				t.Fatalf("Format(%+v) = %q, want %q", tt.pairs, got, tt.want)
			}
			back, err := Parse(got)
			if err != nil {
				t.Fatalf("Parse(%q): %v", got, err)
			}
			if !samePairs(back, tt.pairs) {
				t.Errorf("Parse(Format(%+v)) = %+v", tt.pairs, back)
			}
		})
	}
}

func TestIsSensitiveKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"Password", true},
		{"password", true},
		{"PWD", true},
		{"Token", true},
		{"accesstoken", true},
		{"ClientSecret", true},
		{"Secret", true},
		{"ProxyPassword", true},
		{"DbPASSWORD", true},
		{" Password ", true},
		{"Paſſword", true}, // .NET compares keys with OrdinalIgnoreCase: ſ is S
		{"SmtpServer", false},
		{"UserName", false},
		{"PasswordHint", false},
		{"Pass", false},
		{"", false},
		{"TokenType", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := IsSensitiveKey(tt.key); got != tt.want {
				t.Errorf("IsSensitiveKey(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"nothing sensitive", "SmtpServer=x;EnableSsl=False;", "SmtpServer=x;EnableSsl=False;"},
		{"password", "SmtpServer=x;Password=hunter2;EnableSsl=False;", "SmtpServer=x;Password=********;EnableSsl=False;"},
		{"keeps layout", " Pwd = hunter2 ;a=1", " Pwd = ******** ;a=1"},
		{"quoted", `Password="hun;ter""2";a=1`, `Password=********;a=1`},
		{"empty", "Password=;", "Password=********;"},
		{"at end", "a=1;Password=", "a=1;Password=********"},
		{"several", "Token=t1;AccessToken=t2;ClientSecret=s;ProxyPassword=p", "Token=********;AccessToken=********;ClientSecret=********;ProxyPassword=********"},
		{"case", "PASSWORD=x", "PASSWORD=********"},
		{"bad, secret after error", `Server="x;Password=hunter2`, `Server="x;********`},
		{"bad, secret in failing pair", `a=1;Password="hunter2`, `a=1;********`},
		{"bad, secret before error", `Password=hunter2;oops`, `Password=********;oops`},
		{"bad, key is a word inside", `a=1;x;DbPassword=hunter2`, `a=1;x;********`},
		{"bad, nothing sensitive", `a=1;oops`, `a=1;oops`},
		{"bad, folded", `x;Paſſword=hunter2`, `x;********`},
		{"bad, token word in junk", `junk Token hunter2`, `********`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Mask(tt.in)
			if got != tt.want {
				t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if strings.Contains(got, "hunter") {
				t.Errorf("Mask(%q) = %q leaks the secret", tt.in, got)
			}
		})
	}
}

func samePairs(a, b []Pair) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || a[i].Value != b[i].Value {
			return false
		}
	}
	return true
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"SmtpServer=mail.example.com;UseWindowsAuthentication=False;EnableSsl=False;",
		"SmtpServer=mail.yahoo.com;UseWindowsAuthentication=True;EnableSsl=True;Timeout=22;",
		`a="x;y";b='it''s';c==d=e;;`,
		`Password="unterminated`,
		"a = b ; c=\t'd' ;",
		"==a===b",
		`x;Password=secret`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pairs, err := Parse(s)
		masked := Mask(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(s) {
				t.Fatalf("Parse(%q): bad error %#v", s, err)
			}
			return
		}
		for _, p := range pairs {
			if p.Key == "" || p.Offset < 0 || p.Offset >= len(s) {
				t.Fatalf("Parse(%q): bad pair %+v", s, p)
			}
		}
		out := Format(pairs)
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Format(Parse(%q))) = Parse(%q): %v", s, out, err)
		}
		if !samePairs(pairs, again) {
			t.Fatalf("round trip of %q through %q:\n got %+v\nwant %+v", s, out, again, pairs)
		}
		// Mask keeps the structure and hides every sensitive value.
		mp, err := Parse(masked)
		if err != nil {
			t.Fatalf("Mask(%q) = %q does not parse: %v", s, masked, err)
		}
		if len(mp) != len(pairs) {
			t.Fatalf("Mask(%q) = %q: %d pairs, want %d", s, masked, len(mp), len(pairs))
		}
		for i, p := range mp {
			if p.Key != pairs[i].Key {
				t.Fatalf("Mask(%q) = %q changed key %q to %q", s, masked, pairs[i].Key, p.Key)
			}
			want := pairs[i].Value
			if IsSensitiveKey(p.Key) {
				want = MaskedValue
			}
			if p.Value != want {
				t.Fatalf("Mask(%q) = %q: %s=%q, want %q", s, masked, p.Key, p.Value, want)
			}
		}
	})
}

// TestParseBool: the spellings of .NET connection strings, in any case and
// around spaces; an empty value and other words are not Booleans.
func TestParseBool(t *testing.T) {
	tests := []struct {
		in    string
		b, ok bool
	}{
		{"True", true, true}, {" yes ", true, true}, {"1", true, true}, {"-1", true, true},
		{"FALSE", false, true}, {"No", false, true}, {"0", false, true},
		{"", false, false}, {"on", false, false}, {"sspi", false, false}, {"2", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if b, ok := ParseBool(tt.in); b != tt.b || ok != tt.ok {
				t.Errorf("ParseBool(%q) = %v, %v; want %v, %v", tt.in, b, ok, tt.b, tt.ok)
			}
		})
	}
}
