// Package fence owns the egress fence of dtsx: the one allow-list of hosts,
// addresses and CIDR ranges that every outbound connection of a run is
// checked against (SMTP servers and their Kerberos KDCs, database
// servers), before any DNS lookup and before any connection.
//
// The list comes from DTSX_ALLOWED_HOSTS; DTSX_SMTP_ALLOWED_HOSTS, the
// variable of the SMTP managers before there were others, is kept as an
// alias that fences every connection too. When both are set a host must
// be allowed by both: a fence only ever narrows what a run may reach, so
// adding one variable never widens what the other allowed. An option of
// the command line (--allowed-hosts) replaces both.
//
// A host name is allowed only when it is listed by name: it is never
// resolved to be compared with addresses, so a name cannot smuggle a
// private address past a list of public ones.
package fence
