// Package prom is Redress's metrics in the Prometheus format, on
// github.com/prometheus/client_golang: the HTTP requests by route and
// status, intake and its group commits, the deadline sweep and the outboxes,
// the cases by status, the database pools, and the Go runtime and process.
// Each server builds its own Metrics (no global registry); cmd/redress
// wires it into the web server, the store and the jobs.
package prom

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"redress"
	"redress/sqldb"
)

// Store is what the metrics read from the database: its pools and, at each
// scrape, the gauges (sqldb.DB).
type Store interface {
	Pools() (write, read *sql.DB)
	Gauges(ctx context.Context) (*sqldb.Gauges, error)
}

// scrapeTimeout bounds the database reads of one scrape.
const scrapeTimeout = 5 * time.Second

// Metrics holds a server's collectors in a registry of its own.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	durations  *prometheus.HistogramVec
	intakes    *prometheus.CounterVec
	batchSizes prometheus.Histogram
	batchTimes prometheus.Histogram
	jobTimes   *prometheus.HistogramVec
	jobErrors  *prometheus.CounterVec
	jobLast    *prometheus.GaugeVec
}

// New returns the metrics of a server over store.
func New(store Store) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "redress_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "redress_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"route", "method"}),
		intakes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "redress_intake_batch_jobs_total",
			Help: "Intakes run in group commits, by whether their commit succeeded (ok, failed)."}, []string{"result"}),
		batchSizes: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "redress_intake_batch_size",
			Help: "Intakes that shared one group commit.", Buckets: []float64{1, 2, 4, 8, 16, 32, 64}}),
		batchTimes: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "redress_intake_batch_duration_seconds",
			Help: "Time from a group commit's first statement to its commit.", Buckets: prometheus.ExponentialBuckets(.0005, 2, 14)}),
		jobTimes: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "redress_job_duration_seconds",
			Help: "Time of one run of a background job (sweep, outbox, customer_outbox).", Buckets: prometheus.ExponentialBuckets(.001, 4, 10)},
			[]string{"job"}),
		jobErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "redress_job_errors_total",
			Help: "Runs of a background job that failed."}, []string{"job"}),
		jobLast: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "redress_job_last_run_timestamp_seconds",
			Help: "When a background job last finished a run (Unix time): the sweep's lag is now less this."}, []string{"job"}),
	}
	write, read := store.Pools()
	m.reg.MustRegister(m.requests, m.durations, m.intakes, m.batchSizes, m.batchTimes, m.jobTimes, m.jobErrors, m.jobLast,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(write, "write"), collectors.NewDBStatsCollector(read, "read"),
		&gauges{store: store,
			cases: prometheus.NewDesc("redress_cases", "Cases by status: the depth of each queue.", []string{"status"}, nil),
			pending: prometheus.NewDesc("redress_outbox_pending", "Messages waiting in an outbox (staff: e-mail and SMS to staff; customer: notices to customers).",
				[]string{"outbox"}, nil),
			lag: prometheus.NewDesc("redress_outbox_lag_seconds", "How long the oldest message due in an outbox has waited past its time.",
				[]string{"outbox"}, nil),
			up: prometheus.NewDesc("redress_gauges_up", "1 when the last scrape read the gauges from the database, else 0.", nil, nil)})
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveRequest counts one answered request by its route pattern (never
// the path itself: the label set stays bounded and holds no tracking
// number), its method and status, and how long it took.
func (m *Metrics) ObserveRequest(route, method string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.durations.WithLabelValues(route, method).Observe(took.Seconds())
}

// ObserveBatch records a group commit: its size, time and outcome
// (sqldb.BatchObserver).
func (m *Metrics) ObserveBatch(size int, took time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "failed"
	}
	m.intakes.WithLabelValues(result).Add(float64(size))
	m.batchSizes.Observe(float64(size))
	m.batchTimes.Observe(took.Seconds())
}

// ObserveJob records one run of a background job: its time, whether it
// failed, and when it finished.
func (m *Metrics) ObserveJob(job string, took time.Duration, err error) {
	m.jobTimes.WithLabelValues(job).Observe(took.Seconds())
	if err != nil {
		m.jobErrors.WithLabelValues(job).Inc()
	}
	m.jobLast.WithLabelValues(job).SetToCurrentTime()
}

// gauges is the collector of what is read from the database at a scrape.
type gauges struct {
	store                   Store
	cases, pending, lag, up *prometheus.Desc
}

// Describe sends the gauges' descriptions.
func (g *gauges) Describe(ch chan<- *prometheus.Desc) {
	ch <- g.cases
	ch <- g.pending
	ch <- g.lag
	ch <- g.up
}

// Collect reads the gauges, within scrapeTimeout; a failed read reports up 0
// and nothing else, so the scrape itself still answers.
func (g *gauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	read, err := g.store.Gauges(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(g.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(g.up, prometheus.GaugeValue, 1)
	for _, status := range redress.Statuses {
		ch <- prometheus.MustNewConstMetric(g.cases, prometheus.GaugeValue, float64(read.CasesByStatus[status]), string(status))
	}
	for name, b := range read.Outbox {
		ch <- prometheus.MustNewConstMetric(g.pending, prometheus.GaugeValue, float64(b.Pending), name)
		ch <- prometheus.MustNewConstMetric(g.lag, prometheus.GaugeValue, b.Lag.Seconds(), name)
	}
}
