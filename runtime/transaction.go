package runtime

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/beevik/etree"

	"github.com/dtsx-run/dtsx/connections"
	"github.com/dtsx-run/dtsx/connections/database"
	"github.com/dtsx-run/dtsx/dtsx"
)

// Transactions ("Integration Services Transactions"): a container whose
// TransactionOption is Required starts a transaction unless its parent has
// one, which it then joins; Supported (the default) joins the parent's;
// NotSupported neither starts nor joins one, so its work is not rolled back
// with the parent's. SSIS runs these transactions through MSDTC, which is
// not here. What runs here is the case that needs no coordinator: every
// task in the transaction uses one OLE DB, ADO.NET or ODBC connection
// manager with RetainSameConnection=True, so all their statements go over
// one session, and a local transaction on that session (BEGIN before the
// container runs, COMMIT when it succeeds, ROLLBACK when it does not)
// binds them as SSIS's would. Anything else would need a distributed
// transaction, and validation says so.

// CodeTransaction reports a transaction that cannot run here as persisted.
const CodeTransaction = "transaction"

// txPlan is one transaction of a package: the executable that starts it
// and the manager whose retained session it runs on (nil when none of its
// tasks uses a connection that would enlist: there is nothing to bind).
type txPlan struct {
	root    *dtsx.Executable
	manager *database.Manager

	// What the walk found, for validation.
	enclosing *txPlan                                  // the transaction around a NotSupported break, if any
	uses      map[connections.Manager]*dtsx.Executable // enlisting manager → the first executable using it
	outside   map[connections.Manager]*dtsx.Executable // same, for NotSupported executables inside enclosing
	children  []*dtsx.Executable                       // Execute Package Tasks in the transaction
}

// enlists reports whether a connection manager would enlist in a
// transaction: the database managers (OLE DB, ADO.NET, ODBC and the other
// database providers SSIS knows) and MSMQ do; file, flat file, SMTP, HTTP
// and FTP connections are not transactional.
func enlists(m connections.Manager) bool {
	if _, ok := m.(*database.Manager); ok {
		return true
	}
	kind, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(m.Definition().CreationName)), ":")
	switch kind {
	case "OLEDB", "ADO.NET", "ODBC", "EXCEL", "MSMQ", "MSORA", "ORACLE", "SQLMOBILE", "TERADATA":
		return true
	}
	return false
}

// connectionsOf returns the connection managers an executable's own
// definition refers to (not its children's): attribute values that are a
// manager's DTSID (SQLTask:Connection="{...}", a Data Flow's
// connectionManagerID), a refId path (Package.ConnectionManagers[Name]),
// or, in an attribute whose name says Connection, a manager's name.
func (p *Package) connectionsOf(x *dtsx.Executable) []connections.Manager {
	seen := map[connections.Manager]bool{}
	var out []connections.Manager
	add := func(ref string) {
		m, err := p.Connections.Resolve(ref)
		if err == nil && !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, a := range e.Attr {
			v := strings.TrimSpace(a.Value)
			switch {
			case strings.HasPrefix(v, "{") && len(v) >= 38:
				add(v[:38]) // "{GUID}", or "{GUID}:external" in a Data Flow
			case strings.HasPrefix(v, "Package.ConnectionManagers[") || strings.HasPrefix(v, "Project.ConnectionManagers["):
				name := v[strings.Index(v, "[")+1:]
				if i := strings.LastIndex(name, "]"); i >= 0 {
					add(name[:i])
				}
			case strings.Contains(strings.ToLower(a.Key), "connection") && v != "":
				add(v)
			}
		}
		for _, c := range e.ChildElements() {
			switch c.Tag {
			case "Executables", "Executable", "EventHandlers", "EventHandler", "Variables", "PrecedenceConstraints", "ForEachVariableMappings":
				continue
			}
			walk(c)
		}
	}
	walk(x.Element)
	return out
}

