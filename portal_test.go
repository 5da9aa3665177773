package redress

import (
	"testing"
	"time"
)

// TestPortalCodeUsable_Issue14Item1: a code is tried within 10 minutes of
// being sent, fewer than 5 wrong tries, once.
func TestPortalCodeUsable_Issue14Item1(t *testing.T) {
	t.Parallel()
	sent := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		state PortalCodeState
		at    time.Duration
		want  bool
	}{
		{"fresh", PortalCodeState{SentAt: sent}, time.Minute, true},
		{"last second", PortalCodeState{SentAt: sent}, PortalCodeTTL - time.Second, true},
		{"ten minutes", PortalCodeState{SentAt: sent}, PortalCodeTTL, false},
		{"four tries", PortalCodeState{SentAt: sent, Tries: 4}, time.Minute, true},
		{"five tries", PortalCodeState{SentAt: sent, Tries: 5}, time.Minute, false},
		{"used", PortalCodeState{SentAt: sent, Used: true}, time.Minute, false},
	} {
		if got := c.state.Usable(sent.Add(c.at)); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestPortalFileTypeByContent_Issue14Item4: the type is read from the
// content, never the name or the declared type.
func TestPortalFileTypeByContent_Issue14Item4(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, content, want string
		ok                  bool
	}{
		{"pdf", "%PDF-1.4 x", "application/pdf", true},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", true},
		{"text", "账单截图说明", "text/plain", true},
		{"program", "MZ\x90\x00\x03", "", false},
		{"html", "<html><script>alert(1)</script>", "", false},
		{"empty", "", "", false},
	} {
		got, err := PortalFileType("file", []byte(c.content))
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("%s: %q %v", c.name, got, err)
		}
	}
	if _, err := PortalFileType("file", make([]byte, PortalMaxFileBytes+1)); ErrorProblems(err)["file"].Key != ProblemTooLarge {
		t.Errorf("11 MiB: %v", err)
	}
}

// TestPortalSubmission_Issue14Item1: only a complaint or a petition, a
// unit, the consent, a mobile and the ID; the case is on the online channel.
func TestPortalSubmission_Issue14Item1(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	good := PortalSubmission{Kind: KindComplaint, Org: "BJ", Subject: "年费", Description: "多扣年费", Consent: true,
		Complainant: Complainant{Name: "李四", IDType: IDResident, IDNumber: "110101199003071234", Phone: "+86 139 0000 1111", Account: "6222000011112222"}}
	n, err := good.NewCase(now)
	if err != nil || n.Channel != PortalChannel || n.Complainant.Phone != "13900001111" || n.Complainant.Account != "" || !n.ReceivedAt.Equal(now) {
		t.Fatalf("%+v %v", n, err)
	}
	for field, change := range map[string]func(*PortalSubmission){
		"kind":                  func(s *PortalSubmission) { s.Kind = KindInquiry },
		"org":                   func(s *PortalSubmission) { s.Org = " " },
		"consent":               func(s *PortalSubmission) { s.Consent = false },
		"complainant.phone":     func(s *PortalSubmission) { s.Complainant.Phone = "010-12345678" },
		"complainant.id_number": func(s *PortalSubmission) { s.Complainant.IDNumber = "" },
		"subject":               func(s *PortalSubmission) { s.Subject = "" },
	} {
		s := good
		change(&s)
		if _, err := s.NewCase(now); ErrorFields(err)[field] == "" {
			t.Errorf("%s: %v", field, err)
		}
	}
}

// TestPortalOffers_Order2020No3Art20: withdrawal while open, 核查 once after
// the decision notice and within its window, a rating once after it.
func TestPortalOffers_Order2020No3Art20(t *testing.T) {
	t.Parallel()
	today := NewDate(2026, 12, 1)
	open := &Case{Kind: KindComplaint, Status: StatusInvestigating}
	if o := PortalOffers(open, "", false, today); !o.Withdraw || !o.AddMaterial || o.RequestReview || o.Rate {
		t.Errorf("open: %+v", o)
	}
	replied := &Case{Kind: KindComplaint, Status: StatusReplied, Reply: &Reply{NoticeAt: time.Date(2026, 11, 20, 7, 0, 0, 0, time.UTC)}}
	if o := PortalOffers(replied, "2026-12-20", false, today); o.Withdraw || !o.RequestReview || o.ReviewKind != "verification" || !o.Rate {
		t.Errorf("replied: %+v", o)
	}
	if o := PortalOffers(replied, "2026-11-30", true, today); o.RequestReview || o.Rate {
		t.Errorf("replied, window over, rated: %+v", o)
	}
	if PortalStageOf(StatusSignedOff) != StageAnswered || PortalStageOf(StatusRegistered) != StageReceived {
		t.Error("stages")
	}
	if n := PortalNotices(replied); len(n) != 1 || n[0].Kind != "decision" {
		t.Errorf("notices: %+v", n)
	}
}
