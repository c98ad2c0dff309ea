package runtime_test

import (
	"testing"

	"github.com/dtsx-run/dtsx/runtime"
)

func TestPathMapLocal(t *testing.T) {
	m := runtime.PathMap{UNCRoot: "/shares", Rules: []runtime.PathRule{
		{From: `C:\Data`, To: "/srv/data"},
		{From: `C:\Data\Archive`, To: "/archive"},
		{From: `\\fileserver\reports`, To: "/srv/reports"},
	}}
	tests := []struct{ in, base, want string }{
		// SSIS on Linux: a drive-letter path maps to the same path under /.
		{`D:\Exports\daily.csv`, "/pkg", "/Exports/daily.csv"},
		{`d:/Exports/daily.csv`, "/pkg", "/Exports/daily.csv"},
		{`C:\Data\x.csv`, "/pkg", "/srv/data/x.csv"},
		{`c:\data\x.csv`, "/pkg", "/srv/data/x.csv"},                  // Windows compares paths case-insensitively
		{`C:\Data\Archive\2019\x.csv`, "/pkg", "/archive/2019/x.csv"}, // the longest rule wins
		{`C:\DataSets\x.csv`, "/pkg", "/DataSets/x.csv"},              // a rule matches whole path elements only
		{`\\fileserver\reports\q1.xlsx`, "/pkg", "/srv/reports/q1.xlsx"},
		{`\\other\share\q1.xlsx`, "/pkg", "/shares/other/share/q1.xlsx"},
		{`\\other\share\..\..\..\etc\passwd`, "/pkg", "/shares/etc/passwd"},
		{"/var/data/x.csv", "/pkg", "/var/data/x.csv"},
		{"data/report.csv", "/pkg", "/pkg/data/report.csv"},
		{`data\report.csv`, "/pkg", "/pkg/data/report.csv"},
		{"report.csv", "", "report.csv"},
		{"", "/pkg", ""},
	}
	for _, tt := range tests {
		if got := m.Local(tt.in, tt.base); got != tt.want {
			t.Errorf("Local(%q, %q) = %q, want %q", tt.in, tt.base, got, tt.want)
		}
	}
	if got := (runtime.PathMap{}).Local(`\\srv\share\a.txt`, ""); got != "/mnt/srv/share/a.txt" {
		t.Errorf("default UNC root: %q", got)
	}
}

func TestParsePathRule(t *testing.T) {
	good := map[string]runtime.PathRule{
		`C:\Data=/srv/data`:         {From: `C:\Data`, To: "/srv/data"},
		` \\fs\share = /mnt/share `: {From: `\\fs\share`, To: "/mnt/share"},
	}
	for in, want := range good {
		got, err := runtime.ParsePathRule(in)
		if err != nil || got != want {
			t.Errorf("ParsePathRule(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "C:\\Data", "=/x", `C:\Data=relative/dir`, "/unix=/x", `Data=/x`} {
		if _, err := runtime.ParsePathRule(in); err == nil {
			t.Errorf("ParsePathRule(%q) accepted", in)
		}
	}
}

func TestParsePathMap(t *testing.T) {
	rules, err := runtime.ParsePathMap(`C:\Data=/srv/data; \\fs\share=/mnt/share;`)
	if err != nil || len(rules) != 2 || rules[1] != (runtime.PathRule{From: `\\fs\share`, To: "/mnt/share"}) {
		t.Errorf("ParsePathMap = %+v, %v", rules, err)
	}
	if _, err := runtime.ParsePathMap(`C:\Data=/srv/data;nonsense`); err == nil {
		t.Error("a bad rule accepted")
	}
}
