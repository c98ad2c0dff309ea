package connstr

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaskedValue replaces the value of a sensitive key in the output of Mask.
const MaskedValue = "********"

// ErrSyntax is matched by every *SyntaxError.
var ErrSyntax = errors.New("connstr: syntax error")

// Pair is one key=value pair of a connection string.
type Pair struct {
	Key   string
	Value string
	// Offset is the byte offset of the key in the parsed string, for error
	// messages. Format ignores it.
	Offset int
}

// SyntaxError reports a connection string that does not parse. Its message
// never quotes the input, which may hold secrets.
type SyntaxError struct {
	Offset int    // byte offset of the problem in the input
	Msg    string // what is wrong, e.g. "unterminated quoted value"
}

// Error returns "connstr: offset N: message".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("connstr: offset %d: %s", e.Offset, e.Msg)
}

// Is makes errors.Is(err, ErrSyntax) true for every *SyntaxError.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// Parse splits a connection string into its pairs, in order. Duplicate keys
// are kept (.NET lets the last one win); keys keep their case. An error is a
// *SyntaxError.
func Parse(s string) ([]Pair, error) {
	ps, _, err := parse(s)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	pairs := make([]Pair, len(ps))
	for i, p := range ps {
		pairs[i] = p.Pair
	}
	return pairs, nil
}

// parsedPair is a Pair with the byte span of its value in the input,
// quotes included.
type parsedPair struct {
	Pair
	vstart, vend int
}

// parse returns the pairs read before any error and, on error, the offset
// where the segment that failed begins.
func parse(s string) (pairs []parsedPair, failAt int, err error) {
	n := len(s)
	i := 0
	for {
		i = skipSpace(s, i, true)
		if i >= n {
			return pairs, 0, nil
		}
		keyStart := i
		var key strings.Builder
	key:
		for {
			if i >= n || s[i] == ';' {
				return pairs, keyStart, &SyntaxError{keyStart, "expected key=value"}
			}
			switch c := s[i]; {
			case c == '=' && i+1 < n && s[i+1] == '=':
				key.WriteByte('=')
				i += 2
			case c == '=':
				i++
				break key
			default:
				key.WriteByte(c)
				i++
			}
		}
		k := strings.TrimRightFunc(key.String(), unicode.IsSpace)
		if k == "" {
			return pairs, keyStart, &SyntaxError{keyStart, "empty key"}
		}

		i = skipSpace(s, i, false)
		vstart := i
		var v string
		if i < n && (s[i] == '"' || s[i] == '\'') {
			q := s[i]
			i++
			var val strings.Builder
			for {
				if i >= n {
					return pairs, keyStart, &SyntaxError{vstart, "unterminated quoted value"}
				}
				if s[i] == q {
					if i+1 < n && s[i+1] == q {
						val.WriteByte(q)
						i += 2
						continue
					}
					i++
					break
				}
				val.WriteByte(s[i])
				i++
			}
			v = val.String()
			vend := i
			i = skipSpace(s, i, false)
			if i < n && s[i] != ';' {
				return pairs, keyStart, &SyntaxError{i, "unexpected text after quoted value"}
			}
			pairs = append(pairs, parsedPair{Pair{k, v, keyStart}, vstart, vend})
			continue
		}
		end := strings.IndexByte(s[i:], ';')
		if end < 0 {
			end = n
		} else {
			end += i
		}
		v = strings.TrimRightFunc(s[i:end], unicode.IsSpace)
		pairs = append(pairs, parsedPair{Pair{k, v, keyStart}, vstart, vstart + len(v)})
		i = end
	}
}

