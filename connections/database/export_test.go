package database

import "time"

// AgeRetained makes the retained session look unused for d longer, so
// that tests reach the idle ping without waiting.
func (m *Manager) AgeRetained(d time.Duration) {
	m.poolMu.Lock()
	m.keptUsed = m.keptUsed.Add(-d)
	m.poolMu.Unlock()
}