// transactions finds the package's transactions and what stops each from
// running here.
func (p *Package) transactions() (map[*dtsx.Executable]*txPlan, dtsx.Diagnostics) {
	plans := map[*dtsx.Executable]*txPlan{}
	var order []*txPlan
	var diags dtsx.Diagnostics
	add := func(x *dtsx.Executable, msg, hint string) {
		diags = append(diags, dtsx.Diagnostic{Severity: dtsx.SeverityError, Code: CodeTransaction, File: p.Def.File, Path: x.RefID,
			Line: p.Def.Line(x.DTSID), Message: msg, Hint: hint})
	}
	// cur is the transaction x joins; enclosing the one around the
	// nearest NotSupported ancestor, when cur is nil because of it.
	var visit func(x *dtsx.Executable, cur, enclosing *txPlan)
	visit = func(x *dtsx.Executable, cur, enclosing *txPlan) {
		if x.Disabled {
			return
		}
		opt, err := x.TransactionOption()
		if err != nil {
			add(x, fmt.Sprintf("%q: %v", x.Name, err), "use 0 (NotSupported), 1 (Supported) or 2 (Required)")
		}
		switch opt {
		case dtsx.TransactionRequired:
			if cur == nil {
				cur = &txPlan{root: x, enclosing: enclosing, uses: map[connections.Manager]*dtsx.Executable{},
					outside: map[connections.Manager]*dtsx.Executable{}}
				plans[x] = cur
				order = append(order, cur)
			}
		case dtsx.TransactionNotSupported:
			if cur != nil {
				enclosing = cur
			}
			cur = nil
		}
		for _, m := range p.connectionsOf(x) {
			if !enlists(m) {
				continue
			}
			switch {
			case cur != nil:
				if _, ok := cur.uses[m]; !ok {
					cur.uses[m] = x
				}
			case enclosing != nil:
				if _, ok := enclosing.outside[m]; !ok {
					enclosing.outside[m] = x
				}
			}
		}
		if cur != nil && p.isExecutePackage(x) {
			cur.children = append(cur.children, x)
		}
		for _, c := range x.Executables {
			visit(c, cur, enclosing)
		}
		for _, h := range x.EventHandlers {
			visit(h, cur, enclosing)
		}
	}
	visit(p.Def.Executable, nil, nil)

	const fix = "use one OLE DB, ADO.NET or ODBC connection manager with RetainSameConnection=True for every task of the transaction, or set TransactionOption to Supported (1) so that no transaction starts"
	for _, t := range order {
		what := fmt.Sprintf("%q starts a transaction (TransactionOption Required)", t.root.Name)
		var names []string
		var ms []connections.Manager
		for m := range t.uses {
			ms = append(ms, m)
		}
		sort.Slice(ms, func(i, j int) bool { return ms[i].Definition().Name < ms[j].Definition().Name })
		for _, m := range ms {
			names = append(names, fmt.Sprintf("%q (used by %q)", m.Definition().Name, t.uses[m].Name))
		}
		switch {
		case len(ms) > 1:
			add(t.root, fmt.Sprintf("%s whose tasks use %d connection managers, %s: one transaction over several connections is a distributed transaction, which needs MSDTC, and this runtime runs only local transactions",
				what, len(ms), strings.Join(names, ", ")), fix)
			continue
		case len(ms) == 0:
			continue
		}
		m := ms[0]
		dm, ok := m.(*database.Manager)
		switch {
		case !ok:
			add(t.root, fmt.Sprintf("%s, and %s is a %s connection manager, which would enlist in a distributed transaction (MSDTC): this runtime runs only local transactions, on an OLE DB, ADO.NET or ODBC connection it executes",
				what, names[0], m.Definition().CreationName), fix)
			continue
		case !dm.RetainSameConnection():
			add(t.root, fmt.Sprintf("%s over connection manager %s, whose RetainSameConnection is False: each task opens its own connection, and only a distributed transaction (MSDTC) spans several",
				what, names[0]), fmt.Sprintf("set RetainSameConnection to True on connection manager %q: its tasks then share one session, and the transaction runs on it", m.Definition().Name))
			continue
		}
		t.manager = dm
		if x, ok := t.outside[m]; ok {
			add(x, fmt.Sprintf("%q is outside the transaction of %q (TransactionOption NotSupported) but uses its connection manager %q, whose one retained session holds the transaction: its statements would be rolled back with it",
				x.Name, t.root.Name, m.Definition().Name),
				"give it a connection manager of its own (without RetainSameConnection), or set its TransactionOption to Supported")
		}
		for _, c := range t.children {
			add(c, fmt.Sprintf("Execute Package Task %q runs in the transaction of %q: a child package's connections join it only through MSDTC", c.Name, t.root.Name),
				"set the task's TransactionOption to NotSupported (0) if the child package's work need not roll back with the transaction")
		}
		for e := t.enclosing; e != nil; e = e.enclosing {
			if e.manager == dm || e.uses[m] != nil {
				add(t.root, fmt.Sprintf("%s of its own inside the transaction of %q, on the same connection manager %q: its one retained session holds one transaction at a time",
					what, e.root.Name, m.Definition().Name),
					fmt.Sprintf("set TransactionOption of %q to Supported (1) to join the outer transaction", t.root.Name))
				break
			}
		}
	}
	return plans, diags
}

