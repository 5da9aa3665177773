// Package pdf lays out the plain A4 documents of a case file (卷宗): a
// letterhead, titles, paragraphs and ruled form tables, in Chinese and in
// Latin script, with go-pdf/fpdf. Two TrueType fonts are embedded, each
// subset to the characters a document uses (a letter is tens of kilobytes):
// Droid Sans Fallback (Apache-2.0) for CJK characters and punctuation, and
// DejaVu Sans (Bitstream Vera licence) for everything below U+2E80, which
// the CJK font lacks (digits, Latin letters). Text is split into runs by
// font and wrapped by hand: a CJK character may break anywhere, a Latin
// word only at a space. Like package export, it imports nothing of the
// module.
package pdf

import (
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

//go:embed fonts/DroidSansFallbackFull.ttf
var cjkFont []byte

//go:embed fonts/DejaVuSans.ttf
var latinFont []byte

// The page's geometry, in millimetres.
const (
	pageWidth  = 210.0
	pageHeight = 297.0
	margin     = 20.0
	bottom     = pageHeight - margin
	textWidth  = pageWidth - 2*margin
	cellPad    = 1.8
)

// Align is a line's alignment.
type Align int

// The alignments.
const (
	Left Align = iota
	Center
	Right
)

// Meta is what a document says of itself.
type Meta struct {
	Title   string
	Author  string
	Created time.Time // zero: now
	// Footer is printed at the foot of every page, before the page number.
	Footer string
}

// Doc is one PDF document being laid out; its methods add to the current
// page and start a new one when it is full. The first error sticks and is
// returned by Write.
type Doc struct {
	f    *fpdf.Fpdf
	size float64 // the font size in points
}

// New starts a document with its first page.
func New(m Meta) *Doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(false, margin)
	f.AddUTF8FontFromBytes("cjk", "", cjkFont)
	f.AddUTF8FontFromBytes("latin", "", latinFont)
	f.SetTitle(m.Title, true)
	f.SetAuthor(m.Author, true)
	f.SetCreator("Redress", true)
	if !m.Created.IsZero() {
		f.SetCreationDate(m.Created)
		f.SetModificationDate(m.Created)
	}
	f.SetFont("latin", "", 11) // a page starts with a font set
	d := &Doc{f: f, size: 11}
	f.SetFooterFunc(func() {
		size := d.size
		d.setSize(8)
		d.line(margin, pageHeight-margin/2, textWidth, strings.TrimSpace(m.Footer+"  "+fmt.Sprint(f.PageNo())), Center)
		d.setSize(size)
	})
	f.AddPage()
	f.SetY(margin)
	return d
}

// setSize sets the font size of both fonts.
func (d *Doc) setSize(pt float64) {
	d.size = pt
	d.f.SetFontSize(pt)
}

// lineHeight is the height of a line at the current size, in mm.
func (d *Doc) lineHeight() float64 { return d.size * 0.3528 * 1.5 }

// fontOf names the font that draws r: the CJK font from U+2E80 (CJK
// radicals, punctuation, ideographs, fullwidth forms) on, else the Latin.
func fontOf(r rune) string {
	if r >= 0x2E80 {
		return "cjk"
	}
	return "latin"
}

// runs splits s into pieces drawn by one font each.
func runs(s string) (pieces, fonts []string) {
	start, font := 0, ""
	for i, r := range s {
		if f := fontOf(r); f != font {
			if i > start {
				pieces, fonts = append(pieces, s[start:i]), append(fonts, font)
			}
			start, font = i, f
		}
	}
	if len(s) > start {
		pieces, fonts = append(pieces, s[start:]), append(fonts, font)
	}
	return pieces, fonts
}

// width is the width of s at the current size, in mm.
func (d *Doc) width(s string) float64 {
	w := 0.0
	pieces, fonts := runs(s)
	for i, p := range pieces {
		d.f.SetFont(fonts[i], "", d.size)
		w += d.f.GetStringWidth(p)
	}
	return w
}

// line draws one line of text in a box of width w from x, its baseline
// at y.
func (d *Doc) line(x, y, w float64, s string, a Align) {
	switch a {
	case Center:
		x += (w - d.width(s)) / 2
	case Right:
		x += w - d.width(s)
	}
	pieces, fonts := runs(s)
	for i, p := range pieces {
		d.f.SetFont(fonts[i], "", d.size)
		d.f.Text(x, y, p)
		x += d.f.GetStringWidth(p)
	}
}

// tokens cuts a paragraph into what a line may not split: a CJK character,
// a word of other characters, a run of spaces.
func tokens(s string) []string {
	var out []string
	word := strings.Builder{}
	flush := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == ' ':
			flush()
			out = append(out, " ")
		case fontOf(r) == "cjk":
			flush()
			out = append(out, string(r))
		default:
			word.WriteRune(r)
		}
	}
	flush()
	return out
}

// closers are the marks a line may not start with (禁则): they hang at
// the end of the line before.
const closers = "，。、；：？！）》」』”’．,.;:?!)"

