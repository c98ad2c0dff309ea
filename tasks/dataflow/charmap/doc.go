// Package charmap owns the string operations of the Character Map
// transformation ("Character Map Transformation"): the MapFlags of a
// column, which are the LCMapString flags of Windows (LCMAP_LOWERCASE
// 0x100, LCMAP_UPPERCASE 0x200, LCMAP_BYTEREV 0x800, LCMAP_HIRAGANA
// 0x100000, LCMAP_KATAKANA 0x200000, LCMAP_HALFWIDTH 0x400000,
// LCMAP_FULLWIDTH 0x800000, LCMAP_LINGUISTIC_CASING 0x1000000,
// LCMAP_SIMPLIFIED_CHINESE 0x2000000, LCMAP_TRADITIONAL_CHINESE
// 0x4000000), their checks (the mutually exclusive operations of the
// transformation's documentation) and a Mapper that applies them to a
// string.
//
// Casing maps rune by rune (simple case mapping, so the length in
// characters is kept), with the Turkish and Azeri dotted and dotless i
// under linguistic casing in those locales. Kana maps between the hiragana
// and katakana blocks, width with golang.org/x/text/width (half width also
// splits a voiced katakana into its half-width letter and sound mark, as
// Windows does). Byte reversal swaps the bytes of each UTF-16 code unit;
// a result that is not a valid string (a lone surrogate) is a row error.
// The Chinese conversions need the Windows tables, which this runtime does
// not have: Check refuses them.
package charmap
