// Package report renders the report of a run as one self-contained HTML
// file: no network, no external script, font or image; the style is inline
// CSS and the timeline inline SVG. It shows the executable tree with each
// executable's status, a timeline of every result, the events with their
// sources, the mails, the rows of each data-flow path and the variables as
// the run left them.
//
// The page's parts have stable ids and classes for tools that read it:
// #tree (with .executable[data-status] items, data-status one of success,
// failure, skipped, cancelled), #timeline svg, #events, #mails, #dataflow
// and #variables.
package report
