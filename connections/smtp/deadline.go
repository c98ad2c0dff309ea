package smtp

import (
	"time"
)

// Timeout (the connection string's, in seconds) bounds each command: the
// wait for its reply, and each write, so that a server that stops reading
// a message fails the send after Timeout without progress. The QUIT after
// a failure never gets a fresh Timeout: it has what is left of the failed
// command's, at most quitCap, and is not sent at all when that command
// timed out. A stalled server thus fails a task after about Timeout, not
// twice that.

// quitCap bounds the QUIT sent after a failure: the server has answered
// the failed command (else nothing is left of its time), so a live server
// answers QUIT at once.
const quitCap = 2 * time.Second

// quitBudget returns how long the QUIT after a failure may wait: what is
// left until deadline, the failed command's, at most quitCap; 0 or less
// means QUIT is not worth sending.
func quitBudget(deadline, now time.Time) time.Duration {
	return min(deadline.Sub(now), quitCap)
}