// localTx is a transaction a run has begun.
type localTx struct {
	plan *txPlan
	tx   *database.Tx
}

// txLocks holds, per manager, the lock a transaction keeps while it runs:
// two transactions on one retained session (sibling containers running at
// once) take turns.
type txLocks struct {
	mu sync.Mutex
	by map[*database.Manager]*sync.Mutex
}

func (l *txLocks) of(m *database.Manager) *sync.Mutex {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.by == nil {
		l.by = map[*database.Manager]*sync.Mutex{}
	}
	if l.by[m] == nil {
		l.by[m] = &sync.Mutex{}
	}
	return l.by[m]
}

// beginTransaction begins the local transaction x starts, if it starts
// one: on the retained session of its manager, with the manager's property
// expressions applied first, as a task's acquisition does.
func (r *run) beginTransaction(ctx context.Context, x *dtsx.Executable, sc *scope) (*localTx, error) {
	plan := r.txPlans[x]
	if plan == nil || plan.manager == nil {
		return nil, nil
	}
	m := plan.manager
	if err := r.applyConnectionExpressions(m, sc); err != nil {
		return nil, fmt.Errorf("TransactionOption Required: %w", err)
	}
	lock := r.txLocks.of(m)
	lock.Lock()
	tx, err := m.Begin(ctx, m.Run)
	if err != nil {
		lock.Unlock()
		return nil, fmt.Errorf("TransactionOption Required: cannot begin the local transaction: %w", err)
	}
	r.event(Event{Name: "OnInformation", Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID,
		Message: fmt.Sprintf("began a local transaction on the retained session of connection manager %q", m.Definition().Name)})
	return &localTx{plan: plan, tx: tx}, nil
}

// endTransaction commits the transaction when x succeeded and rolls it
// back otherwise; a commit that fails fails x. The rollback runs even when
// the run is cancelled.
func (r *run) endTransaction(ctx context.Context, x *dtsx.Executable, sc *scope, t *localTx, st Status) Status {
	if t == nil {
		return st
	}
	defer r.txLocks.of(t.plan.manager).Unlock()
	name := t.plan.manager.Definition().Name
	if st == Success {
		if err := t.tx.Commit(ctx); err != nil {
			r.raise(ctx, "OnError", x, sc, fmt.Sprintf("TransactionOption Required: the commit failed: %v", err), -1)
			return Failure
		}
		r.event(Event{Name: "OnInformation", Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID,
			Message: fmt.Sprintf("committed the local transaction on connection manager %q", name)})
		return st
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := t.tx.Rollback(rctx); err != nil {
		r.event(Event{Name: "OnWarning", Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID,
			Message: fmt.Sprintf("TransactionOption Required: the rollback failed (closing the session at the end of the run rolls it back): %v", err)})
		return st
	}
	r.event(Event{Name: "OnInformation", Source: x.Name, SourceRef: x.RefID, SourceID: x.DTSID,
		Message: fmt.Sprintf("rolled back the local transaction on connection manager %q: %q did not succeed", name, x.Name)})
	return st
}
