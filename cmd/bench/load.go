package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// client talks to the server under test, over loopback only, with
// keep-alive connections.
type client struct {
	http *http.Client
	base string // http://127.0.0.1:port
}

func newClient(base string) (*client, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("server address %s: %w", base, err)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("server address %s: load goes to loopback only", base)
	}
	transport := &http.Transport{
		Proxy:               nil, // never through a proxy
		MaxIdleConns:        64,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &client{http: &http.Client{Transport: transport, Timeout: 60 * time.Second}, base: base}, nil
}

// request is one API call.
type request struct {
	method, path, token string
	body                []byte
}

// do sends r and returns the status, the body and how long it took.
func (c *client) do(ctx context.Context, r request) (int, []byte, time.Duration, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.base+r.path, body)
	if err != nil {
		return 0, nil, 0, err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, time.Since(start), err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	return resp.StatusCode, data, took, err
}

// getJSON sends a GET and decodes a 200 answer into v.
func (c *client) getJSON(ctx context.Context, path, token string, v any) (int, error) {
	status, data, _, err := c.do(ctx, request{method: "GET", path: path, token: token})
	if err != nil {
		return status, err
	}
	if status != http.StatusOK {
		return status, fmt.Errorf("GET %s: %d %s", path, status, truncate(string(data), 200))
	}
	if err := json.Unmarshal(data, v); err != nil {
		return status, fmt.Errorf("GET %s: %w", path, err)
	}
	return status, nil
}

// result is what one measurement saw.
type result struct {
	latencies []time.Duration // of the successful requests
	errors    int             // failed requests and unexpected statuses
	firstErr  string
	wall      time.Duration
	stopped   bool // the time limit ended it early
}

// rate is successful requests per second.
func (r *result) rate() float64 {
	if r.wall <= 0 {
		return 0
	}
	return float64(len(r.latencies)) / r.wall.Seconds()
}

// quantile returns the q-quantile (0..1) of the latencies, nearest rank.
func (r *result) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	s := append([]time.Duration{}, r.latencies...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(q*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// merge adds the requests of another run of the same measurement.
func (r *result) merge(o *result) {
	r.latencies = append(r.latencies, o.latencies...)
	r.errors += o.errors
	if r.firstErr == "" {
		r.firstErr = o.firstErr
	}
	r.wall += o.wall
	r.stopped = r.stopped || o.stopped
}

// maximum returns the slowest successful request.
func (r *result) maximum() time.Duration { return r.quantile(1) }

// load sends count requests, made by next, from workers goroutines, and
// stops early when limit has passed. A request succeeds when it answers
// want.
func (c *client) load(ctx context.Context, workers, count int, limit time.Duration, want int, next func(i int) request) *result {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	res := &result{}
	var mu sync.Mutex
	var issued atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for {
				i := int(issued.Add(1)) - 1
				if i >= count || ctx.Err() != nil {
					return
				}
				status, data, took, err := c.do(ctx, next(i))
				if ctx.Err() != nil {
					return // cut off by the time limit: not counted
				}
				mu.Lock()
				res.record(status, want, data, took, err, "")
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.wall = time.Since(start)
	res.stopped = len(res.latencies)+res.errors < count
	return res
}

// record counts one answer: its latency when it answered want, else an
// error (the first one kept, prefixed with what for a mixed load).
func (r *result) record(status, want int, data []byte, took time.Duration, err error, what string) {
	switch {
	case err != nil:
		r.errors++
		if r.firstErr == "" {
			r.firstErr = what + err.Error()
		}
	case status != want:
		r.errors++
		if r.firstErr == "" {
			r.firstErr = fmt.Sprintf("%s%d %s", what, status, truncate(string(data), 200))
		}
	default:
		r.latencies = append(r.latencies, took)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
