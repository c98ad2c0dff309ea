package dftask

import (
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/dtsx/pipeline"
)

// TestLocale: a component's localeId maps to a language tag ([MS-LCID]);
// -1 and none are the neutral locale, which compares as en-US; a locale ID
// not mapped is an error that says what to set.
func TestLocale(t *testing.T) {
	tests := []struct {
		attr, want, err string
	}{
		{"1033", "en-US", ""},
		{"1031", "de-DE", ""},
		{"8201", "en-JM", ""},
		{"-1", "", ""},
		{"", "", ""},
		{"12345", "", "LocaleID 12345 is not one"},
		{"x", "", `localeId "x" is not a locale ID`},
	}
	for _, tt := range tests {
		t.Run(tt.attr, func(t *testing.T) {
			e := etree.NewElement("component")
			if tt.attr != "" {
				e.CreateAttr("localeId", tt.attr)
			}
			got, err := locale(&pipeline.Component{Element: e})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("locale(%q) = %q, %v; want an error saying %q", tt.attr, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("locale(%q) = %q, %v; want %q", tt.attr, got, err, tt.want)
			}
		})
	}
}
