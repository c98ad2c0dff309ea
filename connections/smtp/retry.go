package smtp

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"
)

// DefaultRetryDelay is the first wait between tries when Retry is set and
// RetryDelay is not.
const DefaultRetryDelay = time.Second

// MaxRetryWait caps a single wait between tries, whatever RetryDelay and
// the number of tries so far.
const MaxRetryWait = 5 * time.Minute

// Sleep waits d or until ctx ends, returning ctx.Err() then. SendRetry uses
// it between tries; tests replace it so that they never sleep for real.
type Sleep func(ctx context.Context, d time.Duration) error

// SleepContext is the real Sleep: cancellation interrupts it at once.
func SleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Attempt is one failed try of SendRetry, without secrets: the step that
// failed, the server's code if it replied, and the error's message.
type Attempt struct {
	Op      string `json:"stage,omitempty"`
	Code    int    `json:"code,omitempty"`
	Message string `json:"message"`
}

// Delivery outcomes of SendRetry, as the run report names them.
const (
	DeliverySent      = "sent"
	DeliveryRefused   = "refused"
	DeliveryUnknown   = "delivery-unknown"
	DeliveryExhausted = "temporary-failure-exhausted"
)

// Delivery is what SendRetry did: the reply to the final dot when the mail
// was sent, how many tries it took, each failed try, and the outcome (one
// of the Delivery constants).
type Delivery struct {
	Reply    string
	Server   string
	Tries    int
	Failures []Attempt
	Outcome  string
	// CloseErr is the error of ending the session of the try that sent
	// the mail, if it did not end cleanly; the mail was sent all the same.
	CloseErr error
}

// backoff returns the wait before try n+1 (n >= 1): base doubled for each
// earlier retry, with up to 50% jitter added, capped at MaxRetryWait.
func backoff(base time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < MaxRetryWait; i++ {
		d *= 2
	}
	if d > 0 {
		d += time.Duration(rand.Int64N(int64(d)/2 + 1))
	}
	return min(d, MaxRetryWait)
}

// SendRetry acquires a session and sends msg (a whole message, read again
// on each try), trying again up to the settings' Retry times when a try
// fails temporarily (Classify: a 4xx reply, or a connection lost or timed
// out before the message was sent), with exponential backoff and jitter
// from RetryDelay (DefaultRetryDelay when 0), each wait capped at
// MaxRetryWait. A broken session is never kept, so a retry dials afresh. A
// permanent failure and a delivery unknown (ErrDeliveryUnknown: the server
// may have the message) are never retried. sleep nil is SleepContext.
func (m *Manager) SendRetry(ctx context.Context, opts Options, from string, to []string, msg string, sleep Sleep) (Delivery, error) {
	if sleep == nil {
		sleep = SleepContext
	}
	cfg, _ := m.settings()
	retries, base := 0, DefaultRetryDelay
	if cfg != nil {
		retries = cfg.Retry
		if cfg.RetryDelay > 0 {
			base = cfg.RetryDelay
		}
	}
	var d Delivery
	for {
		d.Tries++
		reply, server, closeErr, err := m.try(ctx, opts, from, to, msg)
		if err == nil {
			d.Reply, d.Server, d.Outcome, d.CloseErr = reply, server, DeliverySent, closeErr
			return d, nil
		}
		a := Attempt{Message: err.Error()}
		var e *Error
		if errors.As(err, &e) {
			a.Op, a.Code = e.Op, e.Code
			d.Server = e.Server
		}
		d.Failures = append(d.Failures, a)
		switch Classify(err) {
		case OutcomeUnknown:
			d.Outcome = DeliveryUnknown
			return d, err
		case OutcomePermanent:
			d.Outcome = DeliveryRefused
			return d, err
		}
		if d.Tries > retries {
			d.Outcome = DeliveryExhausted
			return d, err
		}
		if serr := sleep(ctx, backoff(base, d.Tries)); serr != nil {
			d.Outcome = DeliveryExhausted
			return d, errors.Join(err, serr)
		}
	}
}

// try is one acquire, send and close.
func (m *Manager) try(ctx context.Context, opts Options, from string, to []string, msg string) (reply, server string, closeErr, err error) {
	s, err := m.Acquire(ctx, opts)
	if err != nil {
		return "", "", nil, err
	}
	reply, err = s.Send(ctx, from, to, strings.NewReader(msg))
	closeErr = s.Close()
	return reply, s.Info.Server, closeErr, err
}
