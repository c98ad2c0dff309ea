package smtp

import (
	"testing"
	"time"
)

func TestQuitBudget(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name     string
		deadline time.Time
		want     time.Duration
	}{
		{"the failed command timed out", now.Add(-time.Millisecond), -time.Millisecond},
		{"no command yet", time.Time{}, time.Time{}.Sub(now)},
		{"little left", now.Add(300 * time.Millisecond), 300 * time.Millisecond},
		{"a fresh Timeout left", now.Add(100 * time.Second), quitCap},
	}
	for _, tt := range tests {
		if got := quitBudget(tt.deadline, now); got != tt.want {
			t.Errorf("%s: quitBudget = %v, want %v", tt.name, got, tt.want)
		}
	}
}
