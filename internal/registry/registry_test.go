package registry

import (
	"errors"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	r := New[int]("task", func(n string) []string {
		if i := strings.IndexByte(n, ','); i >= 0 {
			return []string{n[:i]}
		}
		return nil
	})
	r.Register("Microsoft.SendMailTask", 1, "Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask")
	r.Register("SMTP", 2)
	tests := []struct {
		name      string
		want      int
		canonical string
		unknown   bool
	}{
		{"Microsoft.SendMailTask", 1, "Microsoft.SendMailTask", false},
		{"microsoft.sendmailtask", 1, "Microsoft.SendMailTask", false},
		{"Microsoft.SqlServer.Dts.Tasks.SendMailTask.SendMailTask, Microsoft.SqlServer.SendMailTask, Version=9.0.242.0", 1, "Microsoft.SendMailTask", false},
		{"smtp", 2, "SMTP", false},
		{"SMTP (KingswaySoft)", 0, "", true},
		{"", 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, canon, err := r.Lookup(tt.name)
			if tt.unknown {
				var ute *UnknownTypeError
				if !errors.Is(err, ErrUnknownType) || !errors.As(err, &ute) || ute.Name != tt.name || len(ute.Known) != 2 {
					t.Fatalf("Lookup(%q) error = %v, want *UnknownTypeError naming it", tt.name, err)
				}
				return
			}
			if err != nil || got != tt.want || canon != tt.canonical {
				t.Fatalf("Lookup(%q) = %d, %q, %v; want %d, %q", tt.name, got, canon, err, tt.want, tt.canonical)
			}
		})
	}
}

func TestRegisterPanics(t *testing.T) {
	for _, names := range [][]string{{""}, {"A", "a"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) did not panic", names)
				}
			}()
			r := New[int]("x", nil)
			for _, n := range names {
				r.Register(n, 0)
			}
		}()
	}
}
