package smtp

import (
	"context"
	"errors"
)

// ErrDeliveryUnknown is matched (errors.Is) by a failure after the message
// was sent: the final dot went out but its reply never came (the
// connection was lost, the server stalled or answered garbage, the run was
// cancelled). The server may have delivered the message, and sending it
// again may deliver it twice (RFC 1047).
var ErrDeliveryUnknown = errors.New("delivery unknown: the server never confirmed the message, which it may or may not have delivered")

// Outcome says what a failed send means for another try.
type Outcome int

const (
	// OutcomePermanent: another try fails the same way (a 5xx reply, a
	// TLS or authentication failure, a bad setting, a broken server, a
	// cancelled run). It is the zero value.
	OutcomePermanent Outcome = iota
	// OutcomeTemporary: nothing was delivered and a later try may succeed
	// (a 4xx reply at any stage, a server that cannot be reached, did not
	// answer in time or closed the connection before the message was sent).
	OutcomeTemporary
	// OutcomeUnknown: the message was sent but not confirmed
	// (ErrDeliveryUnknown); another try may deliver it twice.
	OutcomeUnknown
)

// String returns the name of the outcome: "temporary", "permanent" or
// "unknown".
func (o Outcome) String() string {
	switch o {
	case OutcomeTemporary:
		return "temporary"
	case OutcomeUnknown:
		return "unknown"
	}
	return "permanent"
}

// Classify returns the Outcome of an error of Dial, Acquire or Send, for a
// retry layer: retry OutcomeTemporary only, never OutcomeUnknown blindly.
// Refused recipients count as the RecipientsError's code: temporary only
// when every refusal was 4xx. Classify(nil) is OutcomePermanent: there is
// nothing to try again.
func Classify(err error) Outcome {
	if err == nil {
		return OutcomePermanent
	}
	if errors.Is(err, ErrDeliveryUnknown) {
		return OutcomeUnknown
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return OutcomePermanent // the run is ending, not the server failing
	}
	var e *Error
	if !errors.As(err, &e) {
		return OutcomePermanent
	}
	switch {
	case e.Code/100 == 4: // RFC 5321 §4.2.1: transient negative completion
		return OutcomeTemporary
	case e.Code/100 == 5:
		return OutcomePermanent
	}
	switch e.Kind {
	case ErrConnect, ErrConnectionLost, ErrTimeout:
		return OutcomeTemporary
	}
	return OutcomePermanent
}
