package charmap

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Flags are the MapFlags of a Character Map column: a combination of the
// operations below, as the transformation persists them.
type Flags uint32

// The operations.
const (
	Lowercase          Flags = 0x100
	Uppercase          Flags = 0x200
	ByteReversal       Flags = 0x800
	Hiragana           Flags = 0x100000
	Katakana           Flags = 0x200000
	HalfWidth          Flags = 0x400000
	FullWidth          Flags = 0x800000
	LinguisticCasing   Flags = 0x1000000
	SimplifiedChinese  Flags = 0x2000000
	TraditionalChinese Flags = 0x4000000
)

// names are the operations as the Character Map Transformation Editor
// names them, in the order of its documentation.
var names = []struct {
	f    Flags
	name string
}{
	{ByteReversal, "Byte reversal"}, {FullWidth, "Full width"}, {HalfWidth, "Half width"},
	{Hiragana, "Hiragana"}, {Katakana, "Katakana"}, {LinguisticCasing, "Linguistic casing"},
	{Lowercase, "Lowercase"}, {SimplifiedChinese, "Simplified Chinese"},
	{TraditionalChinese, "Traditional Chinese"}, {Uppercase, "Uppercase"},
}

const all = Lowercase | Uppercase | ByteReversal | Hiragana | Katakana | HalfWidth | FullWidth |
	LinguisticCasing | SimplifiedChinese | TraditionalChinese

// String returns the operations by name, joined by " | ", or the number
// of the bits no operation has.
func (f Flags) String() string {
	var parts []string
	for _, n := range names {
		if f&n.f != 0 {
			parts = append(parts, n.name)
		}
	}
	if rest := f &^ all; rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%X", uint32(rest)))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " | ")
}

// Parse reads a persisted MapFlags: a decimal number (512), as the
// designer saves it, or a hexadecimal one (0x200).
func Parse(s string) (Flags, error) {
	t := strings.TrimSpace(s)
	base := 10
	if len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X") {
		t, base = t[2:], 16
	}
	n, err := strconv.ParseUint(t, base, 32)
	if err != nil {
		return 0, fmt.Errorf("%w: MapFlags %q is not a number", ErrFlags, s)
	}
	return Flags(n), nil
}

// ErrFlags is matched by every error of Check.
var ErrFlags = errors.New("charmap: MapFlags cannot be applied")

// exclusive are the pairs of operations the transformation cannot apply to
// one column ("Character Map Transformation", Mutually Exclusive Mapping
// Operations).
var exclusive = [][2]Flags{
	{Lowercase, Uppercase}, {Hiragana, Katakana}, {HalfWidth, FullWidth},
	{TraditionalChinese, SimplifiedChinese},
	{Lowercase, Hiragana}, {Lowercase, Katakana}, {Lowercase, HalfWidth}, {Lowercase, FullWidth},
	{Uppercase, Hiragana}, {Uppercase, Katakana}, {Uppercase, HalfWidth}, {Uppercase, FullWidth},
}

// Check reports why the operations cannot be applied to a column: none at
// all, an unknown bit, two mutually exclusive operations, linguistic
// casing without lowercase or uppercase (LCMapString takes it only with
// one of them), byte reversal of a column that is not Unicode (unicode
// false: DT_STR or DT_TEXT, whose bytes are those of a code page), or a
// Chinese conversion, which needs the Windows tables.
func (f Flags) Check(unicode bool) error {
	if f == 0 {
		return fmt.Errorf("%w: MapFlags is 0: choose at least one operation", ErrFlags)
	}
	if rest := f &^ all; rest != 0 {
		return fmt.Errorf("%w: MapFlags %d has bits 0x%X that name no operation of the Character Map", ErrFlags, uint32(f), uint32(rest))
	}
	for _, p := range exclusive {
		if f&p[0] != 0 && f&p[1] != 0 {
			return fmt.Errorf("%w: %s and %s are mutually exclusive: keep one of them", ErrFlags, p[0], p[1])
		}
	}
	if f&LinguisticCasing != 0 && f&(Lowercase|Uppercase) == 0 {
		return fmt.Errorf("%w: Linguistic casing applies only with Lowercase or Uppercase: add one of them", ErrFlags)
	}
	if f&(SimplifiedChinese|TraditionalChinese) != 0 {
		return fmt.Errorf("%w: %s maps characters by the Windows conversion tables, which this runtime does not have, so it cannot convert exactly: convert the text before the data flow, or remove the operation",
			ErrFlags, f&(SimplifiedChinese|TraditionalChinese))
	}
	if f&ByteReversal != 0 && !unicode {
		return fmt.Errorf("%w: Byte reversal swaps the two bytes of each character of a Unicode string, and the column is not Unicode (DT_STR or DT_TEXT): convert it to DT_WSTR first", ErrFlags)
	}
	return nil
}
