package dtsx_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/dtsx"
)

// TestParseBool: the Booleans SSIS persists and configurations, command
// lines and property expressions give, and what is not one.
func TestParseBool(t *testing.T) {
	tests := []struct {
		in       string
		want, ok bool
	}{
		{"True", true, true}, {" true ", true, true}, {"1", true, true}, {"-1", true, true},
		{"FALSE", false, true}, {"0", false, true},
		{"", false, false}, {"yes", false, false}, {"2", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, ok := dtsx.ParseBool(tt.in); got != tt.want || ok != tt.ok {
				t.Errorf("= %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
