// Package html renders an assessment as one self-contained HTML page: the
// verdict counts, the blockers grouped across packages, the configuration
// the project needs, the connection managers and servers used, and a card
// per package with its reasons and its control flow and data flows drawn
// as inline SVG (internal/graph). The page loads nothing: no script, no
// style sheet, font or image from elsewhere; CSS is inline and the fonts
// are the system's.
//
// Its ids and classes are stable, for browser tests and for people who
// style or scrape it: #summary (li.count[data-verdict] with span.n),
// #blockers (tr.blocker-group[data-kind][data-type]), #needs
// (tr.need-group[data-kind]), #connections (tr.connection), #servers
// (tr.server[data-allowed]), #packages with article.package-card
// [data-verdict][data-file] (ul.blockers, ul.needs, table.connections,
// figure.control-flow holding svg.control-flow, figure.data-flow holding
// svg.data-flow).
package html
