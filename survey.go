package redress

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// A survey link (回访短信) lets the customer answer a return visit on the
// portal: /survey/{token}. The token carries no personal data and no case
// number: a random nonce, its expiry and a keyed MAC of both. The store keeps
// the nonce's digest with the case, the expiry and whether it was used, so
// a token is answered once, before it expires, and only as it was issued.

// SurveyNonceBytes is the size of a survey token's random nonce.
const SurveyNonceBytes = 16

// SurveyMAC computes the keyed MAC of a token's payload (the store's
// keyring: Keyring.BlindIndex("survey", payload)), as lowercase hex.
type SurveyMAC func(payload string) string

// NewSurveyToken makes the token of a nonce (SurveyNonceBytes random bytes)
// that expires at expires: nonce.expiry.mac, lowercase hex and base-36
// digits only, so nothing in it is personal and it survives any SMS.
func NewSurveyToken(nonce []byte, expires time.Time, mac SurveyMAC) string {
	payload := hex.EncodeToString(nonce) + "." + strconv.FormatInt(expires.Unix(), 36)
	return payload + "." + strings.ToLower(mac(payload))
}

// ParseSurveyToken checks a token's form, its MAC (in constant time) and
// its expiry at now, and returns its nonce (hex) and expiry. Every failure
// is the same EUNAUTHORIZED: the page says only that the link is not valid.
func ParseSurveyToken(token string, now time.Time, mac SurveyMAC) (nonce string, expires time.Time, err error) {
	bad := Errorf(EUNAUTHORIZED, "this survey link is not valid or has expired")
	parts := strings.Split(token, ".")
	if len(token) > 128 || len(parts) != 3 || len(parts[0]) != 2*SurveyNonceBytes || !lowerHex(parts[0]) || !lowerHex(parts[2]) {
		return "", time.Time{}, bad
	}
	for _, r := range parts[1] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z') {
			return "", time.Time{}, bad
		}
	}
	payload := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(strings.ToLower(mac(payload))), []byte(parts[2])) {
		return "", time.Time{}, bad
	}
	unix, perr := strconv.ParseInt(parts[1], 36, 64)
	if perr != nil {
		return "", time.Time{}, bad
	}
	expires = time.Unix(unix, 0)
	if !now.Before(expires) {
		return "", time.Time{}, bad
	}
	return parts[0], expires, nil
}

// lowerHex reports whether s is non-empty lowercase hexadecimal.
func lowerHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return s != ""
}

// SurveyAnswer is the customer's answer on the survey page: how satisfied
// they are (satisfied, basically satisfied, dissatisfied) and a comment.
type SurveyAnswer struct {
	Satisfaction Satisfaction `json:"satisfaction"`
	Comment      string       `json:"comment,omitempty"`
}

// Validate checks an answer: one of the three answers, a short comment.
func (a *SurveyAnswer) Validate() error {
	var p Problems
	if a.Satisfaction == SatisfactionUnreachable || !oneOf(a.Satisfaction, Satisfactions) {
		p.AddKey("satisfaction", ProblemOneOf, "satisfied, basically_satisfied, dissatisfied")
	}
	checkText(&p, "comment", a.Comment, 0, 500)
	return p.Err()
}

// ReturnVisitService keeps the return-visit policy (admin data) and the
// SMS survey: a link issued for a case's open return visit, answered once
// by the customer.
type ReturnVisitService interface {
	// ReturnVisitPolicy returns the policy in force (DefaultReturnVisitPolicy
	// until an admin sets one). Errors: EUNAUTHORIZED.
	ReturnVisitPolicy(ctx context.Context) (*ReturnVisitPolicy, error)
	// SetReturnVisitPolicy replaces it (admin only), with an audit event.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SetReturnVisitPolicy(ctx context.Context, p ReturnVisitPolicy) (*ReturnVisitPolicy, error)
	// IssueSurvey makes a survey link for the case's open return visit (a
	// case role in scope) and records the attempt (sms, survey_sent); it
	// returns the token, valid for the policy's SurveyDays.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT (no visit waiting).
	IssueSurvey(ctx context.Context, no string, version int) (string, error)
	// CheckSurvey reports whether a token may still be answered (no user).
	// Errors: EUNAUTHORIZED (not valid, used or expired: one answer for all).
	CheckSurvey(ctx context.Context, token string) error
	// AnswerSurvey records the customer's answer as the return visit's
	// attempt (method survey), once; from is the client's address for the
	// audit event. Errors: EUNAUTHORIZED (as CheckSurvey), EINVALID.
	AnswerSurvey(ctx context.Context, token string, a SurveyAnswer, from string) error
}
