package assess

import (
	"sort"
)

// projectView groups the packages' blockers, connections, servers and
// needs, each group listing its packages in order.
func projectView(ps []Package) Project {
	pr := Project{Blockers: []BlockerGroup{}, Connections: []ConnectionUse{}, Servers: []ServerUse{}, Needs: []NeedGroup{}}
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
	for _, g := range blockers {
		pr.Blockers = append(pr.Blockers, *g)
	}
	sort.Slice(pr.Blockers, func(i, j int) bool {
		a, b := pr.Blockers[i], pr.Blockers[j]
		if len(a.Packages) != len(b.Packages) {
			return len(a.Packages) > len(b.Packages)
		}
		if a.Kind != b.Kind {
			return a.Kind > b.Kind // task before error before component at equal counts
		}
		return a.Type < b.Type
	})
	for _, u := range conns {
		pr.Connections = append(pr.Connections, *u)
	}
	sort.Slice(pr.Connections, func(i, j int) bool {
		a, b := pr.Connections[i], pr.Connections[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Server < b.Server
	})
	for _, s := range servers {
		pr.Servers = append(pr.Servers, *s)
	}
	sort.Slice(pr.Servers, func(i, j int) bool {
		a, b := pr.Servers[i], pr.Servers[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		return a.Kind < b.Kind
	})
	for _, g := range needs {
		pr.Needs = append(pr.Needs, *g)
	}
	sort.Slice(pr.Needs, func(i, j int) bool {
		a, b := pr.Needs[i], pr.Needs[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Subject < b.Subject
	})
	return pr
}

// addOnce appends s unless it is already last (packages come in order).
func addOnce(list []string, s string) []string {
	if n := len(list); n > 0 && list[n-1] == s {
		return list
	}
	return append(list, s)
}
