package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestReportingDataFlow: /Reporting D shows the Data Flow task's log
// entries on the console (one OnPipelineRowsSent per path, one
// PipelineComponentTime per component), and /Reporting EI does not.
// The sample's three files go to a temporary directory by /Conn.
func TestReportingDataFlow(t *testing.T) {
	out := t.TempDir()
	conns := []string{}
	for _, c := range []string{"Big CSV", "Small CSV", "Errors CSV"} {
		file := strings.ToLower(strings.TrimSuffix(c, " CSV")) + ".csv"
		conns = append(conns, "/Conn", c+";"+filepath.Join(out, file))
	}
	for _, tt := range []struct {
		levels    string
		rowsSent  int
		compTimes int
	}{
		{"D", 5, 6},
		{"EI", 0, 0},
	} {
		t.Run(tt.levels, func(t *testing.T) {
			code, text := dtexec(t, append([]string{"/F", "../../samples/csv-split.dtsx", "/Rep", tt.levels}, conns...)...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, text)
			}
			if n := strings.Count(text, "OnPipelineRowsSent: "); n != tt.rowsSent {
				t.Errorf("%d OnPipelineRowsSent lines, want %d:\n%s", n, tt.rowsSent, text)
			}
			if n := strings.Count(text, "PipelineComponentTime: "); n != tt.compTimes {
				t.Errorf("%d PipelineComponentTime lines, want %d:\n%s", n, tt.compTimes, text)
			}
			if tt.rowsSent > 0 && !strings.Contains(text, `OnPipelineRowsSent: Package\Split orders: Rows were provided to a data flow component as input. :  : Package\Split orders.Paths[Big] : Big : Package\Split orders\Write big : Write big : Package\Split orders\Write big.Inputs[Flat File Destination Input] : Flat File Destination Input : 3`) {
				t.Errorf("no OnPipelineRowsSent for the path Big with 3 rows:\n%s", text)
			}
		})
	}
}