// skipSpace returns the offset of the first byte at or after i that is not
// white space (nor ';' when semicolons is set).
func skipSpace(s string, i int, semicolons bool) int {
	for i < len(s) {
		if semicolons && s[i] == ';' {
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += w
	}
	return i
}

// Format writes pairs as a connection string, each pair terminated by ';' as
// SSIS writes them, quoting the values that need it and doubling '=' in keys.
// Keys are expected as Parse returns them: not empty, no ';', no surrounding
// white space.
func Format(pairs []Pair) string {
	var b strings.Builder
	for _, p := range pairs {
		b.WriteString(strings.ReplaceAll(p.Key, "=", "=="))
		b.WriteByte('=')
		b.WriteString(quote(p.Value))
		b.WriteByte(';')
	}
	return b.String()
}

// quote returns v as it must be written after "key=" so that Parse reads v
// back.
func quote(v string) string {
	if !needsQuotes(v) {
		return v
	}
	if strings.Contains(v, `"`) && !strings.Contains(v, `'`) {
		return `'` + v + `'`
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

func needsQuotes(v string) bool {
	if v == "" {
		return false
	}
	switch v[0] {
	case '"', '\'', '=':
		return true
	}
	if strings.ContainsRune(v, ';') {
		return true
	}
	first, _ := utf8.DecodeRuneInString(v)
	last, _ := utf8.DecodeLastRuneInString(v)
	return unicode.IsSpace(first) || unicode.IsSpace(last)
}

// IsSensitiveKey reports whether the value of key k is a secret: Password,
// Pwd, Token, AccessToken, ClientSecret, Secret, or any key ending in
// Password, compared case-insensitively.
func IsSensitiveKey(k string) bool {
	k = strings.TrimSpace(k)
	switch {
	case strings.EqualFold(k, "Pwd"),
		strings.EqualFold(k, "Token"),
		strings.EqualFold(k, "AccessToken"),
		strings.EqualFold(k, "ClientSecret"),
		strings.EqualFold(k, "Secret"):
		return true
	}
	return hasSuffixFold(k, "Password")
}

// ParseBool reads a Boolean value as .NET connection strings write them:
// True, Yes, 1 or -1, and False, No or 0, in any case, around spaces. It
// reports whether v was one; an empty value is not.
func ParseBool(v string) (b, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "1", "-1":
		return true, true
	case "false", "no", "0":
		return false, true
	}
	return false, false
}

// Mask returns s with the value of every sensitive key (see IsSensitiveKey)
// replaced by MaskedValue, keeping the rest as written. When s does not
// parse, everything from the segment holding the first sensitive-looking key
// to the end is replaced, so that no secret is ever returned.
func Mask(s string) string {
	pairs, failAt, err := parse(s)
	var b strings.Builder
	last := 0
	for _, p := range pairs {
		if IsSensitiveKey(p.Key) {
			b.WriteString(s[last:p.vstart])
			b.WriteString(MaskedValue)
			last = p.vend
		}
	}
	if err == nil {
		b.WriteString(s[last:])
		return b.String()
	}
	// Every sensitive key contains one of these words, and a value follows
	// its key: cutting before the first of them hides every secret.
	cut := -1
	for _, w := range [...]string{"password", "pwd", "token", "secret"} {
		if j := indexFold(s[failAt:], w); j >= 0 && (cut < 0 || j < cut) {
			cut = j
		}
	}
	if cut < 0 {
		b.WriteString(s[last:])
		return b.String()
	}
	cut = failAt + strings.LastIndexByte(s[failAt:failAt+cut], ';') + 1
	cut = skipSpace(s, cut, false)
	b.WriteString(s[last:cut])
	b.WriteString(MaskedValue)
	return b.String()
}

// hasSuffixFold is strings.HasSuffix under Unicode simple case folding.
func hasSuffixFold(s, suffix string) bool {
	i := len(s)
	for n := utf8.RuneCountInString(suffix); n > 0; n-- {
		if i == 0 {
			return false
		}
		_, w := utf8.DecodeLastRuneInString(s[:i])
		i -= w
	}
	return strings.EqualFold(s[i:], suffix)
}

// indexFold is strings.Index under Unicode simple case folding.
func indexFold(s, sub string) int {
	n := utf8.RuneCountInString(sub)
	for i := 0; i < len(s); {
		j := i
		for k := 0; k < n && j < len(s); k++ {
			_, w := utf8.DecodeRuneInString(s[j:])
			j += w
		}
		if strings.EqualFold(s[i:j], sub) {
			return i
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return -1
}
