package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// load is concurrent intake over HTTP: clients register cases as fast as
// the server takes them, and every tracking number answered 201 is
// recorded as acknowledged. Some clients hang up: each of their requests
// gives up after a random 1–40 ms, often while its intake sits in a shared
// commit; they must never make an honest client's request fail.
type load struct {
	mu           sync.Mutex
	acked        []string    // tracking numbers answered 201 Created
	serverErrors int         // 5xx answers to honest clients
	unexpected   map[int]int // other answers than 201 and 5xx to honest clients, by status
	lastProblem  string      // the body of the last unexpected or 5xx answer
	refused      int         // requests that got no answer (the server was down)
	abandoned    int         // requests a hanging-up client gave up

	stop chan struct{}
	wg   sync.WaitGroup
}

// startLoad starts clients goroutines registering cases at base as the
// holder of token, the first hangingUp of which hang up.
func startLoad(base, token string, clients, hangingUp int) *load {
	l := &load{unexpected: map[int]int{}, stop: make(chan struct{})}
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	for i := range clients {
		l.wg.Go(func() { l.client(client, base, token, i, i < hangingUp) })
	}
	return l
}

// client registers cases until the load stops; one that hangs up gives
// each request up after a random 1–40 ms.
func (l *load) client(client *http.Client, base, token string, id int, hangsUp bool) {
	for n := 0; ; n++ {
		select {
		case <-l.stop:
			return
		default:
		}
		ctx, cancel := context.Background(), context.CancelFunc(func() {})
		if hangsUp {
			ctx, cancel = context.WithTimeout(ctx, time.Millisecond+rand.N(40*time.Millisecond))
		}
		status, body, err := post(ctx, client, base+"/api/v1/cases", token, caseBody(id, n))
		cancel()
		if err != nil {
			l.mu.Lock()
			if hangsUp && ctx.Err() != nil {
				l.abandoned++
			} else {
				l.refused++
			}
			l.mu.Unlock()
			if !hangsUp {
				time.Sleep(20 * time.Millisecond)
			}
			continue
		}
		l.record(status, body, hangsUp)
	}
}

// post sends one registration and reads its answer.
func post(ctx context.Context, client *http.Client, url, token, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, answer, err
}

// record counts one whole answer. A client that hangs up may meet anything
// but a 201 it read to the end (its own cancellation, answered to nobody).
func (l *load) record(status int, body []byte, hangsUp bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case status == http.StatusCreated:
		var c struct {
			No string `json:"no"`
		}
		if json.Unmarshal(body, &c) == nil && c.No != "" {
			l.acked = append(l.acked, c.No)
			return
		}
		l.unexpected[status]++
		l.lastProblem = string(body)
	case hangsUp:
		l.abandoned++
	case status >= 500:
		l.serverErrors++
		l.lastProblem = string(body)
	default:
		l.unexpected[status]++
		l.lastProblem = string(body)
	}
}

// acknowledged returns the tracking numbers acknowledged so far.
func (l *load) acknowledged() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.acked...)
}

// halt stops the clients and waits for them.
func (l *load) halt() {
	close(l.stop)
	l.wg.Wait()
}

// problems describes the answers that should not have come: 5xx and
// anything but 201; empty when there were none.
func (l *load) problems() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.serverErrors == 0 && len(l.unexpected) == 0 {
		return ""
	}
	return fmt.Sprintf("%d answers 5xx, others %v; last: %.300s", l.serverErrors, l.unexpected, l.lastProblem)
}

// hungUp returns how many requests the hanging-up clients gave up.
func (l *load) hungUp() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.abandoned
}

// caseBody is the registration of one complaint by client id, its n-th.
func caseBody(id, n int) string {
	received := time.Now().Add(-time.Hour).In(time.FixedZone("CST", 8*3600)).Format(time.RFC3339)
	return fmt.Sprintf(`{"kind":"complaint","channel":"phone","received_at":%q,
		"complainant":{"name":"演练客户%d","id_type":"resident_id","id_number":"110101199003071234","phone":"138%08d"},
		"subject":"信用卡年费争议（演练 %d-%d）","description":"客户称办卡时承诺免年费","request":"退还年费"}`,
		received, id, id*1000000+n%1000000, id, n)
}

// listCases returns the tracking number of every case the token's holder
// sees at base, page by page.
func listCases(base, token string) (map[string]bool, error) {
	seen := map[string]bool{}
	cursor := ""
	for {
		req, err := http.NewRequest("GET", base+"/api/v1/cases?limit=200&cursor="+url.QueryEscape(cursor), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("list cases: %w", err)
		}
		var page struct {
			Cases []struct {
				No string `json:"no"`
			} `json:"cases"`
			NextCursor string `json:"next_cursor"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			return nil, fmt.Errorf("list cases: %d %v", resp.StatusCode, err)
		}
		for _, c := range page.Cases {
			seen[c.No] = true
		}
		if page.NextCursor == "" {
			return seen, nil
		}
		cursor = page.NextCursor
	}
}
