package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"redress"
)

const (
	testPhone = "13812345678"
	testToken = "gw-token-7f3a"
	testSign  = "【某某银行】"
	testSMS   = "您的投诉 TS20261120-00001 已受理，我们将在15日内答复。"
)

// gateway is a fake SMS gateway that records what it was sent and answers
// with a fixed status and a body that repeats the number, as real gateways do.
type gateway struct {
	t      *testing.T
	status int

	mu       sync.Mutex
	requests []smsRequest
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/send" {
		g.t.Errorf("gateway got %s %s, want POST /send", r.Method, r.URL.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
		g.t.Errorf("Authorization = %q, want Bearer %s", got, testToken)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json; charset=utf-8" {
		g.t.Errorf("Content-Type = %q, want application/json; charset=utf-8", got)
	}
	var req smsRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		g.t.Errorf("gateway could not decode the request: %v", err)
	}
	g.mu.Lock()
	g.requests = append(g.requests, req)
	g.mu.Unlock()

	status := g.status
	if status == 0 {
		status = http.StatusOK
	}
	if status == http.StatusFound {
		w.Header().Set("Location", "/elsewhere")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"code":%d,"message":"number %s: status %d","to":"+86 %s"}`, status, req.To, status, req.To)
}

func (g *gateway) received() []smsRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]smsRequest(nil), g.requests...)
}

// startGateway runs g and returns a sender pointed at it.
func startGateway(t *testing.T, g *gateway) *SMSSender {
	t.Helper()
	g.t = t
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	s, err := NewSMSSender(SMSConfig{URL: srv.URL + "/send", Token: testToken, Sign: testSign, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("NewSMSSender: %v", err)
	}
	return s
}

func testSMSNotification(to string) redress.Notification {
	return redress.Notification{ID: 7, Channel: redress.NotifySMS, To: to, Body: testSMS, CaseNo: "TS20261120-00001"}
}

// assertNoPhone fails if err, or any error it wraps, shows the number in clear.
func assertNoPhone(t *testing.T, err error, phone string) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), phone) || strings.Contains(e.Error(), phone[3:]) {
			t.Errorf("error shows the phone number in clear: %v", e)
			return
		}
	}
}

func TestSMSSendPostsJSON(t *testing.T) {
	g := &gateway{}
	s := startGateway(t, g)

	for _, to := range []string{testPhone, "+86 138-1234-5678", "86 138 1234 5678"} {
		if err := s.Send(context.Background(), testSMSNotification(to)); err != nil {
			t.Fatalf("Send to %q: %v", to, err)
		}
	}
	got := g.received()
	if len(got) != 3 {
		t.Fatalf("gateway got %d requests, want 3", len(got))
	}
	for _, req := range got {
		want := smsRequest{To: testPhone, Text: testSign + testSMS}
		if req != want {
			t.Errorf("request = %+v, want %+v", req, want)
		}
	}
}

func TestSMSStatusClassification(t *testing.T) {
	for _, tc := range []struct {
		status    int
		wantErr   bool
		permanent bool
	}{
		{http.StatusOK, false, false},
		{http.StatusAccepted, false, false},
		{http.StatusBadRequest, true, true},
		{http.StatusUnauthorized, true, true},
		{http.StatusNotFound, true, true},
		{http.StatusUnprocessableEntity, true, true},
		{http.StatusRequestTimeout, true, false},
		{http.StatusTooManyRequests, true, false},
		{http.StatusInternalServerError, true, false},
		{http.StatusBadGateway, true, false},
		{http.StatusServiceUnavailable, true, false},
		{http.StatusFound, true, false},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			g := &gateway{status: tc.status}
			s := startGateway(t, g)
			err := s.Send(context.Background(), testSMSNotification(testPhone))
			t.Logf("Send: %v", err)
			if (err != nil) != tc.wantErr {
				t.Fatalf("status %d: error %v, want error: %v", tc.status, err, tc.wantErr)
			}
			if err == nil {
				return
			}
			if redress.IsPermanent(err) != tc.permanent {
				t.Errorf("status %d: permanent = %v, want %v: %v", tc.status, redress.IsPermanent(err), tc.permanent, err)
			}
			if !strings.Contains(err.Error(), fmt.Sprint(tc.status)) || !strings.Contains(err.Error(), "138****5678") {
				t.Errorf("error should name the status and the masked number: %v", err)
			}
			assertNoPhone(t, err, testPhone)
			if len(g.received()) != 1 {
				t.Errorf("gateway got %d requests, want 1 (no redirect followed)", len(g.received()))
			}
		})
	}
}

func TestSMSGatewayDownIsTemporary(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	s, err := NewSMSSender(SMSConfig{URL: url, Token: testToken, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), testSMSNotification(testPhone))
	t.Logf("Send: %v", err)
	if err == nil {
		t.Fatal("Send succeeded with no gateway listening")
	}
	if redress.IsPermanent(err) {
		t.Errorf("an unreachable gateway is permanent, want temporary: %v", err)
	}
	assertNoPhone(t, err, testPhone)
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("error shows the token: %v", err)
	}
}

func TestSMSTimeoutIsTemporary(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice the client hang up.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	s, err := NewSMSSender(SMSConfig{URL: srv.URL, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), testSMSNotification(testPhone))
	if err == nil {
		t.Fatal("Send succeeded past its timeout")
	}
	if redress.IsPermanent(err) {
		t.Errorf("a timeout is permanent, want temporary: %v", err)
	}
	assertNoPhone(t, err, testPhone)
}

func TestSMSInvalidNumberIsPermanent(t *testing.T) {
	g := &gateway{}
	s := startGateway(t, g)
	for _, to := range []string{"", "12345", "23812345678", "138123456789", "138abc45678", "+12"} {
		err := s.Send(context.Background(), testSMSNotification(to))
		if !redress.IsPermanent(err) {
			t.Errorf("To %q: got %v, want a permanent error", to, err)
			continue
		}
		if len(to) >= 7 && strings.Contains(err.Error(), to) {
			t.Errorf("To %q: error shows the number in clear: %v", to, err)
		}
	}
	n := testSMSNotification(testPhone)
	n.Channel = redress.NotifyEmail
	if err := s.Send(context.Background(), n); !redress.IsPermanent(err) {
		t.Errorf("an e-mail notification: got %v, want a permanent error", err)
	}
	n = testSMSNotification(testPhone)
	n.Body = "  "
	if err := s.Send(context.Background(), n); !redress.IsPermanent(err) {
		t.Errorf("an empty text: got %v, want a permanent error", err)
	}
	if got := g.received(); len(got) != 0 {
		t.Errorf("gateway got %d requests for invalid notifications, want 0", len(got))
	}
}

func TestSMSText(t *testing.T) {
	if got := smsText(testSign, testSMS); got != testSign+testSMS {
		t.Errorf("smsText = %q, want the signature then the body", got)
	}
	if got := smsText(testSign, testSign+testSMS); got != testSign+testSMS {
		t.Errorf("smsText of a signed body = %q, want the signature once", got)
	}
	if got := smsText("", testSMS); got != testSMS {
		t.Errorf("smsText without signature = %q, want the body", got)
	}
	long := strings.Repeat("投诉处理进度通知。", 100) // 900 characters
	got := smsText(testSign, long)
	if n := utf8.RuneCountInString(got); n != MaxSMSLength {
		t.Errorf("long text is %d characters, want %d", n, MaxSMSLength)
	}
	if !strings.HasPrefix(got, testSign+"投诉处理进度通知。") || !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
		t.Errorf("long text = %q…, want the signature, the start of the body and a final …", got[:60])
	}
}

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"13812345678", "13812345678", true},
		{"+8613812345678", "13812345678", true},
		{"+86 138 1234 5678", "13812345678", true},
		{"86-138-1234-5678", "13812345678", true},
		{"(+86) 13812345678", "", false},
		{"+852 9123 4567", "+85291234567", true},
		{"+44 20 7946 0958", "+442079460958", true},
		{"010-12345678", "", false},
		{"1381234567", "", false},
		{"138 1234 5678 ext 1", "", false},
		{"+1234567890123456", "", false},
		{"", "", false},
	} {
		got, ok := normalizePhone(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("normalizePhone(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSMSConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"REDRESS_SMS_URL":   "https://sms.bank.example/api/send",
		"REDRESS_SMS_TOKEN": testToken,
		"REDRESS_SMS_SIGN":  testSign,
	}
	getenv := func(key string) string { return env[key] }
	cfg, err := SMSConfigFromEnv(getenv)
	if err != nil {
		t.Fatalf("good env: %v", err)
	}
	if want := (SMSConfig{URL: "https://sms.bank.example/api/send", Token: testToken, Sign: testSign}); cfg != want {
		t.Errorf("config = %+v, want %+v", cfg, want)
	}

	cfg, err = SMSConfigFromEnv(func(string) string { return "" })
	if err != nil || cfg != (SMSConfig{}) {
		t.Errorf("no URL: got %+v, %v; want SMS off (zero config, no error)", cfg, err)
	}

	for _, tc := range []struct{ key, value string }{
		{"REDRESS_SMS_URL", "sms.bank.example/send"},
		{"REDRESS_SMS_URL", "ftp://sms.bank.example/send"},
		{"REDRESS_SMS_URL", "https://user:pw@sms.bank.example/send"},
		{"REDRESS_SMS_TOKEN", "Bearer " + testToken},
		{"REDRESS_SMS_SIGN", "【" + strings.Repeat("某", 30) + "】"},
	} {
		bad := map[string]string{}
		for k, v := range env {
			bad[k] = v
		}
		bad[tc.key] = tc.value
		_, err := SMSConfigFromEnv(func(key string) string { return bad[key] })
		if err == nil {
			t.Errorf("%s=%q: no error", tc.key, tc.value)
			continue
		}
		if !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s=%q: error %q does not name the variable", tc.key, tc.value, err)
		}
		if strings.Contains(err.Error(), testToken) {
			t.Errorf("%s=%q: error shows the token: %v", tc.key, tc.value, err)
		}
	}
}
