package dtsx

import (
	"fmt"
	"strconv"
	"strings"
)

// TransactionOption says whether a container (a package, Sequence, loop or
// task host) starts or joins a transaction ("Integration Services
// Transactions"; DTSTransactionOption).
type TransactionOption int

// The transaction options, with their persisted values.
const (
	// TransactionNotSupported: the container neither starts nor joins one;
	// its work is not rolled back with its parent's transaction.
	TransactionNotSupported TransactionOption = 0
	// TransactionSupported joins the parent's transaction, if any (the
	// default).
	TransactionSupported TransactionOption = 1
	// TransactionRequired starts a transaction, unless the parent has one,
	// which it then joins.
	TransactionRequired TransactionOption = 2
)

var transactionNames = [...]string{"NotSupported", "Supported", "Required"}

// String returns NotSupported, Supported or Required.
func (o TransactionOption) String() string {
	if o < 0 || int(o) >= len(transactionNames) {
		return fmt.Sprintf("TransactionOption(%d)", int(o))
	}
	return transactionNames[o]
}

// TransactionOption returns the persisted DTS:TransactionOption of e, by
// value or by name; an absent one is Supported. A value that is neither is
// an error quoting it.
func (e *Executable) TransactionOption() (TransactionOption, error) {
	v, ok := e.Property("TransactionOption")
	v = strings.TrimSpace(v)
	if !ok || v == "" {
		return TransactionSupported, nil
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < len(transactionNames) {
		return TransactionOption(n), nil
	}
	for i, name := range transactionNames {
		if strings.EqualFold(v, name) {
			return TransactionOption(i), nil
		}
	}
	return TransactionSupported, fmt.Errorf("TransactionOption %q is not 0 (NotSupported), 1 (Supported) or 2 (Required)", v)
}
