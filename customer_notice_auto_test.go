package redress

import (
	"testing"
	"time"
)

// TestLifecycleNotice_PetitionRegulationArt23: each action that tells the
// customer names its notice; a petition not accepted or forwarded gets no
// acceptance notice (its written decision is the notice); a contact that
// agreed no date tells nothing; other actions give none.
func TestLifecycleNotice_PetitionRegulationArt23(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a    Action
		c    Case
		want CustomerNoticeKind
		ok   bool
	}{
		{ActionAccept, Case{}, NoticeAcceptance, true},
		{ActionAccept, Case{AcceptDecision: DecisionAccepted}, NoticeAcceptance, true},
		{ActionAccept, Case{AcceptDecision: DecisionNotAccepted}, NoticeAcceptance, false},
		{ActionAccept, Case{AcceptDecision: DecisionForwarded}, NoticeAcceptance, false},
		{ActionContact, Case{AgreedReplyDue: "2026-11-27"}, NoticeContact, true},
		{ActionContact, Case{}, NoticeContact, false},
		{ActionExtend, Case{}, NoticeExtension, true},
		{ActionPause, Case{}, NoticePause, true},
		{ActionResume, Case{}, NoticeResume, true},
		{ActionReply, Case{}, NoticeDecision, true},
		{ActionDecideReview, Case{}, NoticeReviewResult, true},
		{ActionNote, Case{}, "", false},
		{ActionResolveOnSpot, Case{}, "", false},
		{ActionClose, Case{}, "", false},
	}
	for _, tc := range cases {
		got, ok := LifecycleNotice(tc.a, &tc.c)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%s %+v: %s %v, want %s %v", tc.a, tc.c.AcceptDecision, got, ok, tc.want, tc.ok)
		}
	}
}

// TestAutoNoticeMethod: the chosen method needs its contact; an unasked
// customer gets none by itself; the survey SMS needs a phone and a customer
// who chose SMS or was not asked.
func TestAutoNoticeMethod(t *testing.T) {
	t.Parallel()
	cases := []struct {
		cm     Complainant
		want   NoticeMethod
		ok     bool
		survey bool
	}{
		{Complainant{NoticeBy: NoticeSMS, Phone: "138"}, NoticeSMS, true, true},
		{Complainant{NoticeBy: NoticeSMS}, NoticeSMS, false, false},
		{Complainant{NoticeBy: NoticePhone, Phone: "138"}, NoticePhone, true, false},
		{Complainant{NoticeBy: NoticeEmail, Email: "a@b.c", Phone: "138"}, NoticeEmail, true, false},
		{Complainant{NoticeBy: NoticeEmail}, NoticeEmail, false, false},
		{Complainant{NoticeBy: NoticeLetter, Address: "北京"}, NoticeLetter, true, false},
		{Complainant{NoticeBy: NoticeLetter}, NoticeLetter, false, false},
		{Complainant{NoticeBy: NoticeInPerson}, NoticeInPerson, true, false},
		{Complainant{Phone: "138"}, "", false, true},
		{Complainant{NoticeBy: NoticeApp, Phone: "138"}, "", false, false},
	}
	for _, tc := range cases {
		got, ok := AutoNoticeMethod(tc.cm)
		if got != tc.want || ok != tc.ok || SurveyBySMS(tc.cm) != tc.survey {
			t.Errorf("%+v: %s %v survey %v", tc.cm, got, ok, SurveyBySMS(tc.cm))
		}
	}
}

// TestNoticeOccasion: the same occasion however often asked; a second
// extension, a new agreed date, a new review are new occasions.
func TestNoticeOccasion(t *testing.T) {
	t.Parallel()
	replied := time.Date(2026, 11, 21, 10, 0, 0, 123456000, Beijing)
	c := &Case{AgreedReplyDue: "2026-11-27", RepliedAt: &replied, DeadlineHistory: []DeadlineChange{{Action: "extend"}, {Action: "pause"}}}
	for kind, want := range map[CustomerNoticeKind]string{NoticeAcceptance: "accept", NoticeContact: "agreed@2026-11-27",
		NoticeExtension: "extend#1", NoticePause: "pause#1", NoticeResume: "resume#0", NoticeDecision: "reply@2026-11-21T02:00:00Z",
		NoticeReviewResult: "review#0"} {
		if got := NoticeOccasion(c, kind); got != want {
			t.Errorf("%s: %s, want %s", kind, got, want)
		}
	}
	c.DeadlineHistory = append(c.DeadlineHistory, DeadlineChange{Action: "extend"})
	c.Reviews = []Review{{}}
	if NoticeOccasion(c, NoticeExtension) != "extend#2" || NoticeOccasion(c, NoticeReviewResult) != "review#1" {
		t.Error("a second extension or review is the same occasion")
	}
}

