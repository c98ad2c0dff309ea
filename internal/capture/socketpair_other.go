//go:build !unix

package capture

import "net"

// socketPair returns the two ends of a net.Pipe where unnamed socket pairs
// are not available.
func socketPair() (net.Conn, net.Conn, error) {
	a, b := net.Pipe()
	return a, b, nil
}
