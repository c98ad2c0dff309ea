package capture

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
)

// errClosed is returned by a dial after Close.
var errClosed = errors.New("capture: the capture server is closed")

// pipeListener is a net.Listener with no address: Accept returns the
// server ends of the connections dial made, and nothing else can connect.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept waits for the next in-process connection.
func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close makes Accept and dial fail from now on.
func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr names no network address: there is none to reach.
func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

// dial makes a connected pair, queues the server end for Accept and
// returns the client end. It has the signature of net.Dialer.DialContext;
// network and address are ignored.
func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	select {
	case <-l.done:
		return nil, errClosed
	default:
	}
	client, server, err := socketPair()
	if err != nil {
		return nil, fmt.Errorf("capture: in-process connection: %w", err)
	}
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		err = errClosed
	case <-ctx.Done():
		err = ctx.Err()
	}
	client.Close()
	server.Close()
	return nil, err
}

// pipeAddr is the address of both ends of an in-process connection.
type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "in-process" }
