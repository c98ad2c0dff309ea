package main

import (
	"testing"

	"github.com/dtsx-run/dtsx/internal/testfence"
)

// TestMain runs the tests behind the loopback egress fence.
func TestMain(m *testing.M) { testfence.Main(m) }
