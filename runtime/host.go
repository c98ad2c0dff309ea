package runtime

import "os"

var osHostname = os.Hostname
