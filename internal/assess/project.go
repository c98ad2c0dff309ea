package assess

import (
	"fmt"
	"slices"
	"sort"
)

// projectView groups the packages' blockers, connections, servers and
// needs, each group listing its packages in order.
func projectView(ps []Package) Project {
	var pr Project
	blockers := map[[2]string]*BlockerGroup{}
	conns := map[Connection]*ConnectionUse{}
	servers := map[[2]string]*ServerUse{}
	needs := map[[2]string]*NeedGroup{}
	for _, p := range ps {
		for _, b := range p.Blockers {
			k := [2]string{b.Kind, b.Type}
			g := blockers[k]
			if g == nil {
				g = &BlockerGroup{Kind: b.Kind, Type: b.Type}
				blockers[k] = g
			}
			g.Count++
			g.Packages = addOnce(g.Packages, p.File)
		}
		for _, c := range p.Connections {
			u := conns[c]
			if u == nil {
				u = &ConnectionUse{Connection: c}
				conns[c] = u
			}
			u.Packages = addOnce(u.Packages, p.File)
			if c.Host == "" {
				continue
			}
			sk := [2]string{c.Host, c.Kind}
			s := servers[sk]
			if s == nil {
				s = &ServerUse{Host: c.Host, Kind: c.Kind, Allowed: !c.Refused}
				servers[sk] = s
			}
			s.Packages = addOnce(s.Packages, p.File)
		}
		for _, n := range p.Needs {
			k := [2]string{n.Kind, n.Subject}
			g := needs[k]
			if g == nil {
				g = &NeedGroup{Kind: n.Kind, Subject: n.Subject, Detail: n.Detail}
				needs[k] = g
			}
			g.Packages = addOnce(g.Packages, p.File)
		}
	}
	pr.Blockers = sorted(blockers, func(g BlockerGroup) []string {
		return []string{fmt.Sprintf("%09d", 1e9-1-len(g.Packages)), kindRank[g.Kind], g.Type}
	})
	pr.Connections = sorted(conns, func(u ConnectionUse) []string { return []string{u.Name, u.Type, u.Server} })
	pr.Servers = sorted(servers, func(s ServerUse) []string { return []string{s.Host, s.Kind} })
	pr.Needs = sorted(needs, func(g NeedGroup) []string { return []string{g.Kind, g.Subject} })
	return pr
}

// kindRank orders the blocker kinds of as many packages: tasks, then
// errors, then components.
var kindRank = map[string]string{BlockerTask: "0", BlockerError: "1", BlockerComponent: "2"}

// sorted returns the values of m ordered by their keys.
func sorted[K comparable, T any](m map[K]*T, key func(T) []string) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool { return slices.Compare(key(out[i]), key(out[j])) < 0 })
	return out
}

// addOnce appends s unless it is already last (packages come in order).
func addOnce(list []string, s string) []string {
	if n := len(list); n > 0 && list[n-1] == s {
		return list
	}
	return append(list, s)
}
