package smtp

import (
	"github.com/dtsx-run/dtsx/connections/fence"
)

// EnvAllowedHosts names the older environment variable of the egress
// fence, kept as an alias of fence.Env (DTSX_ALLOWED_HOSTS): each fences
// every outbound connection, and with both set a host must pass both.
const EnvAllowedHosts = fence.EnvSMTP

// Fence is the egress fence of every outbound connection (package fence).
// A nil *Fence allows everything.
type Fence = fence.Fence

// ParseFence reads a comma-separated list such as
// "127.0.0.1,::1,localhost,10.0.0.0/8" (fence.ParseFrom); its messages
// name DTSX_SMTP_ALLOWED_HOSTS, as they always have.
func ParseFence(s string) (*Fence, error) { return fence.ParseFrom(EnvAllowedHosts, s) }

// FenceFromEnv returns the fence of DTSX_ALLOWED_HOSTS and
// DTSX_SMTP_ALLOWED_HOSTS, or nil when neither is set (fence.FromEnv).
func FenceFromEnv() (*Fence, error) { return fence.FromEnv() }