// wrap cuts text into lines of at most w mm at the current size: each
// newline starts a line, a word longer than a line is cut by character.
func (d *Doc) wrap(text string, w float64) []string {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", " ").Replace(text)
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		cur, curW := "", 0.0
		for _, tok := range tokens(para) {
			tw := d.width(tok)
			// A closing mark hangs past the end rather than start a line.
			if curW+tw <= w || cur == "" && tw <= w || cur != "" && strings.Contains(closers, tok) {
				cur, curW = cur+tok, curW+tw
				continue
			}
			if tok == " " {
				lines, cur, curW = append(lines, cur), "", 0
				continue
			}
			if cur != "" {
				lines = append(lines, strings.TrimRight(cur, " "))
				cur, curW = "", 0
			}
			for tw > w { // a word wider than a line: cut it by character
				n := 0
				for i, r := range tok {
					if d.width(tok[:i+utf8.RuneLen(r)]) > w {
						break
					}
					n = i + utf8.RuneLen(r)
				}
				if n == 0 {
					_, n = utf8.DecodeRuneInString(tok)
				}
				lines, tok = append(lines, tok[:n]), tok[n:]
				tw = d.width(tok)
			}
			cur, curW = tok, tw
		}
		lines = append(lines, strings.TrimRight(cur, " "))
	}
	return lines
}

// need starts a new page unless h mm are left on this one.
func (d *Doc) need(h float64) {
	if d.f.GetY()+h > bottom {
		d.f.AddPage()
		d.f.SetY(margin)
	}
}

// Text adds a paragraph at size pt (0: 11), wrapped to the text width.
func (d *Doc) Text(s string, pt float64, a Align) {
	if pt == 0 {
		pt = 11
	}
	d.setSize(pt)
	lh := d.lineHeight()
	for _, l := range d.wrap(s, textWidth) {
		d.need(lh)
		y := d.f.GetY()
		d.line(margin, y+lh*0.72, textWidth, l, a)
		d.f.SetY(y + lh)
	}
	d.setSize(11)
}

// Title adds a centred heading.
func (d *Doc) Title(s string) {
	d.Text(s, 16, Center)
	d.Space(2)
}

// Heading adds a section heading.
func (d *Doc) Heading(s string) {
	d.Space(1.5)
	d.Text(s, 12.5, Left)
}

// Space adds mm of vertical space.
func (d *Doc) Space(mm float64) {
	d.f.SetY(d.f.GetY() + mm)
}

// Cell is one cell of a form table: its text, whether it is a heading
// (shaded, as the print view's th), how many columns it spans (0 is 1)
// and a minimum height in mm (a signature box).
type Cell struct {
	Text   string
	Head   bool
	Span   int
	Height float64
}

// Table adds a ruled table: widths are the columns' shares of the text
// width; each row's cells span the columns in order. A row taller than a
// page continues on the next; a first row of headings only is repeated at
// the top of each page the table continues on.
func (d *Doc) Table(widths []float64, rows [][]Cell) {
	total := 0.0
	for _, w := range widths {
		total += w
	}
	var head []Cell
	if len(rows) > 1 && !slices.ContainsFunc(rows[0], func(c Cell) bool { return !c.Head }) {
		head = rows[0]
	}
	d.setSize(10)
	for i, row := range rows {
		if i == 0 {
			d.row(widths, total, row, nil)
		} else {
			d.row(widths, total, row, head)
		}
	}
	d.setSize(11)
	d.Space(3)
}

// row draws one row of a table, continued on the next page (under head,
// when there is one) where the page ends.
func (d *Doc) row(widths []float64, total float64, row, head []Cell) {
	lh := d.lineHeight()
	xs, ws, lines := make([]float64, len(row)), make([]float64, len(row)), make([][]string, len(row))
	x, col, minH := margin, 0, 0.0
	for i, c := range row {
		span := max(c.Span, 1)
		w := 0.0
		for k := col; k < col+span && k < len(widths); k++ {
			w += widths[k] / total * textWidth
		}
		col += span
		xs[i], ws[i], lines[i] = x, w, d.wrap(c.Text, w-2*cellPad)
		x += w
		minH = max(minH, c.Height)
	}
	for first := true; ; first = false {
		n := 0
		for _, l := range lines {
			n = max(n, len(l))
		}
		if !first && n == 0 {
			return
		}
		h := max(float64(n)*lh+2*cellPad, minH)
		if d.f.GetY()+min(h, lh+2*cellPad) > bottom {
			d.f.AddPage()
			d.f.SetY(margin)
			if head != nil {
				d.row(widths, total, head, nil)
			}
		}
		fit := int((bottom - d.f.GetY() - 2*cellPad) / lh)
		if fit >= n {
			fit = n
		} else {
			h = float64(fit)*lh + 2*cellPad
		}
		y := d.f.GetY()
		for i, c := range row {
			style := "D"
			if c.Head {
				d.f.SetFillColor(238, 238, 238)
				style = "FD"
			}
			d.f.Rect(xs[i], y, ws[i], h, style)
			for j := 0; j < fit && j < len(lines[i]); j++ {
				d.line(xs[i]+cellPad, y+cellPad+float64(j)*lh+lh*0.72, ws[i]-2*cellPad, lines[i][j], Left)
			}
			lines[i] = lines[i][min(fit, len(lines[i])):]
		}
		d.f.SetY(y + h)
		if fit == n {
			return
		}
	}
}

// Write finishes the document and writes it to w.
func (d *Doc) Write(w io.Writer) error {
	if err := d.f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}
