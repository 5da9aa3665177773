package web

import "redress"

// statusBar is one bar of the workbench's chart of the unit's cases by
// status, drawn as SVG by the server: the workbench loads no chart library
// (ECharts is for the statistics page), so the staff's home page stays
// light on a phone.
type statusBar struct {
	Status redress.Status
	Count  int
	Y      int     // the bar's top, in the chart's units
	Width  float64 // the bar's length, in the chart's units
}

// The status chart's geometry, in SVG user units: a row per status, its
// name on the left, its bar after it, scaled to the largest count.
const (
	barRow   = 26
	barStart = 120
	barSpan  = 230
)

// statusBars lays out the bars of the statuses that have cases, in the
// lifecycle's order.
func statusBars(statuses []redress.Status, counts map[redress.Status]int) []statusBar {
	most := 0
	for _, st := range statuses {
		most = max(most, counts[st])
	}
	var bars []statusBar
	for _, st := range statuses {
		if n := counts[st]; n > 0 {
			bars = append(bars, statusBar{Status: st, Count: n, Y: len(bars) * barRow, Width: float64(barSpan) * float64(n) / float64(most)})
		}
	}
	return bars
}
