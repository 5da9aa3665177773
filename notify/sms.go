package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"redress"
)

// MaxSMSLength is the longest SMS text sent, in characters, signature
// included. A single SMS holds 70 Chinese characters; Chinese carriers join
// longer texts as concatenated SMS of 67 characters each and gateways accept
// up to about 500 characters per message (billed per part). A notification is
// a short template, so a longer text is a mistake: it is cut to this length
// and ends with "…", so that the start, with the tracking number, arrives.
const MaxSMSLength = 500

// MaxSMSSignLength is the longest signature accepted, in characters.
const MaxSMSSignLength = 20

// SMSConfig is how Redress reaches the bank's SMS gateway. The command fills
// it from the environment (see SMSConfigFromEnv):
//
//	REDRESS_SMS_URL    the gateway endpoint, http or https; SMS is off when unset
//	REDRESS_SMS_TOKEN  sent as "Authorization: Bearer <token>"; no header when unset
//	REDRESS_SMS_SIGN   the signature that starts every text, e.g. 【某某银行】
//
// The gateway contract: Send POSTs the JSON object {"to": "<number>",
// "text": "<signature><body>"} in UTF-8. A 2xx status means the gateway took
// the message; 4xx means it refuses this message (permanent, except 408 and
// 429, which ask to come back later); 5xx, any other status and network
// failures are temporary. Redirects are not followed.
type SMSConfig struct {
	URL     string
	Token   string
	Sign    string        // e.g. 【某某银行】; empty when the gateway adds it itself
	Timeout time.Duration // per request; 0 means DefaultTimeout
}

// SMSConfigFromEnv reads the REDRESS_SMS_* variables (listed on SMSConfig)
// through getenv, usually os.Getenv, and checks them. When REDRESS_SMS_URL is
// unset SMS is off: it returns the zero SMSConfig and no error. An error
// names the variable at fault and what it should hold; it never repeats the
// token.
func SMSConfigFromEnv(getenv func(string) string) (SMSConfig, error) {
	cfg := SMSConfig{
		URL:   strings.TrimSpace(getenv("REDRESS_SMS_URL")),
		Token: strings.TrimSpace(getenv("REDRESS_SMS_TOKEN")),
		Sign:  strings.TrimSpace(getenv("REDRESS_SMS_SIGN")),
	}
	if cfg.URL == "" {
		return SMSConfig{}, nil
	}
	if err := cfg.validate(); err != nil {
		return SMSConfig{}, err
	}
	return cfg, nil
}

// validate checks cfg, naming the environment variable of a bad field.
func (cfg SMSConfig) validate() error {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("REDRESS_SMS_URL=%q: want the gateway's http:// or https:// URL", cfg.URL)
	}
	if u.User != nil {
		return errors.New("REDRESS_SMS_URL holds a user or password: put the credential in REDRESS_SMS_TOKEN")
	}
	if strings.ContainsAny(cfg.Token, " \t\r\n") {
		return errors.New("REDRESS_SMS_TOKEN contains white space: want the bare token, without \"Bearer\"")
	}
	if n := utf8.RuneCountInString(cfg.Sign); n > MaxSMSSignLength {
		return fmt.Errorf("REDRESS_SMS_SIGN=%q: %d characters, want at most %d, e.g. 【某某银行】", cfg.Sign, n, MaxSMSSignLength)
	}
	if strings.ContainsAny(cfg.Sign, "\r\n") {
		return fmt.Errorf("REDRESS_SMS_SIGN=%q: want one line, e.g. 【某某银行】", cfg.Sign)
	}
	if cfg.Timeout < 0 {
		return fmt.Errorf("SMS timeout %v: want a positive duration", cfg.Timeout)
	}
	return nil
}

// SMSSender sends SMS notifications through an HTTP gateway. It is safe for
// concurrent use.
type SMSSender struct {
	url    string
	token  string
	sign   string
	client *http.Client
}

// NewSMSSender checks cfg and prepares a sender; it does not connect.
func NewSMSSender(cfg SMSConfig) (*SMSSender, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("notify: SMS config: %w", err)
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	client := &http.Client{
		Timeout: timeout,
		// A redirect means the URL is wrong; following it could carry the
		// token and the number somewhere else.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &SMSSender{url: cfg.URL, token: cfg.Token, sign: cfg.Sign, client: client}, nil
}

// smsRequest is the JSON body the gateway receives.
type smsRequest struct {
	To   string `json:"to"`
	Text string `json:"text"`
}

// Send posts n to the gateway as the signature followed by n.Body (n.Subject
// is not sent), cut to MaxSMSLength characters. The number may be written
// with spaces or hyphens and a +86 prefix; a mainland mobile number is sent
// as its 11 digits, another number as + and its digits. An invalid number is
// a permanent error. Errors follow the contract on SMSConfig and quote at
// most the start of the gateway's reply, with numbers masked.
func (s *SMSSender) Send(ctx context.Context, n redress.Notification) error {
	if n.Channel == "" {
		n.Channel = redress.NotifySMS // so that errors mask To as a phone number
	}
	if n.Channel != redress.NotifySMS {
		return redress.Permanent(fmt.Errorf("notify: %s: not an SMS notification", describe(n)))
	}
	to, ok := normalizePhone(n.To)
	if !ok {
		return redress.Permanent(fmt.Errorf("notify: %s: invalid phone number", describe(n)))
	}
	if strings.TrimSpace(n.Body) == "" {
		return redress.Permanent(fmt.Errorf("notify: %s: empty SMS text", describe(n)))
	}
	payload, err := json.Marshal(smsRequest{To: to, Text: smsText(s.sign, n.Body)})
	if err != nil {
		return fmt.Errorf("notify: %s: encode request: %w", describe(n), err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("notify: %s: build request: %w", describe(n), err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}

	resp, err := s.client.Do(req)
	if err != nil {
		// A *url.Error names the gateway URL and the cause; the number
		// travels in the body only, so it is not in there.
		return fmt.Errorf("notify: %s: SMS gateway: %w", describe(n), err)
	}
	defer resp.Body.Close()
	// Read a little of the reply for the error, then drain a bounded amount
	// so that the connection can be reused.
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("notify: %s: SMS gateway answered %s: %s", describe(n), resp.Status, scrub(strings.ToValidUTF8(string(head), "")))
	if resp.StatusCode >= 400 && resp.StatusCode < 500 &&
		resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests {
		return redress.Permanent(err)
	}
	return err
}

// smsText is the signature followed by body, cut to MaxSMSLength characters
// with "…" at the end when it is longer. A body that already starts with the
// signature does not get it twice.
func smsText(sign, body string) string {
	body = strings.TrimSpace(body)
	text := body
	if sign != "" && !strings.HasPrefix(body, sign) {
		text = sign + body
	}
	if utf8.RuneCountInString(text) <= MaxSMSLength {
		return text
	}
	r := []rune(text)
	return string(r[:MaxSMSLength-1]) + "…"
}

// normalizePhone returns the number to send and whether s is a phone number:
// a mainland mobile (11 digits from 1, optionally after +86 or 86) becomes
// its 11 digits; another number written with a leading + and 6 to 15 digits
// stays in that international form. Spaces, hyphens and parentheses are
// dropped first.
func normalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	n := b.String()
	national := strings.TrimPrefix(strings.TrimPrefix(n, "+86"), "86")
	if len(national) == 11 && national[0] == '1' {
		return national, true
	}
	if strings.HasPrefix(n, "+") && len(n)-1 >= 6 && len(n)-1 <= 15 {
		return n, true
	}
	return "", false
}
