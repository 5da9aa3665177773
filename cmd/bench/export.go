package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"time"

	"redress"
)

// exportRuns is how many times each export is measured; the median counts.
const exportRuns = 3

// exportLimit bounds one export's time.
const exportLimit = 15 * time.Minute

// exportRows reads the row count out of an export's audit event.
var exportRows = regexp.MustCompile(`^(csv|xlsx), (\d+) rows,`)

// export measures the export of every case as head office sees them (the
// whole bank: the dataset and the cases registered by the intake
// measurements) in one format, streamed by the server a page of
// redress.ExportPageLimit at a time: rows per second (the rows the server's audit event counts, over
// the time until the last byte) and the server's peak RSS during it (the
// peak is reset before each run through /proc/PID/clear_refs).
func (m *measurer) export(name, format, token, auditToken string) {
	me := &measurement{name: name, res: &result{}}
	m.r.measures = append(m.r.measures, me)
	req := request{method: "GET", path: "/api/v1/cases?format=" + format, token: token}
	// No client timeout: the export is bounded by exportLimit.
	c := &http.Client{Transport: m.c.http.Transport}
	var rates []float64
	var bytesSent int64
	server := procCPU(m.pid)
	for run := range exportRuns {
		if err := resetPeakRSS(m.pid); err != nil {
			me.unavailable = "cannot reset the peak RSS: " + err.Error()
			return
		}
		took, n, err := m.download(c, req)
		if err != nil {
			me.unavailable = err.Error()
			logf("%s: %s: %v", m.r.engine, name, err)
			return
		}
		rows, err := m.exportedRows(auditToken, format)
		if err != nil {
			me.unavailable = err.Error()
			return
		}
		peak := procField(fmt.Sprintf("/proc/%d/status", m.pid), "VmHWM:") * 1024
		me.peakRSS = max(me.peakRSS, peak)
		me.res.latencies = append(me.res.latencies, took)
		me.res.wall += took
		rate := float64(rows) / took.Seconds()
		rates = append(rates, rate)
		bytesSent = n
		logf("%s: %s, run %d: %s rows in %s (%s rows/s), %s, peak RSS %s", m.r.engine, name, run+1,
			thousands(int64(rows)), took.Round(10*time.Millisecond), thousands(int64(rate+0.5)), mb(n), mb(peak))
		if m.ctx.Err() != nil {
			return
		}
	}
	sort.Float64s(rates)
	me.rowsPerSec = rates[len(rates)/2]
	me.serverCPU = time.Duration(procCPU(m.pid)-server) * time.Second / clockTicks
	me.detail = fmt.Sprintf("%d runs, rows/s %s (median %s), %s a file, server CPU %s a run",
		exportRuns, ratesText(rates), thousands(int64(me.rowsPerSec+0.5)), mb(bytesSent),
		(me.serverCPU / exportRuns).Round(10*time.Millisecond))
}

// download fetches an export to the end, keeping none of it, and returns
// the time until its last byte and its size.
func (m *measurer) download(c *http.Client, r request) (time.Duration, int64, error) {
	ctx, cancel := context.WithTimeout(m.ctx, exportLimit)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.method, m.c.base+r.path, nil)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("GET %s: %w", r.path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return 0, 0, fmt.Errorf("GET %s: %d %s", r.path, resp.StatusCode, body)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return 0, n, fmt.Errorf("GET %s: cut after %s: %w", r.path, mb(n), err)
	}
	return time.Since(start), n, nil
}

// exportedRows reads how many rows the last export wrote from its audit
// event (export.download), as an auditor.
func (m *measurer) exportedRows(token, format string) (int, error) {
	var page redress.EventPage
	if _, err := m.c.getJSON(m.ctx, "/api/v1/audit/events?action=export.download&limit=1", token, &page); err != nil {
		return 0, err
	}
	if len(page.Events) == 0 {
		return 0, fmt.Errorf("the export left no audit event")
	}
	match := exportRows.FindStringSubmatch(page.Events[0].Detail)
	if match == nil || match[1] != format {
		return 0, fmt.Errorf("the export's audit event says %q", page.Events[0].Detail)
	}
	return strconv.Atoi(match[2])
}

// resetPeakRSS resets the process's peak RSS (VmHWM) to its current RSS.
func resetPeakRSS(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// ratesText lists rates, rounded, from the lowest.
func ratesText(rates []float64) string {
	var b bytes.Buffer
	for i, r := range rates {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(thousands(int64(r + 0.5)))
	}
	return b.String()
}