// TestSurveySendAtAndLink: 09:00 Beijing on the due day, or now once past;
// the link is put on the portal's address.
func TestSurveySendAtAndLink(t *testing.T) {
	t.Parallel()
	v := &ReturnVisit{Due: "2026-11-24"}
	now := time.Date(2026, 11, 21, 15, 0, 0, 0, Beijing)
	if got := SurveySendAt(v, now); !got.Equal(time.Date(2026, 11, 24, 9, 0, 0, 0, Beijing)) {
		t.Errorf("send at %v", got)
	}
	late := time.Date(2026, 11, 25, 8, 0, 0, 0, Beijing)
	if got := SurveySendAt(v, late); !got.Equal(late) {
		t.Errorf("late: %v", got)
	}
	if got := FillSurveyLink("评价 {link} 。", "https://ts.example.cn/", "abc.def.012"); got != "评价 https://ts.example.cn/survey/abc.def.012 。" {
		t.Errorf("link: %s", got)
	}
}

// TestBankProfilePortalURL: an origin, nothing that could carry a path,
// a query, markup or a second address.
func TestBankProfilePortalURL(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"", "https://ts.example.cn", "http://10.0.0.5:8443", "https://ts.example.cn/"} {
		b := BankProfile{Name: "示例银行", Hotline: "95500", PortalURL: ok}
		if err := b.Validate(); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"ts.example.cn", "javascript:alert(1)", "https://ts.example.cn/x?y=1", "https://a b", "https://", "ftp://x",
		"https://ts.example.cn\"><script>", "https://evil.example@ts.example.cn"} {
		b := BankProfile{Name: "示例银行", Hotline: "95500", PortalURL: bad}
		if ErrorFields(b.Validate())["portal_url"] == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestNoticeTask: a letter waits to be printed and posted, a call or a
// talk to be recorded; an SMS waits for the outbox, no staff member.
func TestNoticeTask(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		m    NoticeMethod
		s    CustomerNoticeStatus
		task bool
	}{{NoticeLetter, CustomerNoticePending, true}, {NoticeLetter, CustomerNoticePrinted, true}, {NoticeLetter, CustomerNoticePosted, false},
		{NoticePhone, CustomerNoticePending, true}, {NoticeInPerson, CustomerNoticePending, true}, {NoticePhone, CustomerNoticeRecorded, false},
		{NoticeSMS, CustomerNoticePending, false}, {NoticeEmail, CustomerNoticePending, false}} {
		if got := NoticeTask(&CustomerNotice{Method: tc.m, Status: tc.s}); got != tc.task {
			t.Errorf("%s %s: %v", tc.m, tc.s, got)
		}
	}
}

// TestWithSentNotices: the portal lists the notices delivered through the
// system with the text received, in time order, not those still waiting,
// not the survey SMS, and not one the case records of the same kind and method.
func TestWithSentNotices(t *testing.T) {
	t.Parallel()
	at := func(h int) *time.Time { v := time.Date(2026, 11, 21, h, 0, 0, 0, Beijing); return &v }
	recorded := []PortalNotice{{Kind: "extend", At: *at(12), Method: NoticePhone}}
	sent := []*CustomerNotice{
		{Kind: NoticeAcceptance, Method: NoticeSMS, Status: CustomerNoticeSent, SentAt: at(10), Body: "已受理"},
		{Kind: NoticeExtension, Method: NoticePhone, Status: CustomerNoticeRecorded, SentAt: at(12), Body: "延期"},
		{Kind: NoticeExtension, Method: NoticeLetter, Status: CustomerNoticePosted, SentAt: at(13), Body: "延期函"},
		{Kind: NoticeDecision, Method: NoticeSMS, Status: CustomerNoticePending, Body: "待发"},
		{Kind: NoticeDecision, Method: NoticeEmail, Status: CustomerNoticeDead, SentAt: at(14), Body: "失败"},
		{Kind: NoticeSurvey, Method: NoticeSMS, Status: CustomerNoticeSent, SentAt: at(15), Body: "{link}"},
	}
	got := WithSentNotices(recorded, sent)
	want := []string{"accept sms 已受理", "extend phone ", "extend letter 延期函"}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i, n := range got {
		if s := n.Kind + " " + string(n.Method) + " " + n.Text; s != want[i] {
			t.Errorf("%d: %q, want %q", i, s, want[i])
		}
	}
}
