package web

import (
	"testing"

	"redress"
)

// TestStatusBars: the workbench's status chart has a bar for each status
// with cases, in the lifecycle's order, the largest across the whole span.
func TestStatusBars(t *testing.T) {
	t.Parallel()
	bars := statusBars(redress.Statuses, map[redress.Status]int{redress.StatusClosed: 2, redress.StatusRegistered: 4, redress.StatusAccepted: 0})
	if len(bars) != 2 || bars[0].Status != redress.StatusRegistered || bars[1].Status != redress.StatusClosed {
		t.Fatalf("bars %+v", bars)
	}
	if bars[0].Width != barSpan || bars[1].Width != barSpan/2 || bars[0].Y != 0 || bars[1].Y != barRow {
		t.Fatalf("geometry %+v", bars)
	}
	if got := statusBars(redress.Statuses, nil); len(got) != 0 {
		t.Fatalf("no cases, bars %+v", got)
	}
}
