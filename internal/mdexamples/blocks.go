package mdexamples

import (
	"regexp"
	"strings"
)

// Block is a fenced code block of a Markdown file.
type Block struct {
	// Info is the first word of the info string (```yaml gives "yaml"),
	// lower-cased; "" when there is none.
	Info string
	// Line is the line of the opening fence, from 1.
	Line int
	// Text is the content, each line ending in "\n".
	Text string
}

// Blocks returns the fenced code blocks of a Markdown document, fenced
// with ``` or ~~~ (three or more), in order. An unclosed block runs to the
// end, as CommonMark has it.
func Blocks(src string) []Block {
	var out []Block
	var cur *Block
	var fence string
	var body strings.Builder
	for i, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if cur == nil {
			f := fenceOf(trimmed)
			if f == "" {
				continue
			}
			info := strings.Fields(strings.TrimSpace(trimmed[len(f):]))
			cur, fence = &Block{Line: i + 1}, f
			if len(info) > 0 {
				cur.Info = strings.ToLower(info[0])
			}
			body.Reset()
			continue
		}
		if strings.HasPrefix(trimmed, fence) && strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1])) == "" {
			cur.Text = body.String()
			out = append(out, *cur)
			cur = nil
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	if cur != nil {
		cur.Text = body.String()
		out = append(out, *cur)
	}
	return out
}

// fenceOf returns the opening fence line starts with, or "".
func fenceOf(line string) string {
	for _, c := range []string{"`", "~"} {
		n := len(line) - len(strings.TrimLeft(line, c))
		if n >= 3 {
			return line[:n]
		}
	}
	return ""
}

// Code is an inline code span of the prose (outside fenced blocks).
type Code struct {
	Line int    // from 1
	Text string // between the backticks, trimmed
	// Cell is the index of the table cell holding the span, from 0, or
	// -1 outside a table row.
	Cell int
}

var codeSpan = regexp.MustCompile("`+[^`]+`+")

// InlineCodes returns the inline code spans of a Markdown document's
// prose, with the table cell each is in. A `|` escaped as `\|` does not
// split cells.
func InlineCodes(src string) []Code {
	var out []Code
	in := ""
	for i, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if f := fenceOf(trimmed); f != "" && (in == "" || strings.HasPrefix(trimmed, in)) {
			if in == "" {
				in = f
			} else {
				in = ""
			}
			continue
		}
		if in != "" {
			continue
		}
		row := strings.HasPrefix(trimmed, "|")
		for _, loc := range codeSpan.FindAllStringIndex(line, -1) {
			text := strings.Trim(line[loc[0]:loc[1]], "`")
			cell := -1
			if row {
				before := strings.ReplaceAll(line[:loc[0]], `\|`, "")
				cell = strings.Count(before, "|") - 1
			}
			text = strings.ReplaceAll(text, `\|`, "|")
			out = append(out, Code{Line: i + 1, Text: strings.TrimSpace(text), Cell: cell})
		}
	}
	return out
}
