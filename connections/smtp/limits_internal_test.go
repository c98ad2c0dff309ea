package smtp

import (
	"errors"
	"strings"
	"testing"
)

// TestReplyBound: the bounds on replies (RFC 5321 §4.5.3.1.5 with go-smtp's
// margin) fail at the first octet over them, however the bytes are split
// into reads, and a reply's end resets them.
func TestReplyBound(t *testing.T) {
	line := func(n int, cont bool) string { // a reply line of n octets with its CRLF
		sep := " "
		if cont {
			sep = "-"
		}
		return "250" + sep + strings.Repeat("x", n-6) + "\r\n"
	}
	lines := func(k, n int) string { // a reply of k lines of n octets
		return strings.Repeat(line(n, true), k-1) + line(n, false)
	}
	tests := []struct {
		name  string
		in    string
		limit int // 0: within the bounds
	}{
		{"EHLO reply", "250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n", 0},
		{"line of MaxReplyLine", line(MaxReplyLine, false), 0},
		{"line of MaxReplyLine+1", line(MaxReplyLine+1, false), MaxReplyLine},
		{"endless line", "250-" + strings.Repeat("x", 3*MaxReplyLine), MaxReplyLine},
		{"MaxReplyLines lines", lines(MaxReplyLines, 7), 0},
		{"MaxReplyLines+1 lines", lines(MaxReplyLines+1, 7), MaxReplyLines},
		{"reply of MaxReplyBytes", lines(MaxReplyBytes/64, 64), 0},
		{"reply over MaxReplyBytes", lines(MaxReplyBytes/64+1, 64), MaxReplyBytes},
		{"many replies, each small", strings.Repeat(lines(10, 1000), 100), 0},
		{"malformed lines continue a reply (net/textproto)", "250-a\r\n" + strings.Repeat("garbage\r\n250\r\n251 other code\r\n", MaxReplyLines), MaxReplyLines},
		{"a malformed first line ends it", strings.Repeat("x\r\n", 2*MaxReplyLines), 0},
		{"LF only", strings.Repeat("250-x\n", MaxReplyLines) + "250 x\n", MaxReplyLines},
	}
	for _, tt := range tests {
		for _, chunk := range []int{1, 7, 4096, len(tt.in)} {
			var b replyBound
			var err error
			read := 0
			for i := 0; i < len(tt.in) && err == nil; i += chunk {
				var n int
				n, err = b.scan([]byte(tt.in[i:min(i+chunk, len(tt.in))]))
				read += n
			}
			var pe *ProtocolError
			switch {
			case tt.limit == 0 && err != nil:
				t.Errorf("%s (reads of %d): %v", tt.name, chunk, err)
			case tt.limit == 0:
			case !errors.As(err, &pe) || pe.Limit != tt.limit || !errors.Is(err, ErrProtocol):
				t.Errorf("%s (reads of %d): err = %v, want the bound %d", tt.name, chunk, err, tt.limit)
			case read > len(tt.in) || strings.Contains(pe.Error(), "xxx"):
				t.Errorf("%s: %d octets passed; message %q", tt.name, read, pe.Error())
			}
			if err != nil {
				if n, again := b.scan([]byte("250 ok\r\n")); n != 0 || again != err {
					t.Errorf("%s: after the error, scan gave %d, %v; want 0 and the same error", tt.name, n, again)
				}
			}
		}
	}
}
