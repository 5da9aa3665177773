package redress

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"
)

func testMAC(key string) SurveyMAC {
	return func(payload string) string {
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(payload))
		return hex.EncodeToString(m.Sum(nil)[:16])
	}
}

// TestSurveyToken: a survey link is valid only as issued, with the bank's
// key, until it expires; it holds nothing but hex and base-36 digits.
func TestSurveyToken(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, Beijing)
	nonce := []byte("0123456789abcdef")
	expires := now.Add(7 * 24 * time.Hour)
	mac := testMAC("bank key")
	tok := NewSurveyToken(nonce, expires, mac)
	got, exp, err := ParseSurveyToken(tok, now, mac)
	if err != nil || got != hex.EncodeToString(nonce) || !exp.Equal(expires) {
		t.Fatalf("parse %s: %s %v %v", tok, got, exp, err)
	}
	if strings.Trim(tok, "0123456789abcdefghijklmnopqrstuvwxyz.") != "" {
		t.Errorf("token %s holds other characters", tok)
	}
	parts := strings.Split(tok, ".")
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == '0' {
			b[i] = '1'
		} else {
			b[i] = '0'
		}
		return string(b)
	}
	for name, bad := range map[string]string{
		"nonce changed":   flip(parts[0], 3) + "." + parts[1] + "." + parts[2],
		"expiry extended": parts[0] + "." + strconv.FormatInt(expires.Add(time.Hour).Unix(), 36) + "." + parts[2],
		"mac changed":     parts[0] + "." + parts[1] + "." + flip(parts[2], 0),
		"upper case":      strings.ToUpper(tok),
		"other key":       NewSurveyToken(nonce, expires, testMAC("other")),
		"two parts":       parts[0] + "." + parts[2],
		"empty":           "",
		"too long":        tok + strings.Repeat("0", 100),
	} {
		if _, _, err := ParseSurveyToken(bad, now, mac); ErrorCode(err) != EUNAUTHORIZED {
			t.Errorf("%s (%s): %v", name, bad, err)
		}
	}
	if _, _, err := ParseSurveyToken(tok, expires, mac); ErrorCode(err) != EUNAUTHORIZED {
		t.Errorf("at its expiry: %v", err)
	}
	if _, _, err := ParseSurveyToken(tok, expires.Add(-time.Second), mac); err != nil {
		t.Errorf("a second before its expiry: %v", err)
	}
}

// TestSurveyAnswerValidate: one of the three answers, a short comment.
func TestSurveyAnswerValidate(t *testing.T) {
	t.Parallel()
	for s, ok := range map[Satisfaction]bool{SatisfactionSatisfied: true, SatisfactionBasically: true, SatisfactionDissatisfed: true,
		SatisfactionUnreachable: false, "": false} {
		a := SurveyAnswer{Satisfaction: s}
		if err := a.Validate(); (err == nil) != ok {
			t.Errorf("%q: %v", s, err)
		}
	}
	a := SurveyAnswer{Satisfaction: SatisfactionSatisfied, Comment: strings.Repeat("好", 501)}
	if ErrorFields(a.Validate())["comment"] == "" {
		t.Error("a 501-character comment passed")
	}
}
