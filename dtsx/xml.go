package dtsx

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// XML namespaces of the SSIS file formats.
const (
	NamespaceDTS  = "www.microsoft.com/SqlServer/Dts"  // packages and .conmgr
	NamespaceSSIS = "www.microsoft.com/SqlServer/SSIS" // .params, manifests
)

// attr returns the value of e's attribute named key, whatever its prefix
// (SSIS writes DTS:ObjectName, IDREF, Sensitive, SendMailTask:To ...).
func attr(e *etree.Element, key string) (string, bool) {
	for _, a := range e.Attr {
		if a.Key == key && a.Space != "xmlns" {
			return a.Value, true
		}
	}
	return "", false
}

// attrValue is attr without the presence flag.
func attrValue(e *etree.Element, key string) string {
	v, _ := attr(e, key)
	return v
}

// firstChild returns e's first child element with the local name tag, or nil.
func firstChild(e *etree.Element, tag string) *etree.Element {
	for _, c := range e.Child {
		if ce, ok := c.(*etree.Element); ok && ce.Tag == tag {
			return ce
		}
	}
	return nil
}

// firstElement returns e's first child element, or nil.
func firstElement(e *etree.Element) *etree.Element {
	if e == nil {
		return nil
	}
	for _, c := range e.Child {
		if ce, ok := c.(*etree.Element); ok {
			return ce
		}
	}
	return nil
}

// ParseBool reads a Boolean as SSIS persists it (True/False in formats 6
// and 8, -1/0 in formats 2 and 3, 1 in some hand-written files) and as
// configurations, command lines and property expressions give it: True or
// False in any case, or -1, 1 and 0, around spaces. It reports whether s
// was one; an empty value is not.
func ParseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "-1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// parseBool is ParseBool for attributes and properties whose empty value
// is False.
func parseBool(s string) (bool, bool) {
	if strings.TrimSpace(s) == "" {
		return false, true
	}
	return ParseBool(s)
}

// parseInt reads an integer property, reporting whether it was one.
func parseInt(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// quote puts s in double quotes without escaping backslashes, so that
// element paths (Package\Task) read as they are written.
func quote(s string) string { return `"` + s + `"` }
