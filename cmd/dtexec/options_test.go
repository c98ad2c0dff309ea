package main

import "testing"

// TestLettersString: /Rep levels and /ConsoleLog columns write themselves
// as the options spell them, in the documented order.
func TestLettersString(t *testing.T) {
	for _, tt := range []struct {
		name string
		got  string
		want string
	}{
		{"no level", ReportNone.String(), "N"},
		{"default levels", ReportDefault.String(), "EWP"},
		{"verbose", (ReportVerbose | ReportErrors).String(), "EV"},
		{"no column", ConsoleColumns(0).String(), ""},
		{"some columns", (ColTime | ColName | ColMessage).String(), "NMT"},
		{"all columns", AllColumns.String(), "NCOSGXMT"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("String() = %q, want %q", tt.got, tt.want)
			}
		})
	}
}
