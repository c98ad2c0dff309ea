package dbflow

import (
	"testing"
	"time"
)

// appendTime writes what time.Time.AppendFormat writes, faster.
func TestAppendTime(t *testing.T) {
	east := time.FixedZone("", 5*3600+30*60)
	west := time.FixedZone("", -(8*3600 + 15*60 + 7))
	for _, tt := range []time.Time{
		time.Date(2024, 2, 29, 13, 14, 15, 123456789, time.UTC),
		time.Date(2019, 3, 4, 0, 0, 0, 0, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1000, east),
		time.Date(9999, 12, 31, 23, 59, 59, 500000000, west),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		t.Run(tt.String(), func(t *testing.T) {
			want := tt.Format("2006-01-02 15:04:05.999999-07:00")
			if _, off := tt.Zone(); off%60 != 0 {
				want = tt.Format("2006-01-02 15:04:05.999999-07:00:00")
			}
			if tt.Year() > 9999 {
				want = tt.Format("2006-01-02 15:04:05.999999Z07:00")
			}
			if got := string(appendTime(nil, tt)); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}
