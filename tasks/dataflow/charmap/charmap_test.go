package charmap_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dtsx-run/dtsx/tasks/dataflow/charmap"
)

// TestMap: each operation of "Character Map Transformation" (Mapping
// Operations), alone and in the combinations it allows.
func TestMap(t *testing.T) {
	tests := []struct {
		name   string
		flags  charmap.Flags
		locale string
		in     string
		want   string
	}{
		{"lowercase", charmap.Lowercase, "", "Ada LOVELACE Ünal", "ada lovelace ünal"},
		{"uppercase", charmap.Uppercase, "", "ada lovelace ünal ß", "ADA LOVELACE ÜNAL ß"},
		{"uppercase keeps the length", charmap.Uppercase, "", "straße", "STRAßE"},
		{"uppercase i, not linguistic", charmap.Uppercase, "tr-TR", "istanbul", "ISTANBUL"},
		{"linguistic uppercase, Turkish", charmap.Uppercase | charmap.LinguisticCasing, "tr-TR", "istanbul ı", "İSTANBUL I"},
		{"linguistic lowercase, Turkish", charmap.Lowercase | charmap.LinguisticCasing, "tr-TR", "İSTANBUL I", "istanbul ı"},
		{"linguistic uppercase, English", charmap.Uppercase | charmap.LinguisticCasing, "en-US", "istanbul", "ISTANBUL"},
		{"katakana", charmap.Katakana, "", "ひらがな ゝ abc", "ヒラガナ ヽ abc"},
		{"hiragana", charmap.Hiragana, "", "カタカナ ヴ ヽ ｶ", "かたかな ゔ ゝ ｶ"},
		{"full width", charmap.FullWidth, "", "AB 12 ｶﾞﾊﾟｱ", "ＡＢ\u3000１２\u3000ガパア"},
		{"full width keeps other marks", charmap.FullWidth, "", "e\u0301", "ｅ\u0301"},
		{"half width", charmap.HalfWidth, "", "ＡＢ\u3000１２\u3000ガパア゛", "AB 12 ｶﾞﾊﾟｱﾞ"},
		{"half width keeps hiragana", charmap.HalfWidth, "", "がア", "がｱ"},
		{"katakana and half width", charmap.Katakana | charmap.HalfWidth, "", "がっこう", "ｶﾞｯｺｳ"},
		{"hiragana and full width", charmap.Hiragana | charmap.FullWidth, "", "ｶﾞｯｺｳ", "がっこう"},
		{"byte reversal", charmap.ByteReversal, "", "AB", "\u4100\u4200"},
		{"byte reversal twice is the string", charmap.ByteReversal, "", "\u4100\u4200", "AB"},
		{"uppercase and byte reversal", charmap.Uppercase | charmap.ByteReversal, "", "a", "\u4100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := charmap.New(tt.flags, tt.locale)
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.Map(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Map(%q) = %q (%U), want %q (%U)", tt.in, got, []rune(got), tt.want, []rune(tt.want))
			}
		})
	}
}

// TestByteReversalSurrogate: Ø (U+00D8) reversed is U+D800, half of a
// surrogate pair: an error, not a replacement character.
func TestByteReversalSurrogate(t *testing.T) {
	m, err := charmap.New(charmap.ByteReversal, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Map("Øl")
	var se *charmap.LoneSurrogateError
	if !errors.As(err, &se) || se.From != 0x00D8 || se.Unit != 0xD800 {
		t.Fatalf("error %v, want a LoneSurrogateError for U+00D8", err)
	}
	if !strings.Contains(err.Error(), "U+00D8 gives U+D800") {
		t.Errorf("error %q does not name the characters", err)
	}
}

// TestCheck: the operations the transformation refuses ("Character Map
// Transformation", Mutually Exclusive Mapping Operations) and those this
// runtime cannot do exactly.
func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		flags   charmap.Flags
		unicode bool
		want    string // "" for none
	}{
		{"uppercase", charmap.Uppercase, false, ""},
		{"none", 0, true, "MapFlags is 0"},
		{"unknown bit", charmap.Uppercase | 1, true, "bits 0x1"},
		{"lower and upper", charmap.Lowercase | charmap.Uppercase, true, "Lowercase and Uppercase are mutually exclusive"},
		{"hiragana and katakana", charmap.Hiragana | charmap.Katakana, true, "Hiragana and Katakana are mutually exclusive"},
		{"half and full width", charmap.HalfWidth | charmap.FullWidth, true, "Half width and Full width are mutually exclusive"},
		{"uppercase and full width", charmap.Uppercase | charmap.FullWidth, true, "Uppercase and Full width are mutually exclusive"},
		{"lowercase and katakana", charmap.Lowercase | charmap.Katakana, true, "Lowercase and Katakana are mutually exclusive"},
		{"chinese pair", charmap.SimplifiedChinese | charmap.TraditionalChinese, true, "mutually exclusive"},
		{"linguistic alone", charmap.LinguisticCasing, true, "Linguistic casing applies only with Lowercase or Uppercase"},
		{"simplified", charmap.SimplifiedChinese, true, "Simplified Chinese maps characters by the Windows conversion tables"},
		{"traditional", charmap.TraditionalChinese | charmap.Uppercase, true, "Traditional Chinese maps characters"},
		{"byte reversal of DT_STR", charmap.ByteReversal, false, "the column is not Unicode"},
		{"byte reversal of DT_WSTR", charmap.ByteReversal, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.flags.Check(tt.unicode)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !errors.Is(err, charmap.ErrFlags) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check(%s) = %v, want an ErrFlags saying %q", tt.flags, err, tt.want)
			}
		})
	}
}

// TestParse: MapFlags as the designer persists it (512 in a real package's
// Character Map), and in hexadecimal.
func TestParse(t *testing.T) {
	for in, want := range map[string]charmap.Flags{"512": charmap.Uppercase, " 256 ": charmap.Lowercase,
		"0x800000": charmap.FullWidth, "16777728": charmap.Uppercase | charmap.LinguisticCasing} {
		got, err := charmap.Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "-1", "0x"} {
		if _, err := charmap.Parse(in); !errors.Is(err, charmap.ErrFlags) {
			t.Errorf("Parse(%q) error %v, want ErrFlags", in, err)
		}
	}
	if s := (charmap.Uppercase | charmap.FullWidth | 1).String(); s != "Full width | Uppercase | 0x1" {
		t.Errorf("String = %q", s)
	}
}
